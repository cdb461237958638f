/// Weights of the host rating's free-resource shares (SCVMM rates hosts by
/// free CPU, memory, disk and network; the weights are configurable there too).
public struct PlacementWeights: Sendable, Equatable {
    public var memory: Double = 1
    public var cpu: Double = 1
    public var network: Double = 1
    public var disk: Double = 0
    public init(memory: Double = 1, cpu: Double = 1, network: Double = 1, disk: Double = 0) {
        self.memory = memory
        self.cpu = cpu
        self.network = network
        self.disk = disk
    }

    func validate() throws {
        for (field, v) in [(ModelField.placementMemoryWeight, memory), (.placementCPUWeight, cpu), (.placementNetworkWeight, network),
                           (.placementDiskWeight, disk)] {
            try require(v.isFinite && v >= 0, field, v, "a number >= 0")
        }
    }
}

/// What a placement rule sees of one candidate host (every candidate can take
/// the VM: it is up, has its virtual network, a matching CPU, free memory and a free slot).
public struct HostView: Sendable {
    public let index: Int
    public let spec: HostSpec
    /// Memory not held by VMs or reservations, bytes.
    public let freeMemory: Double
    /// Mean CPU demand of the VMs placed there, cores.
    public let cpuDemand: Double
    /// Migrations the host takes part in now.
    public let activeMigrations: Int
    /// Carried over capacity of its migration NIC's receive direction, 0...1.
    public let nicReceiveUtilisation: Double
    /// Whether its maintenance is done (rolling maintenance).
    public let updated: Bool
}

/// A rule that picks a VM's target among the candidate hosts (see
/// `experiments/extending/`): the candidate with the highest rating wins,
/// ties to the lower index. Replaces migsim's SCVMM-style rating
/// (``PlacementWeights``); the feasibility checks stay migsim's.
public protocol PlacementRule: Sendable {
    var name: String { get }
    func rating(of host: HostView, for vm: VMSpec) -> Double
}

/// The outcome of choosing a target host.
enum PlacementChoice: Equatable {
    case host(Int)
    /// Suitable hosts exist but none has a free migration slot now.
    case busy
    /// No host can take the VM; the reason goes to `refused_reason`.
    case refused(String)
}

extension ClusterSimulation {
    /// Why `host` cannot run `vm`, or `nil` if it can (ignoring slots).
    ///
    /// Checks, in order: the host is up, the VM's virtual network exists there,
    /// the CPU vendor matches, the CPU family matches unless processor
    /// compatibility mode is on, and free memory (counting reservations)
    /// covers the VM (DESIGN.md section 5; seeds 001 and 004).
    func incompatibility(vm: Int, host: Int) -> String? {
        if !hosts.up[host] { return "host-unavailable" }
        if !hosts.hostNets[host].contains(hosts.vmNet[vm]) { return "virtual-network" }
        if hosts.hostVendor[host] != hosts.vmVendor[vm] { return "cpu-vendor" }
        let v = vms[vm]
        if cluster.hosts[host].cpuFamily != v.cpuFamily && !v.processorCompatibility { return "cpu-family" }
        if hosts.freeMemory[host] < v.memoryBytes { return "memory" }
        return nil
    }

    /// Rating bonus of a host already through maintenance: larger than any
    /// sum of free shares (at most 4 with unit weights, and weights are
    /// finite), so rolling maintenance fills updated hosts first.
    static let updatedHostBonus = 100.0
    /// Clusters larger than this place through ``PlacementIndex``; smaller ones scan every host.
    static let indexedPlacementHosts = 64
    /// Rating cost of each migration a host already takes part in: small
    /// against the free shares, so it only breaks near-ties towards idle hosts.
    static let activeMigrationPenalty = 0.01

    /// The host rating (SCVMM's star rating): the weighted free shares of
    /// memory, CPU (mean demand of the VMs placed there over cores), migration
    /// NIC receive bandwidth and local disk write bandwidth, minus
    /// ``activeMigrationPenalty`` per active migration, plus
    /// ``updatedHostBonus`` for hosts through maintenance. Ties go to the lower index.
    func rating(_ host: Int) -> Double {
        rating(host, receive: weights.network != 0 ? network.utilisation(routes.nicRx[host]) : 0,
               diskWrite: weights.disk != 0 ? network.utilisation(routes.diskWrite[host]) : 0, active: hosts.active[host])
    }

    /// An upper bound of ``rating(_:)`` that moves only with the host's free
    /// memory, CPU demand and updated flag: NICs and disk idle, no migration
    /// under way. It is the rating's own sum with those parts at their best,
    /// and rounding is monotone, so it is never below the rating.
    func ratingBound(_ host: Int) -> Double {
        rating(host, receive: 0, diskWrite: 0, active: 0)
    }

    /// The rating's sum, in the one order both ``rating(_:)`` and ``ratingBound(_:)`` evaluate it.
    private func rating(_ host: Int, receive: Double, diskWrite: Double, active: Int) -> Double {
        let w = weights
        var r = w.memory * hosts.freeMemory[host] / cluster.hosts[host].memoryBytes
        if w.cpu != 0 { r += w.cpu * max(0, 1 - hosts.cpuDemand[host] / Double(cluster.hosts[host].cpuCores)) }
        if w.network != 0 { r += w.network * (1 - receive) }
        if w.disk != 0 { r += w.disk * (1 - diskWrite) }
        return (hosts.updated[host] ? Self.updatedHostBonus : 0) + r - Self.activeMigrationPenalty * Double(active)
    }

    /// What a placement rule sees of host `h`.
    func view(_ h: Int) -> HostView {
        HostView(index: h, spec: cluster.hosts[h], freeMemory: hosts.freeMemory[h], cpuDemand: hosts.cpuDemand[h],
                 activeMigrations: hosts.active[h], nicReceiveUtilisation: network.utilisation(routes.nicRx[h]),
                 updated: hosts.updated[h])
    }

    func placement(vm: Int, source: Int, requested: Int?) -> PlacementChoice {
        if let t = requested {
            if t == source { return .refused("same-host") }
            if let why = incompatibility(vm: vm, host: t) { return .refused(why) }
            return hosts.active[t] < limits.perHost ? .host(t) : .busy
        }
        // Fast path: cheapest tests first, no strings, no diagnosis.
        let mem = vms[vm].memoryBytes, net = hosts.vmNet[vm], vendor = hosts.vmVendor[vm]
        let family = vms[vm].cpuFamily, compat = vms[vm].processorCompatibility
        let netBit: UInt64 = net < 64 ? 1 << UInt64(net) : 0
        func canTake(_ h: Int) -> Bool {
            guard h != source, hosts.freeMemory[h] >= mem, hosts.up[h], hosts.hostVendor[h] == vendor else { return false }
            guard netBit != 0 ? hosts.hostNetMask[h] & netBit != 0 : hosts.hostNets[h].contains(net) else { return false }
            return compat || cluster.hosts[h].cpuFamily == family
        }
        // A large cluster with migsim's rating: the index finds the scan's
        // host among a few (small clusters scan: cheaper).
        if placementRule == nil && usePlacementIndex && cluster.hosts.count > Self.indexedPlacementHosts {
            if placementIndex == nil {
                placementIndex = PlacementIndex(hosts: cluster.hosts.count, free: { self.hosts.freeMemory[$0] }, bound: ratingBound)
            }
            let found = placementIndex!.best(hosts, memory: mem, free: { self.hosts.freeMemory[$0] }, bound: ratingBound,
                                             canTake: canTake, hasSlot: { self.hosts.active[$0] < self.limits.perHost },
                                             rating: rating)
            if let h = found.host { return .host(h) }
            if found.anyCanTake { return .busy }
        }
        var best = -1, bestRating = -Double.infinity
        var anySuitable = false
        for h in 0..<cluster.hosts.count where canTake(h) {
            anySuitable = true
            guard hosts.active[h] < limits.perHost else { continue }
            let r = placementRule.map { $0.rating(of: view(h), for: vms[vm]) } ?? rating(h)
            if r > bestRating { best = h; bestRating = r }
        }
        if best >= 0 { return .host(best) }
        if anySuitable { return .busy }
        // Diagnosis: the most telling reason any host gives.
        var firstReason: String?
        for h in 0..<cluster.hosts.count where h != source {
            if let why = incompatibility(vm: vm, host: h),
               firstReason == nil || why != "host-unavailable" && firstReason == "host-unavailable" { firstReason = why }
        }
        return .refused(firstReason ?? "no-other-host")
    }
}
