import MigsimKernel
import MigsimNetwork
import MigsimRandom

/// The events of a cluster simulation. Values, dispatched by `switch`.
public enum ClusterEvent: Sendable {
    /// The earliest transfer completion in the flow network.
    case network
    /// A migration request becomes due (index into the request list).
    case request(Int32)
    /// A phase timer of a migration fired.
    case timer(Int32)
    /// A cluster operation's own timer (e.g. a host's maintenance ended).
    case operation
    /// A PRO balancing check.
    case balance
    /// A utilisation sample for the time series.
    case sample
}

/// A request to migrate (or restart) one VM.
public struct MigrationRequest: Sendable {
    public var vm: Int
    public var kind: MigrationKind
    /// Target host, or `nil` to let placement pick the best-rated host.
    public var target: Int?
    /// Simulated seconds at which the request is made.
    public var at: Double

    public init(vm: Int, kind: MigrationKind, target: Int? = nil, at: Double = 0) {
        self.vm = vm
        self.kind = kind
        self.target = target
        self.at = at
    }
}

/// Concurrency limits (DESIGN.md section 5). Migrations beyond a limit wait in
/// a FIFO queue; the wait is reported as `queue_s`.
public struct ConcurrencyLimits: Sendable {
    /// Simultaneous migrations a host takes part in, as source or target
    /// (Hyper-V 2012+: configurable, default 2).
    public var perHost: Int = 2
    /// Simultaneous migrations in the whole cluster.
    public var perCluster: Int = .max
    /// Simultaneous migrations between one pair of hosts, either direction
    /// (Hyper-V 2008 R2: 1).
    public var perPair: Int = .max
    public init(perHost: Int = 2, perCluster: Int = .max, perPair: Int = .max) {
        self.perHost = perHost
        self.perCluster = perCluster
        self.perPair = perPair
    }
}

/// The run of one cluster scenario: hosts, VMs, the flow network, and the
/// migrations in flight. Strategies (one file each under `Strategies/`) drive
/// their phases through the services below.
///
/// Determinism: every random number comes from a stream keyed by
/// (seed, run, VM, purpose); requests waiting for a slot are served FIFO; host
/// choices break ties by the lower index; flow completions at the same instant
/// are handled in flow-id order.
public final class ClusterSimulation {
    public let cluster: ClusterSpec
    public let vms: [VMSpec]
    public let settings: MigrationSettings
    public let limits: ConcurrencyLimits
    public let weights: PlacementWeights
    public let seed: UInt64
    public let run: UInt64

    let scheduler = DefaultScheduler<ClusterEvent>()
    let network = FlowNetwork(solver: MaxMinSolver())
    var networkWake: EventID?
    var networkWakeTime: SimTime?

    // Resources per host.
    var nicTx: [ResourceID] = [], nicRx: [ResourceID] = []
    var diskRead: [ResourceID] = [], diskWrite: [ResourceID] = []
    var sanRead: ResourceID?, sanWrite: ResourceID?
    var core: ResourceID?
    /// Top-of-rack uplinks per rack, out and in.
    var rackOut: [ResourceID] = [], rackIn: [ResourceID] = []

    // Placement state.
    public internal(set) var vmHost: [Int]
    var hostFreeMemory: [Double]
    var hostActive: [Int]
    /// Hosts that can receive VMs (false while failed or in maintenance).
    public internal(set) var hostUp: [Bool]
    /// Hosts whose maintenance is done; placement prefers them (cluster-aware updating).
    public internal(set) var hostUpdated: [Bool]
    /// Placement keys: integer classes so the per-host check compares integers.
    var hostVendor: [Int] = [], hostNets: [[Int]] = []
    var vmVendor: [Int] = [], vmNet: [Int] = []
    /// Virtual networks per host as a bit mask of network ids (ids < 64), for the placement fast path.
    var hostNetMask: [UInt64] = []
    /// VMs currently placed on each host (unordered).
    var hostVMs: [[Int32]]
    /// Sum of the mean CPU demand (cores) of the VMs placed on each host.
    var hostCPUDemand: [Double]
    /// Requests still unresolved (waiting, running) per source host, for drains.
    var unresolvedFrom: [Int]
    var operation: RollingMaintenance?
    var balancer: ProBalancer?
    /// Active migrations per unordered host pair (key `min * hosts + max`); looked up, never iterated.
    var pairActive: [Int: Int] = [:]
    var sampler: UtilisationSampler?
    var clusterActive = 0

    var requests: [MigrationRequest] = []
    var waiting: [Int] = []  // request indices, FIFO
    var inStartWaiting = false
    var resolvedLater: [Int] = []
    var migrations: [Migration] = []

    public private(set) var records: [MigrationRecord] = []
    public private(set) var rounds: [RoundRecord] = []
    /// Whether to keep per-round records (off for very large runs).
    public var recordRounds = true

    public init(cluster: ClusterSpec, vms: [VMSpec], settings: MigrationSettings, limits: ConcurrencyLimits = ConcurrencyLimits(),
                weights: PlacementWeights = PlacementWeights(), seed: UInt64, run: UInt64 = 0) throws {
        try ModelValidation.check(cluster: cluster, vms: vms, settings: settings, limits: limits, weights: weights)
        self.cluster = cluster
        self.vms = vms
        self.settings = settings
        self.limits = limits
        self.weights = weights
        self.seed = seed
        self.run = run
        vmHost = vms.map(\.host)
        hostFreeMemory = cluster.hosts.map(\.memoryBytes)
        hostActive = Array(repeating: 0, count: cluster.hosts.count)
        hostUp = Array(repeating: true, count: cluster.hosts.count)
        hostUpdated = Array(repeating: false, count: cluster.hosts.count)
        unresolvedFrom = Array(repeating: 0, count: cluster.hosts.count)
        hostVMs = Array(repeating: [], count: cluster.hosts.count)
        hostCPUDemand = Array(repeating: 0, count: cluster.hosts.count)
        for (i, v) in vms.enumerated() {
            hostVMs[v.host].append(Int32(i))
            hostCPUDemand[v.host] += v.cpuDemand.mean ?? 0
        }
        var vendors: [String] = [], nets: [String] = []
        func id(_ s: String, _ table: inout [String]) -> Int {
            if let i = table.firstIndex(of: s) { return i }
            table.append(s)
            return table.count - 1
        }
        for h in cluster.hosts {
            hostVendor.append(id(h.cpuVendor, &vendors))
            hostNets.append(h.virtualNetworks.map { id($0, &nets) })
        }
        for v in vms {
            vmVendor.append(id(v.cpuVendor, &vendors))
            vmNet.append(id(v.virtualNetwork, &nets))
        }
        hostNetMask = hostNets.map { ids in ids.reduce(UInt64(0)) { $1 < 64 ? $0 | (1 << UInt64($1)) : $0 } }
        for v in vms { hostFreeMemory[v.host] -= v.memoryBytes }
        let eff = cluster.protocolEfficiency
        for h in cluster.hosts {
            let nic = h.nicBandwidth * h.nicMigrationShare * eff
            nicTx.append(network.addResource(name: "\(h.name).nic.tx", capacity: nic))
            nicRx.append(network.addResource(name: "\(h.name).nic.rx", capacity: nic))
            diskRead.append(network.addResource(name: "\(h.name).disk.read", capacity: h.diskRead))
            diskWrite.append(network.addResource(name: "\(h.name).disk.write", capacity: h.diskWrite))
        }
        if let s = cluster.sharedStorage {
            sanRead = network.addResource(name: "san.read", capacity: s.readBandwidth)
            sanWrite = network.addResource(name: "san.write", capacity: s.writeBandwidth)
        }
        if let c = cluster.coreBandwidth { core = network.addResource(name: "core", capacity: c * eff) }
        if let r = cluster.rackUplinkBandwidth {
            let racks = (cluster.hosts.count + cluster.rackSize - 1) / cluster.rackSize
            for k in 0..<racks {
                rackOut.append(network.addResource(name: "rack\(k).uplink.out", capacity: r * eff))
                rackIn.append(network.addResource(name: "rack\(k).uplink.in", capacity: r * eff))
            }
        }
    }

    // MARK: Requests and the event loop

    /// Marks a host as unable to receive VMs (maintenance or failure) or back up.
    public func setHostUp(_ host: Int, _ up: Bool) { hostUp[host] = up }

    /// Queues a request; it becomes due at `request.at`.
    public func submit(_ request: MigrationRequest) throws {
        try require(request.vm >= 0 && request.vm < vms.count, .requestVM, request.vm, "a VM index in 0..<\(vms.count)")
        if let t = request.target {
            try require(t >= 0 && t < cluster.hosts.count, .requestTarget, t, "a host index in 0..<\(cluster.hosts.count)")
        }
        guard let at = SimTime(seconds: request.at) else {
            throw ModelError(field: .requestTime, value: "\(request.at)", accepted: "seconds >= 0 within the Int64 ns range")
        }
        requests.append(request)
        do {
            try scheduler.schedule(at: at, .request(Int32(requests.count - 1)))
        } catch {
            throw ModelError(field: .requestTime, value: "\(request.at)", accepted: "a time not before now (\(scheduler.now.seconds) s)")
        }
    }

    /// Runs until no event remains, `horizon` seconds is reached, or
    /// `maxEvents` events have been processed in this call (a budget for
    /// fuzzing and smoke checks; unlimited by default).
    /// - Returns: `true` if the horizon (or the budget) cut the run short.
    @discardableResult
    public func run(horizon: Double = .infinity, maxEvents: UInt64 = .max) -> Bool {
        let h = SimTime(seconds: horizon) ?? .distantFuture
        guard maxEvents > 0 else { return scheduler.pendingCount > 0 || hasUnfinishedWork }
        var budget = maxEvents
        scheduler.run(until: h) { event in
            switch event {
            case .network: networkWakeup()
            case .request(let r): requestDue(Int(r))
            case .timer(let m): timerFired(Int(m))
            case .operation: operationTimer()
            case .balance: balanceCheck()
            case .sample: sampleTick()
            }
            refreshNetworkWake()
            budget -= 1
            if budget == 0 { scheduler.stop() }
        }
        return scheduler.pendingCount > 0 || hasUnfinishedWork
    }

    /// Whether requests are still queued or migrations still in flight (after
    /// ``run(horizon:)``: the horizon came first, or a transfer would end
    /// beyond the representable time, about 292 years).
    public var hasUnfinishedWork: Bool { !waiting.isEmpty || migrations.contains { $0.record.endTime == nil } }

    /// Appends a record, marked ``MigrationRecord/unfinished``, for every
    /// migration still in flight and every request still queued. Call once,
    /// after the last ``run(horizon:)``.
    public func recordUnfinished() {
        for m in migrations where m.record.endTime == nil {
            var r = m.record
            r.unfinished = true
            records.append(r)
        }
        for q in waiting {
            let req = requests[q]
            var r = MigrationRecord(vm: req.vm, kind: req.kind, source: vmHost[req.vm], requestTime: req.at)
            r.unfinished = true
            records.append(r)
        }
    }

    /// Number of events processed so far.
    public var eventsProcessed: UInt64 { scheduler.eventsProcessed }
    /// Current simulated time in seconds.
    public var now: Double { scheduler.now.seconds }

    func requestDue(_ r: Int) {
        unresolvedFrom[vmHost[requests[r].vm]] += 1
        waiting.append(r)
        startWaiting()
    }

    func pairKey(_ a: Int, _ b: Int) -> Int { min(a, b) * cluster.hosts.count + max(a, b) }

    /// A request from `host` is resolved (finished, refused or aborted).
    func resolved(from host: Int) {
        unresolvedFrom[host] -= 1
        if unresolvedFrom[host] == 0, var op = operation, op.current == host {
            op.drained(self)
            operation = op
        }
    }

    func operationTimer() {
        guard var op = operation else { return }
        op.maintenanceDone(self)
        operation = op
    }

    /// Starts a rolling maintenance over `hosts`, in order: drain a host with
    /// `kind`, keep it down for `maintenance` seconds, bring it back (marked
    /// updated, so later drains prefer it as a target), then the next host.
    public func startRollingMaintenance(hosts: [Int], kind: MigrationKind, maintenance: Double) throws {
        try require(maintenance.isFinite && maintenance >= 0, .scenarioMaintenance, maintenance, "seconds >= 0")
        for h in hosts { try require(h >= 0 && h < cluster.hosts.count, .rollingHosts, h, "host indices in 0..<\(cluster.hosts.count)") }
        var op = RollingMaintenance(order: hosts, kind: kind, maintenance: maintenance)
        op.next(self)
        operation = op
    }

    /// When the last host of a rolling maintenance came back, in seconds.
    public var maintenanceWindowEnd: Double? { operation?.finishedAt }

    /// Starts every waiting request that can start now, in FIFO order.
    func startWaiting() {
        guard !waiting.isEmpty, !inStartWaiting else { return }
        inStartWaiting = true
        var kept: [Int] = []
        for r in waiting {
            if !tryStart(r) { kept.append(r) }
        }
        waiting = kept
        inStartWaiting = false
        // Resolutions found while scanning may start the next drain; do them last.
        while let h = resolvedLater.popLast() { resolved(from: h) }
    }

    /// Starts request `r` if limits and placement allow; records refusals.
    /// - Returns: `false` if it must keep waiting.
    func tryStart(_ r: Int) -> Bool {
        let req = requests[r]
        let src = vmHost[req.vm]
        var rec = MigrationRecord(vm: req.vm, kind: req.kind, source: src, requestTime: req.at)
        let restart = req.kind == .failoverRestart
        if req.kind == .quick && sanRead == nil {
            rec.refusedReason = "no-shared-storage"
            records.append(rec)
            resolvedLater.append(src)
            return true
        }
        if clusterActive >= limits.perCluster { return false }
        if !restart && hostActive[src] >= limits.perHost { return false }
        let choice = placement(vm: req.vm, source: src, requested: req.target)
        switch choice {
        case .refused(let reason):
            rec.refusedReason = reason
            records.append(rec)
            balancer?.migrating[req.vm] = false
            resolvedLater.append(src)
            return true
        case .busy:
            return false
        case .host(let dst):
            if limits.perPair != .max && pairActive[pairKey(src, dst), default: 0] >= limits.perPair { return false }
            if limits.perPair != .max { pairActive[pairKey(src, dst), default: 0] += 1 }
            rec.target = dst
            rec.startTime = now
            if req.kind == .live || req.kind == .liveStorage { rec.policy = settings.policy.name }
            hostFreeMemory[dst] -= vms[req.vm].memoryBytes  // reserved at start
            if !restart { hostActive[src] += 1 }
            hostActive[dst] += 1
            clusterActive += 1
            migrations.append(Migration(record: rec, vm: req.vm, source: src, target: dst, start: scheduler.now))
            let i = migrations.count - 1
            dispatchStart(i)
            return true
        }
    }

    // MARK: Strategy dispatch (closed set, no existentials)

    func dispatchStart(_ i: Int) {
        switch migrations[i].record.kind {
        case .live: LiveMigration.start(self, i)
        case .postCopy: PostCopyMigration.start(self, i)
        case .quick: QuickMigration.start(self, i)
        case .storage: StorageMigration.start(self, i)
        case .liveStorage: LiveStorageMigration.start(self, i)
        case .offline: OfflineMigration.start(self, i)
        case .failoverRestart: FailoverRestart.start(self, i)
        }
    }

    func dispatchStep(_ i: Int, _ done: FlowCompletion?) {
        switch migrations[i].record.kind {
        case .live: LiveMigration.step(self, i, done)
        case .postCopy: PostCopyMigration.step(self, i, done)
        case .quick: QuickMigration.step(self, i, done)
        case .storage: StorageMigration.step(self, i, done)
        case .liveStorage: LiveStorageMigration.step(self, i, done)
        case .offline: OfflineMigration.step(self, i, done)
        case .failoverRestart: FailoverRestart.step(self, i, done)
        }
    }

    func timerFired(_ i: Int) { dispatchStep(i, nil) }

    func networkWakeup() {
        networkWake = nil
        networkWakeTime = nil
        for c in network.advance(to: scheduler.now) {
            let i = c.tag
            migrations[i].flow = nil
            migrations[i].record.bytesSent += c.bytes
            dispatchStep(i, c)
        }
    }

    func refreshNetworkWake() {
        let next = network.nextCompletion
        if next == networkWakeTime { return }
        if let w = networkWake { scheduler.cancel(w) }
        networkWake = nil
        networkWakeTime = next
        if let t = next {
            // Completion times are never before now: the network rounds up.
            networkWake = try! scheduler.schedule(at: Swift.max(t, scheduler.now), priority: 64, .network)
        }
    }

    // MARK: Services for strategies

    /// The network path from host `a` to host `b`: NIC out, the source
    /// rack's uplink out and the target rack's uplink in (when the racks
    /// differ), the core (if any), NIC in.
    func netPath(_ a: Int, _ b: Int) -> [ResourceID] {
        var p = [nicTx[a]]
        let crossRack = !rackOut.isEmpty && a / cluster.rackSize != b / cluster.rackSize
        if crossRack { p.append(rackOut[a / cluster.rackSize]) }
        if let c = core { p.append(c) }
        if crossRack { p.append(rackIn[b / cluster.rackSize]) }
        p.append(nicRx[b])
        return p
    }

    /// A disk-to-disk copy from host `a` to host `b`: source disk read, the
    /// network path, target disk write.
    func diskCopyPath(_ a: Int, _ b: Int) -> [ResourceID] { [diskRead[a]] + netPath(a, b) + [diskWrite[b]] }

    /// Starts migration `i`'s transfer of `bytes` over `path`; its strategy's
    /// `step` runs with the completion.
    func transfer(_ i: Int, bytes: Double, path: [ResourceID], cap: Double = .infinity) {
        precondition(migrations[i].flow == nil, "one transfer at a time per migration")
        migrations[i].flow = network.startFlow(bytes: bytes, path: path, cap: cap, tag: i, now: scheduler.now)
    }

    /// Runs migration `i`'s strategy `step` again after `seconds`.
    func timer(_ i: Int, after seconds: Double) {
        scheduleLater(seconds, .timer(Int32(i)))
    }

    /// Schedules `event` `seconds` from now (rounded up to whole nanoseconds).
    /// A time past the end of the Int64 clock (each delay is valid, but now plus
    /// a delay of up to 292 years is not) saturates at ``SimTime/distantFuture``:
    /// the event stays pending beyond any horizon, and the run reports that it
    /// reached its horizon, instead of trapping on the overflow.
    func scheduleLater(_ seconds: Double, priority: UInt8 = 128, _ event: ClusterEvent) {
        let ns = SimDuration(atLeastSeconds: Swift.max(0, seconds))?.nanoseconds ?? .max
        let (sum, overflow) = scheduler.now.nanoseconds.addingReportingOverflow(ns)
        _ = try! scheduler.schedule(at: overflow ? .distantFuture : SimTime(nanoseconds: sum), priority: priority, event)
    }

    /// A random stream for VM `vm` and `purpose`.
    func stream(_ vm: Int, _ purpose: StreamPurpose) -> RandomStream {
        RandomStream(StreamKey(seed: seed, run: run, entity: UInt64(vm), purpose: purpose))
    }

    func appendRound(_ r: RoundRecord) { if recordRounds { rounds.append(r) } }

    /// Ends migration `i`: the VM now lives on the target (or, if `aborted`,
    /// stays on the source) and the slots are released.
    func finish(_ i: Int, aborted: Bool = false) {
        var m = migrations[i]
        m.record.endTime = now
        m.record.aborted = aborted
        let mem = vms[m.vm].memoryBytes
        if aborted {
            hostFreeMemory[m.target] += mem
        } else {
            hostFreeMemory[m.source] += mem
            vmHost[m.vm] = m.target
            if let k = hostVMs[m.source].firstIndex(of: Int32(m.vm)) { hostVMs[m.source].swapAt(k, hostVMs[m.source].count - 1) }
            hostVMs[m.source].removeLast()
            hostVMs[m.target].append(Int32(m.vm))
            let cpu = vms[m.vm].cpuDemand.mean ?? 0
            hostCPUDemand[m.source] -= cpu
            hostCPUDemand[m.target] += cpu
        }
        if m.record.kind != .failoverRestart { hostActive[m.source] -= 1 }
        if limits.perPair != .max { pairActive[pairKey(m.source, m.target), default: 0] -= 1 }
        balancer?.migrated(vm: m.vm, at: now)
        hostActive[m.target] -= 1
        clusterActive -= 1
        #if DEBUG
        checkInvariants(after: m)
        #endif
        records.append(m.record)
        migrations[i] = m
        resolvedLater.append(m.source)
        startWaiting()
        while let h = resolvedLater.popLast() { resolved(from: h) }
    }
}

#if DEBUG
extension ClusterSimulation {
    /// Debug-build invariants after each migration: live migration sends at
    /// least the VM's memory unless aborted; no host holds more memory than it
    /// has, counting reservations; every VM is on exactly one host.
    func checkInvariants(after m: Migration) {
        if m.record.kind == .live && !m.record.aborted {
            precondition(m.record.bytesSent >= Double(vms[m.vm].pages * vms[m.vm].pageSize) * (1 - 1e-12),
                         "live migration of VM \(m.vm) sent less than its memory")
        }
        for (h, free) in hostFreeMemory.enumerated() {
            precondition(free >= -1e-6 * cluster.hosts[h].memoryBytes, "host \(h) holds more memory than it has")
        }
        precondition(hostVMs.reduce(0) { $0 + $1.count } == vms.count && hostVMs[vmHost[m.vm]].contains(Int32(m.vm)),
                     "VM \(m.vm) is not on exactly one host")
    }
}
#endif

/// The state of one migration in flight. Strategy-specific progress lives in
/// small fields rather than per-kind subclasses.
struct Migration {
    var record: MigrationRecord
    let vm: Int
    let source: Int
    let target: Int
    let start: SimTime
    /// Strategy-defined phase number.
    var phase = 0
    var flow: FlowID?
    /// Start of the current phase or round.
    var phaseStart: SimTime
    var pauseTime: SimTime?
    var precopy: Precopy?
    var disk: DiskStage?

    init(record: MigrationRecord, vm: Int, source: Int, target: Int, start: SimTime) {
        self.record = record
        self.vm = vm
        self.source = source
        self.target = target
        self.start = start
        self.phaseStart = start
    }
}
