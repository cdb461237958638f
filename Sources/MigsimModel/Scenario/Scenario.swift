import MigsimKernel

/// What a scenario does to the cluster (DESIGN.md section 5).
public enum ScenarioAction: Sendable, Equatable {
    /// Evacuate one host: every VM on it migrates with each kind in turn, in
    /// separate runs of the same cluster and VMs (the headline comparison).
    case drain(host: Int)
    /// The host fails at t = 0; its VMs restart elsewhere (`failover-restart`).
    case hostFailure(host: Int)
    /// Drain every host in index order, keep it down `maintenance` seconds,
    /// bring it back; once per kind.
    case rolling(maintenance: Double)
    /// PRO balancing until the horizon (which always ends such a run).
    case balance(BalancingSpec)
    /// Evacuate several hosts at once: all go down at t = 0 and every VM on
    /// them migrates, once per kind.
    case evacuate(hosts: [Int])
    /// Replay a migration plan (rows of time, VM, target, kind, policy),
    /// once per kind (the kind of rows that name none).
    case plan(any MigrationPlanSource)

    public static func == (a: ScenarioAction, b: ScenarioAction) -> Bool {
        switch (a, b) {
        case let (.drain(x), .drain(y)), let (.hostFailure(x), .hostFailure(y)): return x == y
        case let (.rolling(x), .rolling(y)): return x == y
        case let (.balance(x), .balance(y)): return x == y
        case let (.evacuate(x), .evacuate(y)): return x == y
        case let (.plan(x), .plan(y)): return x.label == y.label
        default: return false
        }
    }
}

/// The result of one simulation run.
public struct RunResult: Sendable {
    public var runID: Int
    public var seed: UInt64
    public var kind: MigrationKind
    public var records: [MigrationRecord]
    public var rounds: [RoundRecord]
    public var eventsProcessed: UInt64
    /// Whether the horizon stopped the run with events still pending.
    public var hitHorizon: Bool
    public var endTime: Double
    /// Rolling maintenance: when the last host came back, seconds.
    public var maintenanceWindow: Double?
    /// The scenario's application timeout, seconds.
    public var applicationTimeout: Double
    public var linkSamples: [LinkSample] = []
    public var hostSamples: [HostSample] = []
    /// PRO balancing: (time, highest host CPU load) at every check.
    public var balancingPeaks: [(time: Double, load: Double)] = []
    /// Energy and SLA figures (issue 17).
    public var costs: CostFigures?
}

/// The VM memory sizes and workload profiles a built-in scenario cycles
/// through (scenario files print them as `vms.memory` and `vms.profiles`).
public struct VMMix: Sendable {
    /// Memory sizes in bytes, cycled over the VMs.
    public var memory: [Double]
    /// Workload profiles, cycled over the VMs (rolling: shifted by the host index).
    public var profiles: [WorkloadProfile]

    public init(memory: [Double], profiles: [WorkloadProfile]) {
        self.memory = memory
        self.profiles = profiles
    }

    /// Drain and rolling maintenance: 2, 4 and 8 GiB; idle, web, database and web servers.
    public static let standard = VMMix(memory: [2, 4, 8].map { $0 * Units.GiB }, profiles: [.idle, .web, .database, .web])
    /// PRO balancing: 4 GiB web servers.
    public static let proBalancing = VMMix(memory: [4 * Units.GiB], profiles: [.web])
}

/// A complete, runnable experiment: cluster, VMs, settings and action.
public struct Scenario: Sendable {
    public var name: String
    public var cluster: ClusterSpec
    public var vms: [VMSpec]
    public var settings: MigrationSettings
    public var limits: ConcurrencyLimits
    public var placement = PlacementWeights()
    /// The order in which queued requests get slots.
    public var order = SchedulingOrder.fifo
    /// A rule that rates target hosts instead of ``placement``'s weights (model API only).
    public var placementRule: (any PlacementRule)?
    /// Energy and SLA accounting.
    public var costs = CostSettings()
    public var action: ScenarioAction
    /// Kinds compared by a drain; each runs separately on identical VMs.
    public var kinds: [MigrationKind]
    public var seed: UInt64
    /// Simulated seconds after which a run is cut off and reported as such.
    public var horizon: Double
    public var recordRounds = true
    /// Whether large clusters place through ``PlacementIndex`` (the default) or
    /// scan every host; both pick the same hosts (a test compares them).
    var placementIndex = true
    /// Downtime above this many seconds counts as an application outage in
    /// `summary.csv` (a typical client request timeout; migsim's default).
    public var applicationTimeout = 1.0
    /// Sampling interval of `links.csv` and `hosts.csv`, seconds; `nil` = off.
    public var sampleInterval: Double?

    public init(name: String, cluster: ClusterSpec, vms: [VMSpec], settings: MigrationSettings = MigrationSettings(),
                limits: ConcurrencyLimits = ConcurrencyLimits(), action: ScenarioAction, kinds: [MigrationKind] = [.live],
                seed: UInt64 = 1, horizon: Double = 30 * 86_400) {
        self.name = name
        self.cluster = cluster
        self.vms = vms
        self.settings = settings
        self.limits = limits
        self.action = action
        self.kinds = kinds
        self.seed = seed
        self.horizon = horizon
    }

    /// The built-in default: drain a host of 40 VMs over 10 GbE with two
    /// concurrent migrations per host, under live, quick and storage migration.
    ///
    /// Eight hosts (256 GiB, 10 GbE migration NIC, 200/150 MB/s local disk) and
    /// a 2008-era SAN; host 0 holds 40 VMs of 2, 4 or 8 GiB with 40 GiB disks,
    /// cycling through the idle, web and database profiles.
    public static func builtinDefault() -> Scenario {
        let hosts = (0..<8).map { HostSpec(name: "host\($0)") }
        let mix = VMMix.standard
        let vms = (0..<40).map { i in
            VMSpec(host: 0, memoryBytes: mix.memory[i % mix.memory.count], workload: mix.profiles[i % mix.profiles.count].spec)
        }
        return Scenario(name: "default-drain", cluster: ClusterSpec(hosts: hosts), vms: vms,
                        action: .drain(host: 0), kinds: [.live, .quick, .storage])
    }

    /// A rolling-maintenance cluster for scale runs: `hosts` hosts, `vmsPerHost`
    /// VMs on every host but host 0 (an empty spare), web/database/idle
    /// workloads at 2 to 8 GiB, statistical fidelity, live migration.
    ///
    /// Each host has exactly room for its own VMs and hosts are drained in
    /// index order, so host k's VMs move to host k-1 (emptied and updated just
    /// before) and every VM migrates exactly once.
    public static func rollingMaintenance(hosts: Int, vmsPerHost: Int, seed: UInt64 = 1) -> Scenario {
        let sizes = VMMix.standard.memory, workloads = VMMix.standard.profiles.map(\.spec)  // each spec built once
        var vms: [VMSpec] = []
        vms.reserveCapacity(hosts * vmsPerHost)
        var perHostMemory = 0.0
        for k in 0..<vmsPerHost { perHostMemory += sizes[k % sizes.count] }
        for h in 1..<hosts {
            for k in 0..<vmsPerHost {
                vms.append(VMSpec(host: h, memoryBytes: sizes[k % sizes.count], workload: workloads[(h + k) % workloads.count]))
            }
        }
        let hostSpecs = (0..<hosts).map { HostSpec(name: "host\($0)", memoryBytes: perHostMemory) }
        var s = Scenario(name: "rolling-maintenance", cluster: ClusterSpec(hosts: hostSpecs), vms: vms,
                         action: .rolling(maintenance: 0), kinds: [.live], seed: seed)
        s.settings.fidelity = .statistical
        return s
    }

    /// A PRO-balancing cluster: 8 hosts of 16 cores, 48 VMs packed on the
    /// first three (CPU demand gamma-distributed around 1.5 cores), so those
    /// start far above the 60 % threshold. Runs for one simulated hour.
    public static func proBalancing(seed: UInt64 = 1) -> Scenario {
        let hosts = (0..<8).map { HostSpec(name: "host\($0)", memoryBytes: 128 * Units.GiB, cpuCores: 16) }
        let mix = VMMix.proBalancing
        let vms = (0..<48).map { i -> VMSpec in
            var v = VMSpec(host: i % 3, memoryBytes: mix.memory[i % mix.memory.count],
                           workload: mix.profiles[i % mix.profiles.count].spec)
            v.cpuDemand = try! .gamma(shape: 9, scale: 1.5 / 9)
            return v
        }
        var s = Scenario(name: "pro-balancing", cluster: ClusterSpec(hosts: hosts), vms: vms,
                         action: .balance(BalancingSpec()), kinds: [.live], seed: seed, horizon: 3600)
        s.settings.fidelity = .statistical
        return s
    }

    /// Runs the scenario once per kind (drain, rolling) or once (failure, balancing).
    /// `maxEvents` caps the events of each run (see ``ClusterSimulation/run(horizon:maxEvents:)``).
    /// The action is checked before the first run (`validateAction()`); each
    /// run's ``ClusterSimulation`` checks the model's parameters as it is built.
    public func run(runID: Int = 0, maxEvents: UInt64 = .max) throws -> [RunResult] {
        try validateAction()
        switch action {
        case .drain(let host):
            return try kinds.map { kind in
                try runOnce(runID: runID, maxEvents: maxEvents, kind: kind) { sim in
                    sim.setHostUp(host, false)
                    try sim.submit(batch: vms.indices.filter { vms[$0].host == host }.map { MigrationRequest(vm: $0, kind: kind) }, at: 0)
                }
            }
        case .rolling(let maintenance):
            return try kinds.map { kind in
                try runOnce(runID: runID, maxEvents: maxEvents, kind: kind) { sim in
                    try sim.startRollingMaintenance(hosts: Array(cluster.hosts.indices), kind: kind, maintenance: maintenance)
                }
            }
        case .evacuate(let hosts):
            return try kinds.map { kind in
                try runOnce(runID: runID, maxEvents: maxEvents, kind: kind) { sim in
                    for h in hosts { sim.setHostUp(h, false) }
                    let out = Set(hosts)
                    try sim.submit(batch: vms.indices.filter { out.contains(vms[$0].host) }.map { MigrationRequest(vm: $0, kind: kind) }, at: 0)
                }
            }
        case .plan(let source):
            return try kinds.map { kind in
                try runOnce(runID: runID, maxEvents: maxEvents, kind: kind) { sim in try sim.startPlan(source, kind: kind) }
            }
        case .balance(let spec):
            return [try runOnce(runID: runID, maxEvents: maxEvents, kind: spec.kind) { sim in try sim.startBalancing(spec) }]
        case .hostFailure(let host):
            return [try runOnce(runID: runID, maxEvents: maxEvents, kind: .failoverRestart) { sim in
                sim.setHostUp(host, false)
                try sim.submit(batch: vms.indices.filter { vms[$0].host == host }.map { MigrationRequest(vm: $0, kind: .failoverRestart) },
                               at: 0)
            }]
        }
    }

    func runOnce(runID: Int, maxEvents: UInt64, kind: MigrationKind, _ setup: (ClusterSimulation) throws -> Void) throws -> RunResult {
        let sim = try ClusterSimulation(cluster: cluster, vms: vms, settings: settings, limits: limits, weights: placement,
                                        order: order, placementRule: placementRule, costs: costs, seed: seed,
                                        run: UInt64(runID))
        sim.recordRounds = recordRounds
        sim.usePlacementIndex = placementIndex
        if let i = sampleInterval { try sim.startSampling(interval: i) }
        try setup(sim)
        let cut = sim.run(horizon: horizon, maxEvents: maxEvents)
        sim.recordUnfinished()
        return RunResult(runID: runID, seed: seed, kind: kind, records: sim.records, rounds: sim.rounds,
                         eventsProcessed: sim.eventsProcessed, hitHorizon: cut, endTime: sim.now,
                         maintenanceWindow: sim.maintenanceWindowEnd, applicationTimeout: applicationTimeout,
                         linkSamples: sim.linkSamples, hostSamples: sim.hostSamples, balancingPeaks: sim.balancingPeaks,
                         costs: sim.costFigures(until: costs.window == .horizon ? horizon : nil))
    }
}
