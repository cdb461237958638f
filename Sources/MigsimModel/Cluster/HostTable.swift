/// Where every VM is and what every host has left: the placement state of a
/// run, shared by reference between the engine and the cluster operations
/// (rolling maintenance, balancing, sampling), so none of them works on a copy.
/// Its arrays skip run-time exclusivity checks (one thread; no call holds an
/// access across another).
final class HostTable {
    /// The host each VM is on.
    @exclusivity(unchecked) private(set) var vmHost: [Int]
    /// Memory not held by placed VMs or reservations, bytes per host.
    @exclusivity(unchecked) private(set) var freeMemory: [Double]
    /// Migrations each host takes part in, as source or target.
    @exclusivity(unchecked) private(set) var active: [Int]
    /// Hosts that can receive VMs (false while failed or in maintenance).
    @exclusivity(unchecked) var up: [Bool]
    /// Hosts whose maintenance is done; placement prefers them (cluster-aware updating).
    @exclusivity(unchecked) private(set) var updated: [Bool]
    /// Hosts whose free memory, CPU demand or updated flag changed since
    /// ``takeTouched(_:)`` last took them (the placement index's keys).
    @exclusivity(unchecked) private var touched: [Int32] = []
    @exclusivity(unchecked) private var isTouched: [Bool]
    /// VMs placed on each host (unordered).
    @exclusivity(unchecked) private(set) var vmsOn: [[Int32]]
    /// Each VM's position in its host's `vmsOn` list (so a move costs O(1), not a search).
    @exclusivity(unchecked) private var slot: [Int32]
    /// Sum of the mean CPU demand (cores) of the VMs placed on each host.
    @exclusivity(unchecked) private(set) var cpuDemand: [Double]
    /// Cores each host spends on migration now: its reservation while it takes
    /// part in at least one network migration, shared by all of them
    /// (``CostSettings/migrationCoresPerGbps``); exactly 0 otherwise.
    @exclusivity(unchecked) private(set) var migrationCPU: [Double]
    /// Network migrations each host takes part in now, and its reservation.
    @exclusivity(unchecked) private var networkActive: [Int32]
    private var reservation: [Double]
    /// Placement keys as integer classes, so the per-host checks compare integers.
    let hostVendor: [Int], hostNets: [[Int]], vmVendor: [Int], vmNet: [Int]
    /// Virtual networks per host as a bit mask of network ids (ids < 64), for the placement fast path.
    let hostNetMask: [UInt64]

    init(cluster: ClusterSpec, vms: [VMSpec]) {
        let n = cluster.hosts.count
        vmHost = vms.indices.map { vms[$0].host }
        freeMemory = cluster.hosts.map(\.memoryBytes)
        active = Array(repeating: 0, count: n)
        up = Array(repeating: true, count: n)
        updated = Array(repeating: false, count: n)
        isTouched = Array(repeating: false, count: n)
        vmsOn = Array(repeating: [], count: n)
        cpuDemand = Array(repeating: 0, count: n)
        migrationCPU = Array(repeating: 0, count: n)
        networkActive = Array(repeating: 0, count: n)
        reservation = Array(repeating: 0, count: n)
        slot = Array(repeating: 0, count: vms.count)
        for i in vms.indices {  // by index: a for-in loop copied each VM's spec
            let host = vms[i].host
            slot[i] = Int32(vmsOn[host].count)
            vmsOn[host].append(Int32(i))
            cpuDemand[host] += vms[i].cpuDemand.mean ?? 0
            freeMemory[host] -= vms[i].memoryBytes
        }
        var vendors: [String] = [], nets: [String] = []
        func id(_ s: String, _ table: inout [String]) -> Int {
            if let i = table.firstIndex(of: s) { return i }
            table.append(s)
            return table.count - 1
        }
        hostVendor = cluster.hosts.map { id($0.cpuVendor, &vendors) }
        hostNets = cluster.hosts.map { h in h.virtualNetworks.map { id($0, &nets) } }
        vmVendor = vms.indices.map { id(vms[$0].cpuVendor, &vendors) }
        vmNet = vms.indices.map { id(vms[$0].virtualNetwork, &nets) }
        hostNetMask = hostNets.map { ids in ids.reduce(UInt64(0)) { $1 < 64 ? $0 | (1 << UInt64($1)) : $0 } }
    }

    /// A migration of a VM of `memory` bytes from `source` to `target` starts:
    /// the target's memory is reserved and both hosts count it (a restart
    /// after a failure does not occupy the failed source).
    private func startNetwork(_ h: Int) {
        networkActive[h] += 1
        migrationCPU[h] = reservation[h]
    }

    private func endNetwork(_ h: Int) {
        networkActive[h] -= 1
        migrationCPU[h] = networkActive[h] > 0 ? reservation[h] : 0
    }

    /// Sets each host's migration CPU reservation, in cores.
    func reserveForMigration(_ cores: [Double]) { reservation = cores }

    /// Host `h`'s maintenance is done.
    func markUpdated(_ h: Int) {
        updated[h] = true
        touch(h)
    }

    private func touch(_ h: Int) {
        if !isTouched[h] {
            isTouched[h] = true
            touched.append(Int32(h))
        }
    }

    /// Moves the hosts touched since the last call into `hosts` (replacing its contents).
    func takeTouched(_ hosts: inout [Int32]) {
        hosts.removeAll(keepingCapacity: true)
        swap(&hosts, &touched)
        for h in hosts { isTouched[Int(h)] = false }
    }

    func begin(memory: Double, source: Int, target: Int, occupiesSource: Bool, network: Bool) {
        freeMemory[target] -= memory
        touch(target)
        if occupiesSource { active[source] += 1 }
        active[target] += 1
        if network {
            if occupiesSource { startNetwork(source) }
            startNetwork(target)
        }
    }

    /// The migration ends: on success the VM moves to the target and the
    /// source's memory is freed; on abort the target's reservation is.
    func end(vm: Int, memory: Double, cpu: Double, network: Bool, source: Int, target: Int, occupiedSource: Bool, moved: Bool) {
        touch(source)
        touch(target)
        if moved {
            freeMemory[source] += memory
            vmHost[vm] = target
            // Swap-remove from the source's list (the VM's slot is known), append to the target's.
            let k = Int(slot[vm]), last = vmsOn[source].count - 1
            let moved = vmsOn[source][last]
            vmsOn[source][k] = moved
            slot[Int(moved)] = Int32(k)
            vmsOn[source].removeLast()
            slot[vm] = Int32(vmsOn[target].count)
            vmsOn[target].append(Int32(vm))
            cpuDemand[source] -= cpu
            cpuDemand[target] += cpu
        } else {
            freeMemory[target] += memory
        }
        if occupiedSource { active[source] -= 1 }
        active[target] -= 1
        if network {
            if occupiedSource { endNetwork(source) }
            endNetwork(target)
        }
    }
}
