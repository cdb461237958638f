import Foundation
import MigsimModel
import MigsimRandom

/// The typed values of every key, filled by the schema's `apply` functions
/// (every key is applied, explicit or default, so the initial values here are
/// placeholders), then laid out into a ``Scenario`` by ``Assembly``.
struct Draft {
    var seed: UInt64 = 1
    var replications = 1
    var name = ""
    var action = ActionName.drain
    var actionHost = 0
    var evacuateHosts: [Int] = []
    /// `scenario.plan` as written (`nil` = none), then the checked plan.
    var planPath: String?
    var order = SchedulingOrder.fifo
    var costs = CostSettings()
    var kinds: [MigrationKind] = []
    var horizon = 0.0
    var maintenance = 0.0
    var appTimeout = 0.0

    var hostCount = 0
    /// `nil` = fit.
    var hostMemory: Double?
    var host = HostSpec(name: "")
    var cluster = ClusterSpec(hosts: [])
    var rackSize: Int?
    var sharedStorage = true
    var storage = SharedStorageSpec()

    var vmCount = 0
    var vmHost = 0
    var memory: [Double] = []
    var profiles: [WorkloadProfile] = []
    /// `nil` = the profile's own (also for the next two).
    var dirtyRate: Distribution?
    /// `vms.dirty_trace` as written (`nil` = none), then the loaded traces.
    var traces: [String]?
    var loadedTraces: [DirtyTrace] = []
    /// `cluster.inventory` and `vms.inventory` as written (`nil` = none), then the files read.
    var hostInventory: String?
    var vmInventory: String?
    var inventory: Inventory?
    var hotSet: Double?
    /// `vms.hot_set`; `nil` = the profile's own (or vms.hot_set_fraction).
    var hotSetValue: HotSetValue?
    var hotShare: Double?
    /// `nil` = the profile's own.
    var popularity: PagePopularity?
    var cycleOffset = CycleOffset.random
    /// `vms.working_set_curve` as written (`nil` = none), then the loaded curves.
    var curves: [String]?
    var loadedCurves: [WorkingSetCurve] = []
    var readShare = 0.0
    var counting = DirtyCounting.poisson
    var pageSize = 0
    var memoryInUse = 0.0
    var disks: [Double] = []
    var diskWriteRate = Draft.template.diskWriteRate
    var deviceState = 0.0
    var cpuDemand = Draft.template.cpuDemand

    var settings = MigrationSettings()
    /// `nil` = the policy preset's own (also for `throttle`).
    var rateLimit: RateLimit?
    var throttle: ThrottleMode?
    /// Mechanisms; `nil` = the policy preset's own (issue 13).
    var stopCopyRate: StopCopyRate?
    /// `nil` = the preset's own; `.some(nil)` = zero pages sent whole; else header bytes.
    var zeroPages: Double??
    var skipDirtied: Bool?
    var postcopyPreempt = false
    var switchover: SwitchoverTest?
    /// `nil` = the preset's own; `.some(nil)` = none.
    var compression: Compression??
    var channels: Int?
    var channelCeiling: Double?
    var limits = ConcurrencyLimits()
    var perCluster: Int?
    var perPair: Int?
    var placement = PlacementWeights()
    var balancing = BalancingSpec()
    var recordRounds = true
    var sampleInterval: Double?

    /// The model's VM defaults, for the placeholder distributions above.
    static let template = VMSpec(host: 0, memoryBytes: 1)
}

/// Lays a ``Draft`` out into a ``Scenario``: hosts, VM placement per action,
/// cross-key checks, then the model's own validation.
enum Assembly {
    /// Rows of links.csv plus hosts.csv a run may write (3 per host per sample), about 400 MB in memory.
    static let maximumSampleRows = 10_000_000
    /// PRO balancing checks up to the horizon.
    static let maximumBalancingChecks = 1_000_000

    /// Reports an error on `key`: (key, problem, accepted).
    typealias Fail = (String, String, String) -> ConfigError

    /// The scenario `d` describes, or the first cross-key or model error.
    static func scenario(_ d: Draft, fail: Fail) throws -> Scenario {
        let hosts = d.hostCount
        switch d.action {
        case .evacuate:
            if let h = d.evacuateHosts.first(where: { $0 >= hosts }) {
                throw fail("scenario.hosts", "host \(h) is not in a cluster of \(hosts) hosts", "host indices in 0...\(hosts - 1)")
            }
            guard d.evacuateHosts.count < hosts else {
                throw fail("scenario.hosts", "all \(hosts) hosts", "fewer hosts than the cluster has (the VMs need somewhere to go)")
            }
        case .plan:
            guard d.planPath != nil else { throw fail("scenario.plan", "none with scenario.action: plan", "a plan file (CSV)") }
            guard d.vmHost < hosts else {
                throw fail("vms.host", "host \(d.vmHost) is not in a cluster of \(hosts) hosts", "a host index in 0...\(hosts - 1)")
            }
        case .drain, .failure:
            guard d.actionHost < hosts else {
                throw fail("scenario.host", "host \(d.actionHost) is not in a cluster of \(hosts) hosts", "a host index in 0...\(hosts - 1)")
            }
            guard d.vmHost < hosts else {
                throw fail("vms.host", "host \(d.vmHost) is not in a cluster of \(hosts) hosts", "a host index in 0...\(hosts - 1)")
            }
        case .rolling:
            guard hosts >= 2 else {
                throw fail("cluster.hosts", "rolling maintenance with \(hosts) host", "an integer >= 2 for rolling (host 0 is the empty spare)")
            }
        case .balance:
            guard d.kinds.count == 1 else {
                throw fail("scenario.kinds", "balance with \(d.kinds.count) kinds", "exactly one kind for balance, e.g. [live]")
            }
            guard d.balancing.targetCeiling <= d.balancing.threshold else {
                throw fail("balancing.target_ceiling", "\(Quantity.format(d.balancing.targetCeiling)) is above balancing.threshold",
                           "a load share in (0, \(Quantity.format(d.balancing.threshold))] (balancing.threshold)")
            }
        }
        // Periodic events up to the horizon: bounded so a tiny interval cannot
        // fill memory (time series) or run for ever (balancing checks).
        if let i = d.sampleInterval {
            let rowsPerSample = Double(hosts) * 3, limit = Double(maximumSampleRows)
            let rows = ((d.horizon / i).rounded(.down) + 1) * rowsPerSample
            if rows > limit {
                let shortest = (d.horizon / (limit / rowsPerSample - 1) * 1000).rounded(.up) / 1000
                throw fail("output.time_series", "sampling every \(Quantity.format(i))s up to scenario.horizon (\(Quantity.format(d.horizon))s) on \(hosts) hosts gives up to \(count(rows)) rows",
                           "an interval >= \(Quantity.format(shortest))s, or a shorter scenario.horizon: at most \(maximumSampleRows) rows in links.csv and hosts.csv (3 per host per sample)")
            }
        }
        if d.action == .balance, d.horizon / d.balancing.interval > Double(maximumBalancingChecks) {
            throw fail("balancing.interval", "\(count(d.horizon / d.balancing.interval)) checks up to scenario.horizon (\(Quantity.format(d.horizon))s)",
                       "an interval >= \(Quantity.format((d.horizon / Double(maximumBalancingChecks) * 1000).rounded(.up) / 1000))s, or a shorter scenario.horizon: at most \(maximumBalancingChecks) checks")
        }
        if d.hotSet != nil && d.hotSetValue != nil {
            throw fail("vms.hot_set", "given with vms.hot_set_fraction", "one of vms.hot_set or vms.hot_set_fraction")
        }
        if d.curves != nil, let p = d.popularity {
            throw fail("vms.popularity", "\(p) given with vms.working_set_curve", "profile when vms.working_set_curve gives the popularity")
        }
        guard !d.memory.isEmpty, !d.profiles.isEmpty else {
            throw fail(d.memory.isEmpty ? "vms.memory" : "vms.profiles", "the list is empty", "a list of one or more values")
        }
        let (cluster, vms) = try d.inventory.map { try $0.layout(d, fail: fail) } ?? cycledLayout(d, fail: fail)
        return try finish(d, cluster: cluster, vms: vms, fail: fail)
    }

    /// Hosts and VMs from the cycled keys (`cluster.hosts`, `vms.count`, `vms.memory`, ...), placed as the action places them.
    static func cycledLayout(_ d: Draft, fail: Fail) throws -> (ClusterSpec, [VMSpec]) {
        let hosts = d.hostCount

        // Where each VM starts, and its positions in the memory and profile cycles.
        let perHost = d.action == .rolling ? max(1, (d.vmCount + hosts - 2) / (hosts - 1)) : 0
        func slot(_ i: Int) -> (host: Int, memory: Int, profile: Int) {
            switch d.action {
            case .drain, .failure, .plan: return (d.vmHost, i, i)
            case .evacuate: return (d.evacuateHosts[i % d.evacuateHosts.count], i, i)
            case .balance: return (i % min(3, hosts), i, i)
            case .rolling:
                let h = 1 + i / perHost, k = i % perHost
                return (h, k, h + k)
            }
        }
        var vms: [VMSpec] = []
        vms.reserveCapacity(d.vmCount)
        var load = [Double](repeating: 0, count: hosts)
        let profileSpecs = d.profiles.map(\.spec)  // built once, not once per VM
        for i in 0..<d.vmCount {
            let s = slot(i)
            let mem = d.memory[s.memory % d.memory.count]
            let w = workload(profileSpecs[s.profile % profileSpecs.count], vm: i, ownRate: false, d)
            let v = vm(host: s.host, memory: mem, workload: w, d)
            if s.host < hosts { load[s.host] += mem }
            vms.append(v)
        }

        // Every host has cluster.host.memory (fit: what the fullest starting host
        // needs); for drain and failure the host the VMs start on is given room
        // for all of them, however many.
        let hostMemory = d.hostMemory ?? (load.max() ?? 0)
        guard hostMemory > 0 else { throw fail("cluster.host.memory", "fit with no VM on any host", "a size > 0 when no VM starts on a host") }
        if let m = d.hostMemory, let biggest = d.memory.max(), biggest > m {
            throw fail("vms.memory", "a VM of \(Quantity.bytes(biggest)) is larger than every host",
                       "sizes up to cluster.host.memory (\(Quantity.bytes(m)))")
        }
        let grown = d.action == .drain || d.action == .failure || d.action == .plan ? d.vmHost : nil
        if let h = load.indices.first(where: { $0 != grown && load[$0] > hostMemory }) {
            let n = vms.lazy.filter { $0.host == h }.count
            throw fail("cluster.host.memory", "host \(h) starts with \(n) VMs of \(Quantity.bytes(load[h])) in all, more than its \(Quantity.bytes(hostMemory))",
                       "a size >= \(Quantity.bytes(load[h])), or fit (or fewer VMs: vms.count)")
        }
        var cluster = d.cluster
        cluster.hosts = (0..<hosts).map { i -> HostSpec in
            var h = d.host
            h.name = "host\(i)"
            h.memoryBytes = i == grown ? max(hostMemory, load[i]) : hostMemory
            return h
        }
        cluster.sharedStorage = d.sharedStorage ? d.storage : nil
        cluster.rackSize = d.rackSize ?? 0
        return (cluster, vms)
    }

    /// The workload of VM `i`: `base` (its profile's, or an inventory row's)
    /// with the `vms.*` workload keys applied, for the cycled form and
    /// inventories alike. `ownRate`: the base's rate or trace is the VM's own
    /// (an inventory row's), which a working-set curve keeps.
    static func workload(_ base: WorkloadSpec, vm i: Int, ownRate: Bool, _ d: Draft) -> WorkloadSpec {
        var w = base
        if let r = d.dirtyRate { w.rate = r }
        if !d.loadedTraces.isEmpty { w.trace = d.loadedTraces[i % d.loadedTraces.count] }
        if let h = d.hotSet { w.hotSetFraction = h }
        switch d.hotSetValue {
        case .share(let f)?: w.hotSetFraction = f; w.hotSetBytes = nil
        case .bytes(let b)?: w.hotSetBytes = b
        case nil: break
        }
        if let h = d.hotShare { w.hotWriteShare = h }
        if let p = d.popularity { w.popularity = p }
        if !d.loadedCurves.isEmpty {
            let c = d.loadedCurves[i % d.loadedCurves.count]
            w.popularity = .curve(c)
            // The curve's own rate, unless a rate or a trace says otherwise.
            if !ownRate, d.dirtyRate == nil, d.loadedTraces.isEmpty, let r = try? Distribution.constant(c.initialSlope) { w.rate = r }
        }
        w.cycleOffset = d.cycleOffset
        w.readShare = d.readShare
        w.counting = d.counting
        return w
    }

    /// A VM on `host` with `memory` and workload `w`, and every other `vms.*` key applied (CPU vendor and family: `cluster.host.*`).
    static func vm(host: Int, memory: Double, workload w: WorkloadSpec, _ d: Draft) -> VMSpec {
        var v = VMSpec(host: host, memoryBytes: memory, memoryInUse: d.memoryInUse, pageSize: d.pageSize, workload: w,
                       disks: d.disks, diskWriteRate: d.diskWriteRate, deviceStateBytes: d.deviceState,
                       cpuVendor: d.host.cpuVendor, cpuFamily: d.host.cpuFamily)
        v.cpuDemand = d.cpuDemand
        return v
    }

    /// The scenario of the laid-out cluster and VMs: settings, limits, the action, then the model's own validation.
    static func finish(_ d: Draft, cluster: ClusterSpec, vms: [VMSpec], fail: Fail) throws -> Scenario {
        let hosts = cluster.hosts.count
        var settings = d.settings
        settings.rateLimit = d.rateLimit ?? settings.policy.defaultRateLimit
        settings.throttle = d.throttle ?? settings.policy.defaultThrottle
        settings.mechanisms = settings.policy.defaultMechanisms
        if let r = d.stopCopyRate { settings.mechanisms.uncappedStopAndCopy = r == .uncapped }
        if let z = d.zeroPages { settings.mechanisms.zeroPageBytes = z }
        if let k = d.skipDirtied { settings.mechanisms.skipRedirtied = k }
        settings.mechanisms.postcopyPreempt = d.postcopyPreempt
        if let t = d.switchover {
            guard t == .roundEnd || settings.policy.switchoverDowntime(elapsed: 0, dataGB: 2) != nil else {
                throw fail("migration.switchover", "continuous with \(settings.policy.name), which has no downtime limit to test",
                           "continuous with the qemu or nova policy, else round-end or policy")
            }
            settings.mechanisms.continuousSwitchover = t == .continuous
        }
        if let c = d.compression { settings.mechanisms.compression = c }
        if let n = d.channels { settings.mechanisms.channels = n }
        if let c = d.channelCeiling { settings.mechanisms.streamCeiling = c }
        var limits = d.limits
        limits.perCluster = d.perCluster ?? .max
        limits.perPair = d.perPair ?? .max

        let action: ScenarioAction
        switch d.action {
        case .drain: action = .drain(host: d.actionHost)
        case .failure: action = .hostFailure(host: d.actionHost)
        case .rolling: action = .rolling(maintenance: d.maintenance)
        case .balance:
            var b = d.balancing
            b.kind = d.kinds.first ?? .live
            action = .balance(b)
        case .evacuate: action = .evacuate(hosts: d.evacuateHosts)
        case .plan:
            guard let path = d.planPath else { throw fail("scenario.plan", "none with scenario.action: plan", "a plan file (CSV)") }
            // Checked whole against the cluster and VMs just laid out; errors name the plan file, line and column.
            let info = PlanFile.Cluster(vmHosts: vms.map(\.host), hostCount: hosts, sharedStorage: cluster.sharedStorage != nil,
                                        vmHasDisks: vms.map { !$0.disks.isEmpty })
            action = .plan(try PlanFile.load(path: path, cluster: info))
        }
        var s = Scenario(name: d.name, cluster: cluster, vms: vms, settings: settings, limits: limits, action: action,
                         kinds: d.kinds, seed: d.seed, horizon: d.horizon)
        s.placement = d.placement
        s.order = d.order
        s.costs = d.costs
        s.recordRounds = d.recordRounds
        s.applicationTimeout = d.appTimeout
        s.sampleInterval = d.sampleInterval

        do {
            try s.validate()
        } catch let e as ModelError {
            if let c = d.inventory?.error(for: e) { throw c }
            throw fail(Schema.key(for: e.field), "\(e.path) = \(e.value) is invalid", e.accepted)
        }
        return s
    }

    /// A large count for messages: digits up to 1e15, then three significant figures.
    static func count(_ x: Double) -> String {
        x < 1e15 ? Quantity.format(x.rounded(.down)) : String(format: "%.3g", x)
    }
}
