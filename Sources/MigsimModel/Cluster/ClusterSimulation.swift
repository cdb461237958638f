import MigsimKernel
import MigsimNetwork
import MigsimRandom

/// The events of a cluster simulation. Values, dispatched by `switch`.
public enum ClusterEvent: Sendable {
    /// The earliest transfer completion in the flow network.
    case network
    /// Requests `first ..< first + count` become due together (queued whole, then admitted).
    case requests(first: Int32, count: Int32)
    /// A migration's wait ended (index into the migration list).
    case wait(Int32)
    /// Rolling maintenance: the host under maintenance is done.
    case maintenanceDone
    /// A PRO balancing check.
    case balance
    /// A utilisation sample for the time series.
    case sample
    /// The next row of a migration plan is due.
    case planRow
}

/// Priorities of simultaneous events: at one instant, lower values run first,
/// and equal values in the order they were scheduled (the kernel's rule).
enum EventPriority {
    /// Transfer completions run before everything else due at the same
    /// instant, so a request or a wait ending then sees the slots and the
    /// bandwidth those transfers released.
    static let network: UInt8 = 64
    /// Requests, migration waits, maintenance and balancing checks.
    static let normal: UInt8 = 128
    /// Samples run last, so a sample shows the state after everything else
    /// that happened at its instant.
    static let sample: UInt8 = 255
}

/// A request to migrate (or restart) one VM.
public struct MigrationRequest: Sendable {
    public var vm: Int
    public var kind: MigrationKind
    /// Target host, or `nil` to let placement pick the best-rated host.
    public var target: Int?
    /// Simulated seconds at which the request is made.
    public var at: Double
    /// Stop policy for this migration (with its preset's own rate limit,
    /// throttling and mechanisms); `nil`: the scenario's settings.
    public var policy: PolicyPreset?

    public init(vm: Int, kind: MigrationKind, target: Int? = nil, at: Double = 0, policy: PolicyPreset? = nil) {
        self.vm = vm
        self.kind = kind
        self.target = target
        self.at = at
        self.policy = policy
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

/// The run of one cluster scenario: the event loop that admits requests,
/// starts migrations and delivers their transfers and waits.
///
/// The parts: `HostTable` (where VMs are, free memory, slots), `Routes`
/// (the bandwidth resources and paths), the flow network, the admission
/// queue, the migrations in flight (each a `MigrationState` owned here and
/// stepped through a `MigrationContext`), and the cluster operations
/// (`RollingMaintenance`, `ProBalancer`, `UtilisationSampler`), which are
/// reference types that the engine notifies and that submit requests back.
///
/// Exclusivity: the hot stored properties skip Swift's run-time exclusivity
/// checks (which cost more than the work around them here, as in the
/// kernel's scheduler). This is sound because a strategy's step cannot reach
/// the engine (it only returns a `Next`) and everything runs on one thread.
///
/// Determinism: every random number comes from a stream keyed by
/// (seed, run, entity, purpose, occurrence); requests waiting for a slot are
/// served FIFO; host choices break ties by the lower index; flow completions
/// at the same instant are handled in flow-id order; simultaneous events
/// follow `EventPriority`.
public final class ClusterSimulation {
    public let cluster: ClusterSpec
    public let vms: [VMSpec]
    public let settings: MigrationSettings
    public let limits: ConcurrencyLimits
    public let weights: PlacementWeights
    /// The order in which queued requests get slots.
    public let order: SchedulingOrder
    /// A rule that rates target hosts instead of ``weights``, if any.
    public let placementRule: (any PlacementRule)?
    /// Hosts by free memory and rating bound (built at the first placement).
    @exclusivity(unchecked) var placementIndex: PlacementIndex?
    /// Whether large clusters place through ``PlacementIndex`` (tests turn it off to compare with the scan).
    var usePlacementIndex = true
    /// Energy and SLA accounting (issue 17).
    let accounting: CostAccounting
    public let seed: UInt64
    public let run: UInt64

    let environment: MigrationEnvironment
    let hosts: HostTable
    let network = FlowNetwork(solver: MaxMinSolver())
    let routes: Routes
    let scheduler = DefaultScheduler<ClusterEvent>()
    @exclusivity(unchecked) private var networkWake: EventID?
    @exclusivity(unchecked) private var networkWakeTime: SimTime?
    @exclusivity(unchecked) private var completions: [FlowCompletion] = []

    // Admission.
    @exclusivity(unchecked) private var requests: [MigrationRequest] = []
    /// Requests waiting for slots, first come, first served.
    @exclusivity(unchecked) private var waiting: AdmissionQueue
    @exclusivity(unchecked) private var inStartWaiting = false
    /// Source hosts of requests resolved during a scan of `waiting`, handled after it.
    @exclusivity(unchecked) private var resolvedLater: [Int] = []
    /// Requests unresolved (waiting or running) per source host, for drains.
    @exclusivity(unchecked) private var unresolvedFrom: [Int]
    /// Active migrations per unordered host pair (key `min * hosts + max`); looked up, never iterated.
    @exclusivity(unchecked) private var pairActive: [Int: Int] = [:]
    @exclusivity(unchecked) private var clusterActive = 0
    /// Migrations started so far per VM: the next one's stream occurrence.
    @exclusivity(unchecked) private var startsPerVM: [UInt32]
    /// Whether each VM is migrating now.
    @exclusivity(unchecked) private var vmInFlight: [Bool]
    /// The source host each request was queued from.
    @exclusivity(unchecked) private var queuedFrom: [Int] = []
    /// Requests for a VM that was migrating when they came up, by VM; queued
    /// again, from its new host, when that migration ends. Looked up by VM, never iterated.
    @exclusivity(unchecked) private var deferred: [Int: [Int]] = [:]

    // Migrations.
    @exclusivity(unchecked) private var migrations: [Migration] = []
    @exclusivity(unchecked) public private(set) var records: [MigrationRecord] = []
    public var rounds: [RoundRecord] { environment.roundLog.rows }
    /// Whether to keep per-round records (off for very large runs).
    public var recordRounds: Bool {
        get { environment.roundLog.enabled }
        set { environment.roundLog.enabled = newValue }
    }

    // Cluster operations.
    var rolling: RollingMaintenance?
    var balancer: ProBalancer?
    var sampler: UtilisationSampler?
    var plan: PlanReplay?

    public init(cluster: ClusterSpec, vms: [VMSpec], settings: MigrationSettings, limits: ConcurrencyLimits = ConcurrencyLimits(),
                weights: PlacementWeights = PlacementWeights(), order: SchedulingOrder = .fifo,
                placementRule: (any PlacementRule)? = nil, costs: CostSettings = CostSettings(), seed: UInt64,
                run: UInt64 = 0) throws {
        try ModelValidation.check(cluster: cluster, vms: vms, settings: settings, limits: limits, weights: weights)
        let table = HostTable(cluster: cluster, vms: vms)
        environment = MigrationEnvironment(cluster: cluster, vms: vms, settings: settings, seed: seed, run: run)
        hosts = table
        self.cluster = cluster
        self.vms = vms
        self.settings = settings
        self.seed = seed
        self.run = run
        self.limits = limits
        self.weights = weights
        self.order = order
        self.placementRule = placementRule
        try costs.validate()
        table.reserveForMigration(cluster.hosts.map { costs.migrationReservation(nicBandwidth: $0.nicBandwidth * $0.nicMigrationShare) })
        accounting = CostAccounting(settings: costs, hosts: table, cluster: cluster)
        routes = Routes(cluster: cluster, network: network)
        unresolvedFrom = Array(repeating: 0, count: cluster.hosts.count)
        waiting = AdmissionQueue(hosts: cluster.hosts.count)
        startsPerVM = Array(repeating: 0, count: vms.count)
        vmInFlight = Array(repeating: false, count: vms.count)
    }

    // MARK: Requests and the event loop

    /// The host each VM is on.
    public var vmHost: [Int] { hosts.vmHost }
    /// Hosts that can receive VMs.
    public var hostUp: [Bool] { hosts.up }
    /// Hosts whose maintenance is done.
    public var hostUpdated: [Bool] { hosts.updated }

    /// Marks a host as unable to receive VMs (maintenance or failure) or back up.
    public func setHostUp(_ host: Int, _ up: Bool) { hosts.up[host] = up }

    /// Queues a request; it becomes due at `request.at`.
    public func submit(_ request: MigrationRequest) throws {
        try submit(batch: [request], at: request.at)
    }

    /// Queues `batch`, due together at `at` seconds: all of it joins the queue
    /// before any of it is admitted, so the scheduling order applies to the
    /// whole batch (a drain's VMs), not to what arrives after the first.
    public func submit(batch: [MigrationRequest], at: Double) throws {
        guard !batch.isEmpty else { return }
        for r in batch {
            try require(r.vm >= 0 && r.vm < vms.count, .requestVM, r.vm, "a VM index in 0..<\(vms.count)")
            if let t = r.target { try require(t >= 0 && t < cluster.hosts.count, .requestTarget, t, "a host index in 0..<\(cluster.hosts.count)") }
        }
        guard let time = SimTime(seconds: at), time >= scheduler.now else {
            throw ModelError(field: .requestTime, value: "\(at)", accepted: "seconds >= now (\(scheduler.now.seconds) s) within the Int64 ns range")
        }
        let first = requests.count
        // Room for the batch's migrations and records at once (a drain's
        // thousands would otherwise move them several times as they grow),
        // growing geometrically as appending would.
        let needed = requests.count + batch.count
        if needed > migrations.capacity {
            migrations.reserveCapacity(Swift.max(needed, 2 * migrations.capacity))
            records.reserveCapacity(Swift.max(needed, 2 * records.capacity))
        }
        for var r in batch {
            r.at = at
            add(r)
        }
        schedule(at: time, .requests(first: Int32(first), count: Int32(batch.count)))
    }

    /// Adds requests that are due now, then starts what can start: a batch
    /// (a host's drain) is queued whole before any of it is admitted, so a
    /// refusal of the first cannot end the drain before the rest are counted.
    func submitNow(_ batch: [MigrationRequest]) {
        for r in batch { enqueue(add(r)) }
        startWaiting()
    }

    /// Records a request (not yet queued) and returns its index.
    @discardableResult
    private func add(_ r: MigrationRequest) -> Int {
        requests.append(r)
        queuedFrom.append(-1)
        return requests.count - 1
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
            lastEventTime = scheduler.now.seconds
            switch event {
            case .network: networkWakeup()
            case let .requests(first, count):
                for r in Int(first)..<Int(first + count) { enqueue(r) }
                startWaiting()
            case .wait(let m): step(Int(m), .waited)
            case .maintenanceDone: rolling?.maintenanceDone(self)
            case .balance: balanceCheck()
            case .sample:
                refreshNetworkWake()  // the sampler reads the pending events
                sampler?.tick(self)
            case .planRow: plan?.rowDue(self)
            }
            budget -= 1
            if budget == 0 {
                scheduler.stop()
                refreshNetworkWake()
            } else if !canDeferNetworkWake() {
                refreshNetworkWake()
            }
        }
        return scheduler.pendingCount > 0 || hasUnfinishedWork
    }

    /// Whether requests are still queued or migrations still in flight (after
    /// ``run(horizon:maxEvents:)``: the horizon came first, or a transfer would end
    /// beyond the representable time, about 292 years).
    public var hasUnfinishedWork: Bool { waiting.count > 0 || !deferred.isEmpty || migrations.contains { $0.inFlight } }

    /// Appends a record, marked ``MigrationRecord/unfinished``, for every
    /// migration still in flight and every request still queued. Call once,
    /// after the last ``run(horizon:maxEvents:)``.
    public func recordUnfinished() {
        for m in migrations where m.inFlight {
            var r = m.record
            r.unfinished = true
            records.append(r)
        }
        var queued = waiting.waiting
        for vm in deferred.keys.sorted() { queued += deferred[vm] ?? [] }
        for q in queued {
            var r = newRecord(requests[q])
            r.unfinished = true
            records.append(r)
        }
    }

    /// Simulated seconds of the last event handled (the run's length for
    /// energy and SLA figures: the clock itself jumps to the horizon when a run ends early).
    @exclusivity(unchecked) public private(set) var lastEventTime = 0.0

    /// Energy and SLA figures of the run, up to its last event, or up to
    /// `until` seconds if given (at least the last event's time: hosts keep
    /// drawing power after the last migration). Call after the last
    /// ``run(horizon:maxEvents:)`` and ``recordUnfinished()``.
    public func costFigures(until: Double? = nil) -> CostFigures {
        var migrated: [(vm: Int, seconds: Double)] = []
        migrated.reserveCapacity(records.count)
        // Each VM's downtime, summed in record order; 0 for a VM without any
        // (the budget is never negative, so such a VM never breaches it).
        var downtime = [Double](repeating: 0, count: vms.count)
        var sharedNIC = 0.0
        for i in records.indices where records[i].refusedReason == nil {  // by index: no copy of each record
            let vm = records[i].vm
            if let t = records[i].totalTime, !records[i].aborted, records[i].kind != .failoverRestart { migrated.append((vm, t)) }
            if let d = records[i].downtime { downtime[vm] += d }
            // Its network bytes left through the source's NIC and arrived through the target's.
            if cluster.hosts[records[i].source].nicMigrationShare < 1 { sharedNIC += records[i].networkBytes }
            if let t = records[i].target, cluster.hosts[t].nicMigrationShare < 1 { sharedNIC += records[i].networkBytes }
        }
        var figures = accounting.figures(at: Swift.max(lastEventTime, until ?? lastEventTime), vms: vms, migrated: migrated,
                                         downtime: downtime)
        figures.sharedNICBytes = sharedNIC
        return figures
    }

    /// Number of events processed so far.
    public var eventsProcessed: UInt64 { scheduler.eventsProcessed }
    /// Current simulated time in seconds.
    public var now: Double { scheduler.now.seconds }

    private func enqueue(_ r: Int) {
        let req = requests[r]
        // One migration per VM at a time: a request for a VM on the move waits for it to land.
        if vmInFlight[req.vm] { return deferred[req.vm, default: []].append(r) }
        let source = hosts.vmHost[req.vm]
        queuedFrom[r] = source
        unresolvedFrom[source] += 1
        // Quick migration needs shared storage whatever the slots: refused at once.
        if req.kind == .quick && routes.sanRead == nil { return _ = refuse(req, "no-shared-storage") }
        // Restarts after a failure occupy no slot on their (failed) source.
        let key: Double
        if case .fifo = order { key = 0 } else { key = order.key(req, vm: vms[req.vm], bandwidth: network.capacity(routes.nicTx[source])) }
        waiting.append(r, source: req.kind == .failoverRestart ? nil : source, key: key)
    }

    private func newRecord(_ req: MigrationRequest) -> MigrationRecord {
        MigrationRecord(vm: req.vm, kind: req.kind, source: hosts.vmHost[req.vm], requestTime: req.at)
    }

    private func pairKey(_ a: Int, _ b: Int) -> Int { min(a, b) * cluster.hosts.count + max(a, b) }

    /// A request from `host` is resolved (finished, refused or aborted); a
    /// rolling maintenance learns when its host is drained.
    private func resolved(from host: Int) {
        unresolvedFrom[host] -= 1
        if unresolvedFrom[host] == 0 { rolling?.resolvedAll(from: host, self) }
    }

    /// Starts every waiting request that can start now, in FIFO order.
    func startWaiting() {
        guard !inStartWaiting else { return }
        inStartWaiting = true
        if waiting.count > 0 {
            waiting.scan(sourceFull: { hosts.active[$0] >= limits.perHost }, stop: { clusterActive >= limits.perCluster },
                         visit: { tryStart($0) ? .resolved : .kept })
        }
        inStartWaiting = false
        // Resolutions found while scanning may start the next drain; do them last.
        while let h = resolvedLater.popLast() { resolved(from: h) }
    }

    /// Starts request `r` if limits and placement allow; records refusals.
    /// - Returns: `false` if it must keep waiting.
    private func tryStart(_ r: Int) -> Bool {
        let req = requests[r]
        if vmInFlight[req.vm] {
            // Queued before the VM's other migration started: leave the queue
            // (resolved for its old host, so a drain of that host can end) and
            // come back, from the VM's new host, when that one ends.
            resolvedLater.append(queuedFrom[r])
            deferred[req.vm, default: []].append(r)
            return true
        }
        let src = hosts.vmHost[req.vm]
        let restart = req.kind == .failoverRestart
        if clusterActive >= limits.perCluster { return false }
        if !restart && hosts.active[src] >= limits.perHost { return false }
        switch placement(vm: req.vm, source: src, requested: req.target) {
        case .refused(let reason):
            return refuse(req, reason)
        case .busy:
            return false
        case .host(let dst):
            if limits.perPair != .max {
                if pairActive[pairKey(src, dst), default: 0] >= limits.perPair { return false }
                pairActive[pairKey(src, dst), default: 0] += 1
            }
            begin(req, from: src, to: dst)
            return true
        }
    }

    private func refuse(_ req: MigrationRequest, _ reason: String) -> Bool {
        var rec = newRecord(req)
        rec.refusedReason = reason
        records.append(rec)
        balancer?.refused(vm: req.vm)
        resolvedLater.append(rec.source)
        return true
    }

    // MARK: Migrations

    /// Reserves the slots and the target's memory and takes the strategy's first step.
    private func begin(_ req: MigrationRequest, from src: Int, to dst: Int) {
        var rec = newRecord(req)
        rec.target = dst
        rec.startTime = now
        let variant = environment.variant(for: req.policy)
        if req.kind == .live || req.kind == .liveStorage { rec.policy = environment.settings(variant).policy.name }
        // Quick migration copies through the SAN and a restart copies nothing:
        // only the other kinds hold the hosts' migration CPU reservation.
        let overNetwork = req.kind != .quick && req.kind != .failoverRestart
        hosts.begin(memory: vms[req.vm].memoryBytes, source: src, target: dst, occupiesSource: req.kind != .failoverRestart,
                    network: overNetwork)
        accounting.update(src, at: now, hosts: hosts, cluster: cluster)
        accounting.update(dst, at: now, hosts: hosts, cluster: cluster)
        clusterActive += 1
        let occurrence = startsPerVM[req.vm]
        startsPerVM[req.vm] += 1
        vmInFlight[req.vm] = true
        let i = migrations.count
        let capacity = routes.networkCapacity(from: src, to: dst, network)
        let ctx = MigrationContext(now: scheduler.now, startedAt: scheduler.now, vm: req.vm, source: src, target: dst,
                                   occurrence: UInt64(occurrence), pathCapacity: capacity, variant: variant,
                                   environment: environment)
        migrations.append(Migration(record: rec, state: MigrationState(req.kind, ctx), startedAt: scheduler.now,
                                    occurrence: occurrence, pathCapacity: capacity, networkPath: routes.path(.network, from: src, to: dst),
                                    variant: variant, overNetwork: overNetwork))
        perform(migrations[i].step(nil, ctx), for: i)
    }

    /// Delivers `event` to migration `i` and carries out what it asks next.
    private func step(_ i: Int, _ event: MigrationEvent) {
        // Field by field: copying the whole Migration (its state included) cost a retain per reference in it.
        let source = migrations[i].record.source
        let ctx = MigrationContext(now: scheduler.now, startedAt: migrations[i].startedAt, vm: migrations[i].record.vm,
                                   source: source, target: migrations[i].record.target ?? source,
                                   occurrence: UInt64(migrations[i].occurrence), pathCapacity: migrations[i].pathCapacity,
                                   variant: migrations[i].variant, environment: environment)
        perform(migrations[i].step(event, ctx), for: i)
    }

    private func perform(_ next: Next, for i: Int) {
        switch next {
        case let .transfer(bytes, route, cap, streams, ceiling):
            let path: FlowPath
            if route == .network {
                path = migrations[i].networkPath  // built once: most transfers take it, one per round
            } else {
                let source = migrations[i].record.source
                path = routes.path(route, from: source, to: migrations[i].record.target ?? source)
            }
            let n = max(1, streams)
            // One stream (the usual case) skips the divisions: x / 1 is x
            // exactly, and two divisions per round were a tenth of this step.
            let perStream = min(n == 1 ? cap : cap / Double(n), ceiling)
            let streamBytes = n == 1 ? bytes : bytes / Double(n)
            migrations[i].transfer = InFlightTransfer(streams: n, overNetwork: route == .network || route == .diskToDisk)
            for _ in 0..<n {
                _ = network.startFlow(bytes: streamBytes, path: path, cap: perStream, tag: i, now: scheduler.now)
            }
        case .wait(let seconds):
            scheduleLater(seconds, .wait(Int32(i)))
        case .finish:
            finish(i, aborted: false)
        case .abort:
            finish(i, aborted: true)
        }
    }

    private func networkWakeup() {
        networkWake = nil
        networkWakeTime = nil
        completions.removeAll(keepingCapacity: true)
        network.advance(to: scheduler.now, into: &completions)
        for c in completions {
            let i = c.tag
            // One mutating call on the element: reading `migrations[i].transfer?...`
            // outside one copied the whole Migration per completion.
            guard let done = migrations[i].received(c) else { continue }
            migrations[i].transfer = nil
            step(i, .transferred(done))
        }
    }

    /// Whether the network wake may be brought up to date after a later
    /// event at this instant instead of now: more events are due now, the
    /// current wake is not due now, and no transfer can finish at this
    /// instant (``FlowNetwork/mayFinishNow``), so the wake cannot move to
    /// now. Then the events of one instant (thousands of migrations starting
    /// their first round together) cost one solve, not one each. The run is
    /// the same: the wake ends at the same time, and a wake is the only event
    /// of its priority, so its place in the queue does not change. (A sample,
    /// which looks at the pending events, brings the wake up to date first.)
    private func canDeferNetworkWake() -> Bool {
        let now = scheduler.now
        return networkWakeTime != now && !network.mayFinishNow && scheduler.nextEventTime == now
    }

    private func refreshNetworkWake() {
        let next = network.nextCompletion
        if next == networkWakeTime { return }
        if let w = networkWake { scheduler.cancel(w) }
        networkWake = nil
        networkWakeTime = next
        // Completion times are never before now: the network rounds up.
        if let t = next { networkWake = schedule(at: Swift.max(t, scheduler.now), priority: EventPriority.network, .network) }
    }

    /// Schedules `event` at `time`, which is never before now here; a time
    /// the kernel refuses would be a bug, reported as such.
    @discardableResult
    private func schedule(at time: SimTime, priority: UInt8 = EventPriority.normal, _ event: ClusterEvent) -> EventID {
        do {
            return try scheduler.schedule(at: time, priority: priority, event)
        } catch {
            preconditionFailure("migsim scheduled \(event) in the past: \(error)")
        }
    }

    /// Schedules `event` `seconds` from now (rounded up to whole nanoseconds).
    /// A time past the end of the Int64 clock (each delay is valid, but now plus
    /// a delay of up to 292 years is not) saturates at ``SimTime/distantFuture``:
    /// the event stays pending beyond any horizon, and the run reports that it
    /// reached its horizon, instead of trapping on the overflow.
    func scheduleLater(_ seconds: Double, priority: UInt8 = EventPriority.normal, _ event: ClusterEvent) {
        let ns = SimDuration(atLeastSeconds: Swift.max(0, seconds))?.nanoseconds ?? .max
        let (sum, overflow) = scheduler.now.nanoseconds.addingReportingOverflow(ns)
        schedule(at: overflow ? .distantFuture : SimTime(nanoseconds: sum), priority: priority, event)
    }

    /// Ends migration `i`: the VM now lives on the target (or, if `aborted`,
    /// stays on the source), the slots are released, and waiting requests get
    /// their chance.
    private func finish(_ i: Int, aborted: Bool) {
        migrations[i].record.endTime = now
        migrations[i].record.aborted = aborted
        migrations[i].inFlight = false
        // Fields, not copies of the record or the VM's spec (480 and 336
        // bytes, with a retain of each string and array in them).
        let vm = migrations[i].record.vm
        let source = migrations[i].record.source, target = migrations[i].record.target ?? source
        hosts.end(vm: vm, memory: vms[vm].memoryBytes, cpu: vms[vm].cpuDemand.mean ?? 0, network: migrations[i].overNetwork,
                  source: source, target: target,
                  occupiedSource: migrations[i].record.kind != .failoverRestart, moved: !aborted)
        accounting.update(source, at: now, hosts: hosts, cluster: cluster)
        accounting.update(target, at: now, hosts: hosts, cluster: cluster)
        if limits.perPair != .max { pairActive[pairKey(source, target), default: 0] -= 1 }
        clusterActive -= 1
        balancer?.migrated(vm: vm, at: now)
        #if DEBUG
        checkInvariants(after: migrations[i].record)
        #endif
        records.append(migrations[i].record)
        resolvedLater.append(source)
        vmInFlight[vm] = false
        if !deferred.isEmpty, let later = deferred.removeValue(forKey: vm) { for r in later { enqueue(r) } }
        startWaiting()
        while let h = resolvedLater.popLast() { resolved(from: h) }
    }
}

#if DEBUG
extension ClusterSimulation {
    /// Debug-build invariants after each migration: no host holds more
    /// memory than it has, counting reservations; every VM is on exactly one
    /// host. (Live migration checks that it sent every page at least once
    /// itself, in ``LiveMigration``: bytes no longer bound it, since zero
    /// pages, skipping and compression send less than the memory.)
    func checkInvariants(after r: MigrationRecord) {
        for (h, free) in hosts.freeMemory.enumerated() {
            precondition(free >= -1e-6 * cluster.hosts[h].memoryBytes, "host \(h) holds more memory than it has")
        }
        precondition(hosts.vmsOn.reduce(0) { $0 + $1.count } == vms.count && hosts.vmsOn[hosts.vmHost[r.vm]].contains(Int32(r.vm)),
                     "VM \(r.vm) is not on exactly one host")
    }
}
#endif

/// A migration's transfer while its streams run: done when the last one is.
struct InFlightTransfer {
    private var open: Int
    private var bytes = 0.0
    private var longest = 0.0
    /// Whether it crosses the source's NIC out and the target's NIC in (``Route/network``, ``Route/diskToDisk``).
    let overNetwork: Bool

    init(streams: Int, overNetwork: Bool) {
        open = streams
        self.overNetwork = overNetwork
    }

    /// Counts one finished stream; the whole transfer once the last one finished.
    mutating func streamFinished(_ c: FlowCompletion) -> TransferDone? {
        open -= 1
        bytes += c.bytes
        longest = max(longest, c.exactDuration)
        return open == 0 ? TransferDone(bytes: bytes, exactDuration: longest) : nil
    }
}

/// One migration in flight: its row of `migrations.csv` as it fills, its
/// strategy's typed state, and the transfer it waits for.
struct Migration {
    var record: MigrationRecord
    let state: MigrationState
    let startedAt: SimTime
    /// Which migration of its VM in this run this is, from 0.
    let occurrence: UInt32
    /// Payload capacity of its network path, bytes/s.
    let pathCapacity: Double
    /// Its network path (``Route/network``), source NIC to target NIC.
    let networkPath: FlowPath
    /// Its settings (``MigrationEnvironment/settings(_:)``).
    let variant: Int
    /// Whether it copies over the network (and so holds the hosts' migration CPU reservation).
    let overNetwork: Bool
    /// The transfer it waits for, if any.
    var transfer: InFlightTransfer?
    var inFlight = true

    /// Counts a finished stream's bytes (on the NICs too when the transfer
    /// crossed them); the transfer's result once its last stream finished.
    mutating func received(_ c: FlowCompletion) -> TransferDone? {
        record.bytesSent += c.bytes
        if transfer?.overNetwork == true { record.networkBytes += c.bytes }
        return transfer?.streamFinished(c)
    }

    /// Runs the strategy's first step (`event == nil`) or its next one.
    mutating func step(_ event: MigrationEvent?, _ ctx: MigrationContext) -> Next {
        state.step(event, ctx, &record)
    }
}
