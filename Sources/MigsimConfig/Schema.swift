import MigsimModel
import MigsimRandom

/// The four scenario actions a file can name.
enum ActionName: String, CaseIterable, Sendable {
    case drain, rolling, balance, failure
}

/// A key's default as written in a file, for each action (most keys have one for all).
struct Defaults: Sendable, ExpressibleByStringLiteral {
    let base: String
    let byAction: [ActionName: String]

    init(_ base: String, rolling: String? = nil, balance: String? = nil, failure: String? = nil) {
        self.base = base
        var m: [ActionName: String] = [:]
        m[.rolling] = rolling
        m[.balance] = balance
        m[.failure] = failure
        byAction = m
    }
    init(stringLiteral value: String) { self.init(value) }

    func text(for action: ActionName) -> String { byAction[action] ?? base }
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
/// one table. Defaults are those of the model's own types and built-in
/// scenarios (`Scenario.builtinDefault()`, `rollingMaintenance(hosts: 51,
/// vmsPerHost: 20)`, `proBalancing()`); the round-trip tests hold them to it.
enum Schema {
    static let migrationKinds = MigrationKind.allCases.filter { $0 != .failoverRestart }
    /// Virtual disks per VM: Hyper-V's 4 SCSI controllers of 64 disks. Every VM
    /// has the list, so this bounds the per-disk work at vms.count x 256.
    static let maximumDisks = 256

    static let keys: [SchemaKey] = [
        key("seed", V.seed, "1", "Base random seed; every random stream derives from it.", \.seed),
        key("replications", V.int(1...1_000_000), "1", "Runs per grid point in a sweep, each with its own seed.", \.replications),

        key("scenario.name", V.label,
            Defaults("default-drain", rolling: "rolling-maintenance", balance: "pro-balancing", failure: "host-failure"),
            "Label of the scenario.", \.name),
        key("scenario.action", V.cases(ActionName.allCases),
            Defaults("drain", rolling: "rolling", balance: "balance", failure: "failure"),
            "drain: evacuate scenario.host once per kind; rolling: drain every host in turn; balance: PRO balancing until the horizon; failure: scenario.host fails and its VMs restart elsewhere.",
            \.action),
        key("scenario.host", V.int(0...99_999), "0", "Host drained (drain) or failed (failure).", \.actionHost),
        key("scenario.kinds", V.list(V.cases(migrationKinds), minimum: 1),
            Defaults("[live, quick, storage]", rolling: "[live]", balance: "[live]"),
            "Migration kinds compared, each in its own run on the same VMs (balance: exactly one; failure: unused).", \.kinds),
        key("scenario.horizon", V.duration(.positive), Defaults("720h", balance: "1h"),
            "Simulated time after which a run is cut off.", \.horizon),
        key("scenario.maintenance", V.duration(.nonNegative), "0s", "Rolling: how long each host stays down after its drain.",
            \.maintenance),
        key("scenario.app_timeout", V.duration(.nonNegative), "1s",
            "Downtime above this counts as an application outage in summary.csv.", \.appTimeout),

        key("cluster.hosts", V.int(1...100_000), Defaults("8", rolling: "51"), "Number of hosts (host0, host1, ...).", \.hostCount),
        key("cluster.host.memory", V.or("fit", V.size(.positive)), Defaults("256GiB", rolling: "fit", balance: "128GiB"),
            "Memory of every host available to VMs; fit = exactly what the fullest host's VMs need.", \.hostMemory),
        key("cluster.host.cpu_cores", V.int(1...1_000_000), Defaults("32", balance: "16"), "CPU cores per host.", \.host.cpuCores),
        key("cluster.host.cpu_vendor", V.label, "intel", "CPU vendor of hosts and VMs (placement needs a match).", \.host.cpuVendor),
        key("cluster.host.cpu_family", V.int(0...1_000_000), "6", "CPU family of hosts and VMs.", \.host.cpuFamily),
        key("cluster.host.nic", V.rate(.positive), "10Gbps", "Migration NIC line rate per direction, before protocol efficiency.",
            \.host.nicBandwidth),
        key("cluster.host.nic_migration_share", V.number(.share), "1",
            "Share of the NIC migrations may use (1 = a dedicated migration NIC).", \.host.nicMigrationShare),
        key("cluster.host.disk_read", V.rate(.positive), "200MB/s", "Local disk sequential read.", \.host.diskRead),
        key("cluster.host.disk_write", V.rate(.positive), "150MB/s", "Local disk sequential write.", \.host.diskWrite),
        key("cluster.core_bandwidth", V.or("none", V.rate(.positive)), "none",
            "Core link every inter-host transfer crosses, before protocol efficiency.", \.cluster.coreBandwidth),
        key("cluster.rack_size", V.or("none", V.int(1...100_000)), "none",
            "Hosts per rack (consecutive indices), with cluster.rack_uplink.", \.rackSize),
        key("cluster.rack_uplink", V.or("none", V.rate(.positive)), "none",
            "Top-of-rack uplink per direction; transfers between racks cross both racks' uplinks.",
            \.cluster.rackUplinkBandwidth),
        key("cluster.protocol_efficiency", V.number(.share), "0.94", "Share of line rate that carries payload (TCP/IP framing).",
            \.cluster.protocolEfficiency),
        key("cluster.round_latency", V.duration(.nonNegative), "0s", "Latency added to every transfer round.",
            \.cluster.roundLatency),
        key("cluster.shared_storage", V.bool, "true", "A SAN or CSV all hosts reach (quick migration needs it).", \.sharedStorage),
        key("cluster.shared_storage_read", V.rate(.positive), "200MB/s", "Shared storage read.", \.storage.readBandwidth),
        key("cluster.shared_storage_write", V.rate(.positive), "150MB/s", "Shared storage write.", \.storage.writeBandwidth),

        key("vms.count", V.int(1...1_000_000), Defaults("40", rolling: "1000", balance: "48"),
            "Number of VMs. drain/failure: all on vms.host; rolling: spread over hosts 1..n-1 (host 0 is the spare); balance: round-robin on the first 3 hosts.",
            \.vmCount),
        key("vms.host", V.int(0...99_999), "0",
            "drain/failure: the host every VM starts on; it gets at least their total memory.", \.vmHost),
        key("vms.memory", V.list(V.size(.positive), minimum: 1), Defaults("[2GiB, 4GiB, 8GiB]", balance: "[4GiB]"),
            "VM memory sizes, cycled over the VMs (rolling: over each host's VMs).", \.memory),
        key("vms.profiles", V.list(V.cases(WorkloadProfile.allCases), minimum: 1),
            Defaults("[idle, web, database, web]", balance: "[web]"),
            "Workload profiles, cycled over the VMs (rolling: shifted by the host index).", \.profiles),
        key("vms.dirty_rate", V.or("profile", DistributionSyntax.type(.plain, what: "page writes/s", nonNegativeMean: true)),
            "profile", "Page writes per second (4 KiB pages at the profiles' rates), drawn once per VM; profile = the profile's own.", \.dirtyRate),
        key("vms.dirty_trace", V.or("none", V.list(V.path, minimum: 1)), "none",
            "CSV traces of the dirty rate (time_s, dirty_pages_per_s or dirty_mib_per_s), cycled over the VMs; each replaces vms.dirty_rate and repeats after its end; paths relative to the file that names them.",
            \.traces),
        key("vms.hot_set_fraction", V.or("profile", V.number(.share)), "profile",
            "Share of pages in the hot (writable working) set; profile = the profile's own.", \.hotSet),
        key("vms.hot_write_share", V.or("profile", V.number(.closedShare)), "profile",
            "Share of writes that land in the hot set; profile = the profile's own.", \.hotShare),
        key("vms.counting", V.cases(DirtyCounting.allCases), "poisson",
            "Distinct dirty pages from writes: poisson saturates, linear does not.", \.counting),
        key("vms.page_size", V.pageSize, "4KiB", "Memory page size.", \.pageSize),
        key("vms.memory_in_use", V.number(.share), "1", "Share of memory in use (what quick and storage migration save).",
            \.memoryInUse),
        key("vms.disks", V.list(V.size(.positive), minimum: 0, maximum: Schema.maximumDisks), "[40GiB]",
            "Virtual disk sizes of every VM.", \.disks),
        key("vms.disk_write_rate", DistributionSyntax.type(.rate, what: "disk writes (rate)", nonNegativeMean: true), "2MB/s",
            "Disk write rate, drawn once per VM (AVHD growth, dirty blocks).", \.diskWriteRate),
        key("vms.device_state", V.size(.nonNegative), "1MiB", "Device state sent in stop-and-copy.", \.deviceState),
        key("vms.cpu_demand", DistributionSyntax.type(.plain, what: "cores", nonNegativeMean: true),
            Defaults("1", balance: "gamma(9, 0.16666666666666666)"),
            "CPU demand in cores, redrawn at every balancing check.", \.cpuDemand),

        key("migration.policy", V.named(PolicyPreset.names) { PolicyPreset(name: $0) }, "hyperv-2008r2",
            "Pre-copy stop policy (with its published defaults).", \.settings.policy),
        key("migration.fidelity", V.cases(Fidelity.allCases), "statistical", "Dirty-page model: page-exact, statistical or mean-field.",
            \.settings.fidelity),
        key("migration.rate_limit", V.rateLimit, "policy", "Per-migration cap on the pre-copy send rate.", \.rateLimit),
        key("migration.throttle", V.throttle, "policy", "vCPU throttling during pre-copy.", \.throttle),
        key("migration.timeout", V.duration(.positive), "1h", "Live migration timeout, checked at round ends.", \.settings.timeout),
        key("migration.timeout_outcome", V.cases(TimeoutOutcome.allCases), "force",
            "What the timeout does: abort, force stop-and-copy, or switch to post-copy.", \.settings.timeoutOutcome),
        key("migration.setup_delay", V.duration(.nonNegative), "100ms", "Copying the configuration and creating the paused VM.",
            \.settings.setupDelay),
        key("migration.resume_delay", V.duration(.nonNegative), "1ms", "Resuming the VM on the target.", \.settings.resumeDelay),
        key("migration.arp_delay", V.duration(.nonNegative), "1ms", "ARP/RARP update after resume.", \.settings.arpDelay),
        key("migration.storage_switch", V.cases(StorageSwitch.allCases), "csv",
            "Disk ownership in live migration: csv (no change) or lun (fails over).", \.settings.storageSwitch),
        key("migration.lun_failover", DistributionSyntax.type(.duration, what: "seconds", nonNegativeMean: true), "uniform(3s, 7s)",
            "LUN offline/online when a disk resource fails over.", \.settings.lunFailover),
        key("migration.checkpoint_delay", V.duration(.nonNegative), "2s", "Storage migration: taking the VSS checkpoint.",
            \.settings.checkpointDelay),
        key("migration.merge_bandwidth", V.rate(.positive), "60MB/s", "Storage migration: AVHD merge rate on the target.",
            \.settings.mergeBandwidth),
        key("migration.block_size", V.size(.atLeast(4096)), "64KiB", "Live-storage: dirty-block tracking granularity.",
            \.settings.blockSize),
        key("migration.block_threshold", V.size(.nonNegative), "64MiB", "Live-storage: stop block rounds at this dirty remainder.",
            \.settings.blockThresholdBytes),
        key("migration.block_max_rounds", V.int(1...1_000_000), "30", "Live-storage: cap on block rounds.", \.settings.blockMaxRounds),
        key("migration.register_delay", V.duration(.nonNegative), "5s", "Offline: registering the VM on the target.",
            \.settings.registerDelay),
        key("migration.detection_delay", V.duration(.nonNegative), "5s", "Failover: heartbeat failure detection.",
            \.settings.detectionDelay),
        key("migration.boot_time", DistributionSyntax.type(.duration, what: "seconds", nonNegativeMean: true), "lognormal(3.9, 0.25)",
            "Failover: cold boot on the surviving host (lognormal mu, sigma of ln seconds).", \.settings.bootTime),
        key("migration.round_guard", V.int(1...100_000_000), "10000", "Hard cap on pre-copy rounds (reported as round-guard).",
            \.settings.roundGuard),

        key("concurrency.per_host", V.int(1...1_000_000), "2", "Migrations a host takes part in at once (source or target).",
            \.limits.perHost),
        key("concurrency.per_cluster", V.or("none", V.int(1...1_000_000)), "none", "Migrations in the whole cluster at once.",
            \.perCluster),
        key("concurrency.per_pair", V.or("none", V.int(1...1_000_000)), "none", "Migrations between one pair of hosts at once.",
            \.perPair),

        key("placement.memory_weight", V.number(.nonNegative), "1", "Host rating weight of free memory.", \.placement.memory),
        key("placement.cpu_weight", V.number(.nonNegative), "1", "Host rating weight of free CPU.", \.placement.cpu),
        key("placement.network_weight", V.number(.nonNegative), "1", "Host rating weight of free NIC bandwidth.",
            \.placement.network),
        key("placement.disk_weight", V.number(.nonNegative), "0", "Host rating weight of free disk bandwidth.", \.placement.disk),

        key("balancing.interval", V.duration(.positive), "60s", "Time between PRO load checks.", \.balancing.interval),
        key("balancing.threshold", V.number(.positive), "0.6", "A host is overloaded above this CPU load (share of its cores).",
            \.balancing.threshold),
        key("balancing.sustained_checks", V.int(1...1_000_000), "2", "Consecutive overloaded checks before a move.",
            \.balancing.sustainedChecks),
        key("balancing.target_ceiling", V.number(.positive), "0.5",
            "A target's load after the move stays at or below this (at most balancing.threshold).", \.balancing.targetCeiling),
        key("balancing.cooldown", V.duration(.nonNegative), "15min", "A VM that moved is left alone this long.",
            \.balancing.cooldown),

        key("output.rounds", V.bool, "true", "Record every pre-copy round (rounds.csv).", \.recordRounds),
        key("output.time_series", V.or("none", V.duration(.positive)), "none",
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
