import MigsimModel
import MigsimRandom

/// Whether stop-and-copy keeps the pre-copy rate cap (`migration.stop_copy_rate`).
enum StopCopyRate: String, CaseIterable, Sendable {
    case capped, uncapped
}

/// When the stop rule is tested (`migration.switchover`).
enum SwitchoverTest: String, CaseIterable, Sendable {
    case roundEnd = "round-end", continuous
}

/// The scenario actions a file can name.
enum ActionName: String, CaseIterable, Sendable {
    case drain, rolling, balance, failure, evacuate, plan
}

/// A key's default as written in a file, for each action.
///
/// Most defaults are the model's own typed values: ``model(_:)`` formats a
/// value of the action's built-in scenario (``reference(_:)``) into the text a
/// file would use, so changing a model default changes the printed and the
/// parsed default together. Keys with no model counterpart (keywords such as
/// `profile` and `policy`, sweep-only keys) keep literal text, each marked
/// "Config only" in ``Schema/keys``.
struct Defaults: Sendable, ExpressibleByStringLiteral {
    /// The text for each action, in `ActionName.allCases` order.
    private let texts: [String]
    /// Whether the texts are formatted from model values (not literal text).
    let fromModel: Bool

    /// Literal text: `base` for every action unless the action has its own.
    init(_ base: String, rolling: String? = nil, balance: String? = nil, failure: String? = nil) {
        texts = ActionName.allCases.map { a in
            switch a {
            case .drain: return base
            case .rolling: return rolling ?? base
            case .balance: return balance ?? base
            case .failure: return failure ?? base
            case .evacuate, .plan: return base
            }
        }
        fromModel = false
    }
    init(stringLiteral value: String) { self.init(value) }

    /// The text `make` formats from model values for each action, computed once.
    init(perAction make: (ActionName) -> String) {
        texts = ActionName.allCases.map(make)
        fromModel = true
    }

    /// The model's value, formatted by `show`, in the built-in scenario of
    /// each action. Where `show` gives `nil` (the action does not use the key,
    /// e.g. `balancing.interval` for drain) the first built-in scenario that
    /// has a value gives it, in `ActionName.allCases` order.
    static func model(_ show: (Scenario) -> String?) -> Defaults {
        Defaults(perAction: { a in
            for r in [a] + ActionName.allCases {
                if let t = show(reference(r)) { return t }
            }
            preconditionFailure("no built-in scenario has a value for this key")
        })
    }

    func text(for action: ActionName) -> String { texts[ActionName.allCases.firstIndex(of: action) ?? 0] }

    /// The model's built-in scenario behind each action's defaults, built once.
    static let references: [Scenario] = ActionName.allCases.map { a in
        switch a {
        case .drain: return Scenario.builtinDefault()
        case .rolling: return Scenario.rollingMaintenance(hosts: 51, vmsPerHost: 20)
        case .balance: return Scenario.proBalancing()
        case .failure:
            // Config only: the model has no built-in failure scenario; it is the
            // drain scenario with the drained host failing, under its own name.
            var s = Scenario.builtinDefault()
            s.name = "host-failure"
            if case .drain(let h) = s.action { s.action = .hostFailure(host: h) }
            return s
        case .evacuate:
            // Config only: the drain scenario evacuating its host as a list of one.
            var s = Scenario.builtinDefault()
            if case .drain(let h) = s.action { s.action = .evacuate(hosts: [h]) }
            return s
        case .plan:
            // Config only: the drain scenario replaying an empty plan (scenario.plan names the file).
            var s = Scenario.builtinDefault()
            s.action = .plan(InMemoryPlan([]))
            return s
        }
    }

    static func reference(_ a: ActionName) -> Scenario { references[ActionName.allCases.firstIndex(of: a) ?? 0] }

    /// The VM mix each action's built-in scenario cycles through.
    static func mix(_ a: ActionName) -> VMMix { a == .balance ? .proBalancing : .standard }
}

/// Formats model values as scenario-file text (units chosen by ``Quantity/text(_:unit:)``).
enum Show {
    static func size(_ x: Double) -> String { Quantity.size.text(x) }
    static func rate(_ x: Double) -> String { Quantity.rate.text(x) }
    static func duration(_ x: Double, unit: String? = nil) -> String { Quantity.duration.text(x, unit: unit) }
    static func number(_ x: Double) -> String { Quantity.format(x) }
    /// `[a, b, c]`.
    static func list<T>(_ xs: [T], _ f: (T) -> String) -> String { "[" + xs.map(f).joined(separator: ", ") + "]" }
    /// `none` for `nil`.
    static func orNone<T>(_ x: T?, _ f: (T) -> String) -> String { x.map(f) ?? "none" }
    /// A concurrency limit, where `Int.max` means none.
    static func limit(_ n: Int) -> String { n == .max ? "none" : String(n) }
}

extension Scenario {
    /// The drained or failed host; `nil` for the other actions.
    fileprivate var actionHost: Int? {
        switch action {
        case .drain(let h), .hostFailure(let h): return h
        case .rolling, .balance, .evacuate, .plan: return nil
        }
    }
    /// The hosts an evacuation empties; `nil` for the other actions.
    fileprivate var evacuated: [Int]? {
        if case .evacuate(let hs) = action { return hs }
        return nil
    }
    /// The host every VM starts on (drain, failure, plan); `nil` for the other actions.
    fileprivate var vmsHost: Int? {
        if case .plan = action { return vms.first?.host }
        return actionHost == nil ? nil : vms.first?.host
    }
    /// Rolling maintenance's down time; `nil` for the other actions.
    fileprivate var maintenance: Double? {
        if case .rolling(let m) = action { return m }
        return nil
    }
    /// PRO balancing's parameters; `nil` for the other actions.
    fileprivate var balancing: BalancingSpec? {
        if case .balance(let b) = action { return b }
        return nil
    }
    /// The first host and VM, whose parameters the built-in scenarios share with the others.
    fileprivate var host: HostSpec? { cluster.hosts.first }
    fileprivate var vm: VMSpec? { vms.first }
}

/// One key of the scenario schema.
struct SchemaKey: Sendable {
    /// Dotted key path, e.g. `cluster.host.nic`.
    let path: String
    let kind: String
    let defaults: Defaults
    /// One-line description.
    let doc: String
    let accepted: String
    /// The canonical text of a value; throws ``Problem`` for a bad one.
    let normalise: @Sendable (String) throws -> String
    /// Parses a value into the scenario being built.
    let apply: @Sendable (String, inout Draft) throws -> Void

    var isList: Bool { kind.hasPrefix("list") }
}

/// The scenario schema: every key in documentation order. Parsing, validation,
/// defaults, `--set`, sweep grids and the printed default file all read this
/// one table. Defaults are formatted from the model's own typed values in its
/// built-in scenarios (``Defaults/references``: `Scenario.builtinDefault()`,
/// `rollingMaintenance(hosts: 51, vmsPerHost: 20)`, `proBalancing()`); the
/// few without a model counterpart are literal text marked "Config only".
enum Schema {
    static let migrationKinds = MigrationKind.allCases.filter { $0 != .failoverRestart }
    /// Virtual disks per VM: Hyper-V's 4 SCSI controllers of 64 disks. Every VM
    /// has the list, so this bounds the per-disk work at vms.count x 256.
    static let maximumDisks = 256

    static let keys: [SchemaKey] = [
        key("seed", V.seed, .model { String($0.seed) }, "Base random seed; every random stream derives from it.", \.seed),
        // Config only: sweeps repeat each grid point; a model scenario is one run.
        key("replications", V.int(1...1_000_000), "1", "Runs per grid point in a sweep, each with its own seed.", \.replications),

        key("scenario.name", V.label, .model { $0.name }, "Label of the scenario.", \.name),
        // Config only: each action's defaults are those of its own built-in scenario.
        key("scenario.action", V.cases(ActionName.allCases),
            Defaults("drain", rolling: "rolling", balance: "balance", failure: "failure"),
            "drain: evacuate scenario.host once per kind; rolling: drain every host in turn; balance: PRO balancing until the horizon; failure: scenario.host fails and its VMs restart elsewhere; evacuate: empty scenario.hosts at once; plan: replay scenario.plan.",
            \.action),
        key("scenario.host", V.int(0...99_999), .model { $0.actionHost.map(String.init) }, "Host drained (drain) or failed (failure).",
            \.actionHost),
        key("scenario.hosts", V.list(V.int(0...99_999), minimum: 1, distinct: true), .model { $0.evacuated.map { Show.list($0, String.init) } },
            "Evacuate: the hosts emptied at once (their VMs start on them, in turn).", \.evacuateHosts),
        // Config only: a file path.
        key("scenario.plan", V.or("none", V.path), "none",
            "Plan: CSV of time_s, vm, target (host or auto), optional kind and policy; relative to the file that names it.",
            \.planPath),
        key("scenario.order", V.named(SchedulingOrder.names) { SchedulingOrder(name: $0) }, .model { $0.order.name },
            "Order in which queued requests get slots: fifo, smallest-first, largest-first, lowest-dirty-rate-first, shortest-expected-first, longest-expected-first.",
            \.order),
        key("scenario.kinds", V.list(V.cases(migrationKinds), minimum: 1, distinct: true), .model { Show.list($0.kinds, \.rawValue) },
            "Migration kinds compared, each in its own run on the same VMs (balance: exactly one; failure: unused).", \.kinds),
        key("scenario.horizon", V.duration(.positive), .model { Show.duration($0.horizon) },
            "Simulated time after which a run is cut off.", \.horizon),
        key("scenario.maintenance", V.duration(.nonNegative), .model { $0.maintenance.map { Show.duration($0) } },
            "Rolling: how long each host stays down after its drain.", \.maintenance),
        key("scenario.app_timeout", V.duration(.nonNegative), .model { Show.duration($0.applicationTimeout) },
            "Downtime above this counts as an application outage in summary.csv.", \.appTimeout),

        key("cluster.hosts", V.int(1...100_000), .model { String($0.cluster.hosts.count) }, "Number of hosts (host0, host1, ...).",
            \.hostCount),
        // Rolling: fit (config only), which computes what the model's rolling scenario
        // gives each host: exactly the memory of its own VMs.
        key("cluster.host.memory", V.or("fit", V.size(.positive)),
            .model { s in if case .rolling = s.action { return "fit" } else { return s.host.map { Show.size($0.memoryBytes) } } },
            "Memory of every host available to VMs; fit = exactly what the fullest host's VMs need.", \.hostMemory),
        key("cluster.host.cpu_cores", V.int(1...1_000_000), .model { $0.host.map { String($0.cpuCores) } }, "CPU cores per host.",
            \.host.cpuCores),
        key("cluster.host.cpu_vendor", V.label, .model { $0.host?.cpuVendor }, "CPU vendor of hosts and VMs (placement needs a match).",
            \.host.cpuVendor),
        key("cluster.host.cpu_family", V.int(0...1_000_000), .model { $0.host.map { String($0.cpuFamily) } }, "CPU family of hosts and VMs.",
            \.host.cpuFamily),
        key("cluster.host.nic", V.rate(.positive), .model { $0.host.map { Show.rate($0.nicBandwidth) } },
            "Migration NIC line rate per direction, before protocol efficiency.", \.host.nicBandwidth),
        key("cluster.host.nic_migration_share", V.number(.share), .model { $0.host.map { Show.number($0.nicMigrationShare) } },
            "Share of the NIC migrations may use (1 = a dedicated migration NIC).", \.host.nicMigrationShare),
        key("cluster.host.disk_read", V.rate(.positive), .model { $0.host.map { Show.rate($0.diskRead) } }, "Local disk sequential read.",
            \.host.diskRead),
        key("cluster.host.disk_write", V.rate(.positive), .model { $0.host.map { Show.rate($0.diskWrite) } }, "Local disk sequential write.",
            \.host.diskWrite),
        // Config only (also vms.inventory): a file the model never sees; none = the cycled keys.
        key("cluster.inventory", V.or("none", V.path), "none",
            "CSV file with one row per host (id, memory, cpu_cores, nic, cpu_vendor, cpu_family; optional rack, disk_read, disk_write, virtual_networks); replaces cluster.hosts and cluster.host.*; path relative to the file that names it.",
            \.hostInventory),
        key("cluster.core_bandwidth", V.or("none", V.rate(.positive)), .model { Show.orNone($0.cluster.coreBandwidth, Show.rate) },
            "Core link every inter-host transfer crosses, before protocol efficiency.", \.cluster.coreBandwidth),
        key("cluster.rack_size", V.or("none", V.int(1...100_000)), .model { $0.cluster.rackSize > 0 ? String($0.cluster.rackSize) : "none" },
            "Hosts per rack (consecutive indices), with cluster.rack_uplink.", \.rackSize),
        key("cluster.rack_uplink", V.or("none", V.rate(.positive)), .model { Show.orNone($0.cluster.rackUplinkBandwidth, Show.rate) },
            "Top-of-rack uplink per direction; transfers between racks cross both racks' uplinks.",
            \.cluster.rackUplinkBandwidth),
        key("cluster.protocol_efficiency", V.number(.share), .model { Show.number($0.cluster.protocolEfficiency) },
            "Share of line rate that carries payload (TCP/IP framing).", \.cluster.protocolEfficiency),
        key("cluster.round_latency", V.duration(.nonNegative), .model { Show.duration($0.cluster.roundLatency) },
            "Latency added to every transfer round.", \.cluster.roundLatency),
        key("cluster.shared_storage", V.bool, .model { String($0.cluster.sharedStorage != nil) },
            "A SAN or CSV all hosts reach (quick migration needs it).", \.sharedStorage),
        key("cluster.shared_storage_read", V.rate(.positive), .model { Show.rate(($0.cluster.sharedStorage ?? SharedStorageSpec()).readBandwidth) },
            "Shared storage read.", \.storage.readBandwidth),
        key("cluster.shared_storage_write", V.rate(.positive),
            .model { Show.rate(($0.cluster.sharedStorage ?? SharedStorageSpec()).writeBandwidth) }, "Shared storage write.",
            \.storage.writeBandwidth),

        key("vms.count", V.int(1...1_000_000), .model { String($0.vms.count) },
            "Number of VMs. drain/failure: all on vms.host; rolling: spread over hosts 1..n-1 (host 0 is the spare); balance: round-robin on the first 3 hosts.",
            \.vmCount),
        key("vms.host", V.int(0...99_999), .model { $0.vmsHost.map(String.init) },
            "drain/failure: the host every VM starts on; it gets at least their total memory.", \.vmHost),
        key("vms.inventory", V.or("none", V.path), "none",
            "CSV file with one row per VM (id, host, memory, profile or dirty_rate; optional disks, trace, virtual_network, memory_in_use); replaces vms.count, vms.host, vms.memory, vms.profiles, vms.dirty_rate and vms.dirty_trace; path relative to the file that names it.",
            \.vmInventory),
        key("vms.memory", V.list(V.size(.positive), minimum: 1), Defaults(perAction: { Show.list(Defaults.mix($0).memory, Show.size) }),
            "VM memory sizes, cycled over the VMs (rolling: over each host's VMs).", \.memory),
        key("vms.profiles", V.list(V.cases(WorkloadProfile.allCases), minimum: 1),
            Defaults(perAction: { Show.list(Defaults.mix($0).profiles, \.rawValue) }),
            "Workload profiles, cycled over the VMs (rolling: shifted by the host index).", \.profiles),
        // Config only (also the next three keys): keywords for "as the profile says"; the
        // model's VMs carry their profile's workload and no trace.
        key("vms.dirty_rate", V.or("profile", DistributionSyntax.type(.plain, what: "page writes/s", nonNegativeMean: true)),
            "profile", "Page writes per second (4 KiB pages at the profiles' rates), drawn once per VM; profile = the profile's own.", \.dirtyRate),
        key("vms.dirty_trace", V.or("none", V.list(V.path, minimum: 1)), "none",
            "CSV traces (time_s, then dirty_pages_per_s, or distinct_pages or dirty_mib_per_s with window_s), cycled over the VMs; each replaces vms.dirty_rate and repeats after its end; paths relative to the file that names them.",
            \.traces),
        key("vms.trace_offset", V.cycleOffset, .model { $0.vm?.workload.cycleOffset.text },
            "Where each VM starts its trace or phase cycle: random (its own seeded point) or seconds into it (0 = all in step).",
            \.cycleOffset),
        // Config only (also vms.popularity and vms.hot_set): keywords for "as the profile says".
        key("vms.working_set_curve", V.or("none", V.list(V.path, minimum: 1)), "none",
            "CSV working-set curves (interval_s, distinct_pages or distinct_mib), cycled over the VMs; each replaces the popularity and, without vms.dirty_rate or a trace, the rate (its initial slope).",
            \.curves),
        key("vms.popularity", V.or("profile", V.popularity), "profile",
            "How writes spread over the pages in use: two-level, uniform, zipf(s) or levels(pages:writes; ...); profile = the profile's own.",
            \.popularity),
        key("vms.hot_set", V.or("profile", V.hotSet), "profile",
            "The hot set as a share of memory or a size (256MiB), for two-level; replaces vms.hot_set_fraction; profile = the profile's own.",
            \.hotSetValue),
        key("vms.hot_set_fraction", V.or("profile", V.number(.share)), "profile",
            "Share of pages in the hot (writable working) set; profile = the profile's own.", \.hotSet),
        key("vms.hot_write_share", V.or("profile", V.number(.closedShare)), "profile",
            "Share of writes that land in the hot set; profile = the profile's own.", \.hotShare),
        key("vms.read_share", V.number(Bounds(low: 0, high: 1, highOpen: true)), .model { $0.vm.map { Show.number($0.workload.readShare) } },
            "Share of page accesses that are reads, in [0, 1): they add post-copy faults, not dirty pages.", \.readShare),
        key("vms.counting", V.cases(DirtyCounting.allCases), .model { $0.vm?.workload.counting.rawValue },
            "Distinct dirty pages from writes: poisson saturates, linear does not.", \.counting),
        key("vms.page_size", V.pageSize, .model { $0.vm.map { Show.size(Double($0.pageSize)) } }, "Memory page size.", \.pageSize),
        key("vms.memory_in_use", V.number(.share), .model { $0.vm.map { Show.number($0.memoryInUse) } },
            "Share of memory in use (what quick and storage migration save).", \.memoryInUse),
        key("vms.disks", V.list(V.size(.positive), minimum: 0, maximum: Schema.maximumDisks), .model { $0.vm.map { Show.list($0.disks, Show.size) } },
            "Virtual disk sizes of every VM.", \.disks),
        key("vms.disk_write_rate", DistributionSyntax.type(.rate, what: "disk writes (rate)", nonNegativeMean: true),
            .model { $0.vm.map { DistributionSyntax.text($0.diskWriteRate, .rate) } },
            "Disk write rate, drawn once per VM (AVHD growth, dirty blocks).", \.diskWriteRate),
        key("vms.device_state", V.size(.nonNegative), .model { $0.vm.map { Show.size($0.deviceStateBytes) } },
            "Device state sent in stop-and-copy.", \.deviceState),
        key("vms.cpu_demand", DistributionSyntax.type(.plain, what: "cores", nonNegativeMean: true),
            .model { $0.vm.map { DistributionSyntax.text($0.cpuDemand, .plain) } },
            "CPU demand in cores, redrawn at every balancing check.", \.cpuDemand),

        key("migration.policy", V.named(PolicyPreset.names) { PolicyPreset(name: $0) }, .model { $0.settings.policy.name },
            "Pre-copy stop policy (with its published defaults).", \.settings.policy),
        key("migration.fidelity", V.cases(Fidelity.allCases), .model { $0.settings.fidelity.rawValue },
            "Dirty-page model: page-exact, statistical or mean-field.", \.settings.fidelity),
        // Config only (also migration.throttle): the keyword for the preset's own
        // value, which is what the model's settings hold for hyperv-2008r2.
        key("migration.rate_limit", V.rateLimit, "policy", "Per-migration cap on the pre-copy send rate.", \.rateLimit),
        key("migration.throttle", V.throttle, "policy", "vCPU throttling during pre-copy.", \.throttle),
        // Config only, like migration.rate_limit: the preset's own mechanisms (README, mechanisms by preset).
        key("migration.stop_copy_rate", V.or("policy", V.cases(StopCopyRate.allCases)), "policy",
            "Stop-and-copy under the pre-copy rate cap (capped) or at what the path allows (uncapped).", \.stopCopyRate),
        key("migration.zero_pages", V.or("policy", V.or("send", V.size(.nonNegative))), "policy",
            "Never-written pages (1 - vms.memory_in_use): sent whole (send) or as a header of this size in round 1.",
            \.zeroPages),
        key("migration.compression", V.compression, "policy",
            "Page compression: wire ratio, raw speed per core and cores (the sender's CPUs can make it slower on a fast link).",
            \.compression),
        key("migration.channels", V.or("policy", V.int(1...256)), "policy",
            "Parallel streams per migration (QEMU multifd channels), each a flow of its own in the sharing.", \.channels),
        key("migration.channel_ceiling", V.or("none", V.rate(.positive)), "none",
            "Most one stream carries (a sender thread's CPU); none = no ceiling.", \.channelCeiling),
        key("migration.postcopy_preempt", V.bool, .model { String($0.settings.mechanisms.postcopyPreempt) },
            "Post-copy page requests preempt the push on a channel of their own (QEMU postcopy-preempt); false: a request waits for the page in flight.",
            \.postcopyPreempt),
        key("migration.skip_dirtied", V.or("policy", V.bool), "policy",
            "Skip pages written again since the round began, before the round reaches them (Xen to_skip).", \.skipDirtied),
        key("migration.switchover", V.or("policy", V.cases(SwitchoverTest.allCases)), "policy",
            "When the stop rule is tested: at round ends, or continuously while a round is sent (QEMU; qemu and nova presets only).",
            \.switchover),
        key("migration.timeout", V.duration(.positive), .model { Show.duration($0.settings.timeout) },
            "Live migration timeout, checked at round ends.", \.settings.timeout),
        key("migration.timeout_outcome", V.cases(TimeoutOutcome.allCases), .model { $0.settings.timeoutOutcome.rawValue },
            "What the timeout does: abort, force stop-and-copy, or switch to post-copy.", \.settings.timeoutOutcome),
        key("migration.setup_delay", V.duration(.nonNegative), .model { Show.duration($0.settings.setupDelay) },
            "Copying the configuration and creating the paused VM.", \.settings.setupDelay),
        key("migration.resume_delay", V.duration(.nonNegative), .model { Show.duration($0.settings.resumeDelay) },
            "Resuming the VM on the target.", \.settings.resumeDelay),
        key("migration.arp_delay", V.duration(.nonNegative), .model { Show.duration($0.settings.arpDelay) },
            "ARP/RARP update after resume.", \.settings.arpDelay),
        key("migration.storage_switch", V.cases(StorageSwitch.allCases), .model { $0.settings.storageSwitch.rawValue },
            "Disk ownership in live migration: csv (no change) or lun (fails over).", \.settings.storageSwitch),
        key("migration.lun_failover", DistributionSyntax.type(.duration, what: "seconds", nonNegativeMean: true),
            .model { DistributionSyntax.text($0.settings.lunFailover, .duration) },
            "LUN offline/online when a disk resource fails over.", \.settings.lunFailover),
        key("migration.checkpoint_delay", V.duration(.nonNegative), .model { Show.duration($0.settings.checkpointDelay) },
            "Storage migration: taking the VSS checkpoint.", \.settings.checkpointDelay),
        key("migration.merge_bandwidth", V.rate(.positive), .model { Show.rate($0.settings.mergeBandwidth) },
            "Storage migration: AVHD merge rate on the target.", \.settings.mergeBandwidth),
        key("migration.block_size", V.size(.atLeast(4096)), .model { Show.size($0.settings.blockSize) },
            "Live-storage: dirty-block tracking granularity.", \.settings.blockSize),
        key("migration.block_threshold", V.size(.nonNegative), .model { Show.size($0.settings.blockThresholdBytes) },
            "Live-storage: stop block rounds at this dirty remainder.", \.settings.blockThresholdBytes),
        key("migration.block_max_rounds", V.int(1...1_000_000), .model { String($0.settings.blockMaxRounds) },
            "Live-storage: cap on block rounds.", \.settings.blockMaxRounds),
        key("migration.register_delay", V.duration(.nonNegative), .model { Show.duration($0.settings.registerDelay) },
            "Offline: registering the VM on the target.", \.settings.registerDelay),
        key("migration.detection_delay", V.duration(.nonNegative), .model { Show.duration($0.settings.detectionDelay) },
            "Failover: heartbeat failure detection.", \.settings.detectionDelay),
        key("migration.boot_time", DistributionSyntax.type(.duration, what: "seconds", nonNegativeMean: true),
            .model { DistributionSyntax.text($0.settings.bootTime, .duration) },
            "Failover: cold boot on the surviving host (lognormal mu, sigma of ln seconds).", \.settings.bootTime),
        key("migration.round_guard", V.int(1...1_000_000), .model { String($0.settings.roundGuard) },
            "Hard cap on pre-copy rounds (reported as round-guard).", \.settings.roundGuard),
        key("migration.dirty_logging_overhead", V.number(Bounds(low: 0, high: 1, highOpen: true)),
            .model { Show.number($0.settings.dirtyLoggingOverhead) },
            "Share of a VM's throughput lost while its pages are tracked in memory pre-copy rounds (live, live-storage), in [0, 1); 0 = not counted (no published figure found).",
            \.settings.dirtyLoggingOverhead),

        key("concurrency.per_host", V.int(1...1_000_000), .model { String($0.limits.perHost) },
            "Migrations a host takes part in at once (source or target).", \.limits.perHost),
        key("concurrency.per_cluster", V.or("none", V.int(1...1_000_000)), .model { Show.limit($0.limits.perCluster) },
            "Migrations in the whole cluster at once.", \.perCluster),
        key("concurrency.per_pair", V.or("none", V.int(1...1_000_000)), .model { Show.limit($0.limits.perPair) },
            "Migrations between one pair of hosts at once.", \.perPair),

        key("energy.host_model", V.powerModel, .model { $0.costs.power.name },
            "Host power curve: ibm-x3550-xeon-x5675, hp-ml110-g5-xeon-3075, hp-ml110-g3-pentium-d930 (SPECpower_ssj2008, via CloudSim), or linear(idle W, peak W).",
            \.costs.power),
        key("energy.migration_cpu", V.number(.nonNegative), .model { Show.number($0.costs.migrationCoresPerGbps) },
            "Cores a host reserves per Gbit/s of migration NIC while in any network migration, at least 0.3 (vSphere 5.1's vMotion reservation); 0 = off.",
            \.costs.migrationCoresPerGbps),
        key("energy.switch_off_empty", V.bool, .model { String($0.costs.switchOffEmpty) },
            "Hosts with no VM and no migration draw nothing.", \.costs.switchOffEmpty),
        key("energy.window", V.cases(CostWindow.allCases), .model { $0.costs.window.rawValue },
            "What energy, SLATAH and PDM cover: up to the run's last event, or the whole scenario.horizon (hosts keep drawing power after the last migration).",
            \.costs.window),
        key("sla.pdm_share", V.number(.closedShare), .model { Show.number($0.costs.migrationDegradationShare) },
            "Share of a VM's CPU lost while it migrates, for PDM (CloudSim assumes 10 %).", \.costs.migrationDegradationShare),
        key("sla.availability", V.number(.share), .model { Show.number($0.costs.availability) },
            "Availability promised per VM over sla.period (downtime budget = (1 - availability) x period).", \.costs.availability),
        key("sla.period", V.duration(.positive), .model { Show.duration($0.costs.availabilityPeriod) },
            "The period sla.availability is promised over.", \.costs.availabilityPeriod),

        key("placement.memory_weight", V.number(.nonNegative), .model { Show.number($0.placement.memory) },
            "Host rating weight of free memory.", \.placement.memory),
        key("placement.cpu_weight", V.number(.nonNegative), .model { Show.number($0.placement.cpu) },
            "Host rating weight of free CPU.", \.placement.cpu),
        key("placement.network_weight", V.number(.nonNegative), .model { Show.number($0.placement.network) },
            "Host rating weight of free NIC bandwidth.", \.placement.network),
        key("placement.disk_weight", V.number(.nonNegative), .model { Show.number($0.placement.disk) },
            "Host rating weight of free disk bandwidth.", \.placement.disk),

        key("balancing.interval", V.duration(.positive), .model { $0.balancing.map { Show.duration($0.interval, unit: "s") } },
            "Time between PRO load checks.", \.balancing.interval),
        key("balancing.threshold", V.number(.positive), .model { $0.balancing.map { Show.number($0.threshold) } },
            "A host is overloaded above this CPU load (share of its cores).", \.balancing.threshold),
        key("balancing.sustained_checks", V.int(1...1_000_000), .model { $0.balancing.map { String($0.sustainedChecks) } },
            "Consecutive overloaded checks before a move.", \.balancing.sustainedChecks),
        key("balancing.target_ceiling", V.number(.positive), .model { $0.balancing.map { Show.number($0.targetCeiling) } },
            "A target's load after the move stays at or below this (at most balancing.threshold).", \.balancing.targetCeiling),
        key("balancing.cooldown", V.duration(.nonNegative), .model { $0.balancing.map { Show.duration($0.cooldown) } },
            "A VM that moved is left alone this long.", \.balancing.cooldown),

        key("output.rounds", V.bool, .model { String($0.recordRounds) }, "Record every pre-copy round (rounds.csv).", \.recordRounds),
        key("output.time_series", V.or("none", V.duration(.positive)), .model { Show.orNone($0.sampleInterval) { Show.duration($0) } },
            "Sampling interval of links.csv and hosts.csv; none = off.", \.sampleInterval),
    ]

    /// A schema key whose value parses with `type` and is stored at `path` of the draft.
    static func key<T>(_ path: String, _ type: ValueType<T>, _ defaults: Defaults, _ doc: String,
                       _ field: WritableKeyPath<Draft, T> & Sendable) -> SchemaKey {
        SchemaKey(path: path, kind: type.kind, defaults: defaults, doc: doc, accepted: type.accepted,
                  normalise: { try type.parse($0).1 },
                  apply: { text, draft in draft[keyPath: field] = try type.parse(text).0 })
    }

    /// Key path to position in ``keys``.
    static let index: [String: Int] = Dictionary(keys.enumerated().map { ($1.path, $0) }, uniquingKeysWith: { a, _ in a })

    static func key(_ path: String) -> SchemaKey? { index[path].map { keys[$0] } }

    /// Group prefixes (`cluster`, `cluster.host`, ...), in documentation order.
    static let groups: [String] = {
        var out: [String] = []
        for k in keys {
            let parts = k.path.split(separator: ".")
            for n in stride(from: 1, to: parts.count, by: 1) {
                let g = parts[..<n].joined(separator: ".")
                if !out.contains(g) { out.append(g) }
            }
        }
        return out
    }()
}
