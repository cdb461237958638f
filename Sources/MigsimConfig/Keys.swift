import MigsimModel
import MigsimRandom

/// The scenario schema: every key, in file order. Parsing, validation,
/// defaults, `--set`, sweep grids and `migsim scenario --print-default` all
/// read this one table.
enum Schema {
    typealias Apply = @Sendable (inout Scenario, Value) throws -> Void

    static let kinds = MigrationKind.allCases.filter { $0 != .failoverRestart }.map(\.rawValue)
    static let actions = ["drain", "rolling", "balance", "failure"]

    /// Structural keys are read before the scenario is laid out (phase 1).
    static let structural: Set<String> = ["seed", "replications", "scenario.action", "cluster.hosts", "vms.count", "vms.host"]

    static let none: Apply = { _, _ in }
    static func host(_ f: @escaping @Sendable (inout HostSpec, Value) -> Void) -> Apply {
        { s, v in for i in s.cluster.hosts.indices { f(&s.cluster.hosts[i], v) } }
    }
    static func vm(_ f: @escaping @Sendable (inout VMSpec, Int, Value) throws -> Void) -> Apply {
        { s, v in if v.isKeyword { return }; for i in s.vms.indices { try f(&s.vms[i], i, v) } }
    }
    static func mig(_ f: @escaping @Sendable (inout MigrationSettings, Value) -> Void) -> Apply { { s, v in f(&s.settings, v) } }
    static func dist(_ v: Value) -> Distribution { if case .distribution(let d) = v { return d }; return try! .constant(0) }
    static func size(_ t: String) -> Double { UnitParser.size(t) ?? 0 }

    static let keys: [Key] = [
        Key(path: "seed", kind: .seed, defaultText: "1", doc: "base random seed", apply: none),
        Key(path: "replications", kind: .int(1...1_000_000), defaultText: "1", doc: "replications (sweeps)", apply: none),
        Key(path: "scenario.name", kind: .text, defaultText: "default-drain", doc: "label", apply: { s, v in s.name = v.text }),
        Key(path: "scenario.action", kind: .choice(actions), defaultText: "drain",
            doc: "drain one host; rolling maintenance of all; PRO balancing; host failure", apply: none),
        Key(path: "scenario.host", kind: .int(0...1_000_000), defaultText: "0", doc: "host drained (drain) or failed (failure)",
            apply: { s, v in
                switch s.action {
                case .drain: s.action = .drain(host: v.int)
                case .hostFailure: s.action = .hostFailure(host: v.int)
                default: break
                }
            }),
        Key(path: "scenario.kinds", kind: .choiceList(kinds), defaultText: "[live, quick, storage]",
            doc: "migration kinds compared (each runs separately on the same VMs)",
            apply: { s, v in s.kinds = v.list.compactMap(MigrationKind.init(rawValue:)) }),
        Key(path: "scenario.horizon", kind: .duration, defaultText: "720h", doc: "simulated time after which a run is cut off",
            apply: { s, v in s.horizon = v.number }),
        Key(path: "scenario.maintenance", kind: .duration, defaultText: "0s", doc: "rolling: time each host stays down",
            apply: { s, v in if case .rolling = s.action { s.action = .rolling(maintenance: v.number) } }),
        Key(path: "scenario.app_timeout", kind: .duration, defaultText: "1s", doc: "downtime that counts as an application outage",
            apply: { s, v in s.applicationTimeout = v.number }),

        Key(path: "cluster.hosts", kind: .int(1...100_000), defaultText: "8", doc: "number of hosts", apply: none),
        Key(path: "cluster.host.memory", kind: .or(.size(minimum: 0), ["action"]), defaultText: "action",
            doc: "host memory for VMs (action: as the scenario lays out; drain: 256GiB)",
            apply: { s, v in if v.isKeyword { return }; for i in s.cluster.hosts.indices { s.cluster.hosts[i].memoryBytes = v.number } }),
        Key(path: "cluster.host.cpu_cores", kind: .int(1...100_000), defaultText: "32", doc: "cores per host",
            apply: host { $0.cpuCores = $1.int }),
        Key(path: "cluster.host.cpu_vendor", kind: .choice(["intel", "amd", "arm"]), defaultText: "intel", doc: "CPU vendor",
            apply: host { $0.cpuVendor = $1.text }),
        Key(path: "cluster.host.cpu_family", kind: .int(0...1000), defaultText: "6", doc: "CPU family", apply: host { $0.cpuFamily = $1.int }),
        Key(path: "cluster.host.nic", kind: .rate, defaultText: "10Gbps", doc: "migration NIC line rate per direction",
            apply: host { $0.nicBandwidth = $1.number }),
        Key(path: "cluster.host.nic_migration_share", kind: .number(0.001...1), defaultText: "1",
            doc: "share of the NIC migrations may use (1 = dedicated NIC)", apply: host { $0.nicMigrationShare = $1.number }),
        Key(path: "cluster.host.disk_read", kind: .rate, defaultText: "200MB/s", doc: "local disk read", apply: host { $0.diskRead = $1.number }),
        Key(path: "cluster.host.disk_write", kind: .rate, defaultText: "150MB/s", doc: "local disk write", apply: host { $0.diskWrite = $1.number }),
        Key(path: "cluster.core_bandwidth", kind: .or(.rate, ["none"]), defaultText: "none", doc: "core link every inter-host transfer crosses",
            apply: { s, v in s.cluster.coreBandwidth = v.isKeyword ? nil : v.number }),
        Key(path: "cluster.rack_size", kind: .int(1...100_000), defaultText: "40", doc: "hosts per rack (with rack_uplink)",
            apply: { s, v in s.cluster.rackSize = v.int }),
        Key(path: "cluster.rack_uplink", kind: .or(.rate, ["none"]), defaultText: "none", doc: "top-of-rack uplink per direction",
            apply: { s, v in s.cluster.rackUplinkBandwidth = v.isKeyword ? nil : v.number }),
        Key(path: "cluster.protocol_efficiency", kind: .number(0.01...1), defaultText: "0.94", doc: "payload share of line rate",
            apply: { s, v in s.cluster.protocolEfficiency = v.number }),
        Key(path: "cluster.round_latency", kind: .duration, defaultText: "0s", doc: "latency added to every transfer round",
            apply: { s, v in s.cluster.roundLatency = v.number }),
        Key(path: "cluster.shared_storage", kind: .bool, defaultText: "true", doc: "a SAN/CSV (needed by quick migration)",
            apply: { s, v in s.cluster.sharedStorage = v.bool ? (s.cluster.sharedStorage ?? SharedStorageSpec()) : nil }),
        Key(path: "cluster.shared_storage_read", kind: .rate, defaultText: "200MB/s", doc: "SAN read",
            apply: { s, v in s.cluster.sharedStorage?.readBandwidth = v.number }),
        Key(path: "cluster.shared_storage_write", kind: .rate, defaultText: "150MB/s", doc: "SAN write",
            apply: { s, v in s.cluster.sharedStorage?.writeBandwidth = v.number }),

        Key(path: "vms.count", kind: .int(1...1_000_000), defaultText: "40", doc: "number of VMs (the action's layout, cycled)", apply: none),
        Key(path: "vms.host", kind: .int(0...1_000_000), defaultText: "0", doc: "drain/failure: host the VMs start on", apply: none),
        Key(path: "vms.memory", kind: .or(.sizeList, ["action"]), defaultText: "action",
            doc: "VM memory sizes cycled over VMs (action: 2GiB, 4GiB, 8GiB cycled)",
            apply: vm { vm, i, v in vm.memoryBytes = size(v.list[i % v.list.count]) }),
        Key(path: "vms.profiles", kind: .or(.choiceList(WorkloadProfile.allCases.map(\.rawValue)), ["action"]), defaultText: "action",
            doc: "workload profiles cycled over VMs (action: idle, web, database, web)",
            apply: vm { vm, i, v in vm.workload = WorkloadProfile(rawValue: v.list[i % v.list.count])!.spec }),
        Key(path: "vms.dirty_rate", kind: .or(.distribution(unit: "pages/s"), ["profile"]), defaultText: "profile",
            doc: "page writes per second, drawn per VM", apply: vm { vm, _, v in vm.workload.rate = dist(v) }),
        Key(path: "vms.hot_set_fraction", kind: .or(.number(1e-9...1e9), ["profile"]), defaultText: "profile",
            doc: "share of pages in the hot set, (0, 1]", apply: vm { vm, _, v in vm.workload.hotSetFraction = v.number }),
        Key(path: "vms.hot_write_share", kind: .or(.number(0...1), ["profile"]), defaultText: "profile",
            doc: "share of writes to the hot set", apply: vm { vm, _, v in vm.workload.hotWriteShare = v.number }),
        Key(path: "vms.counting", kind: .or(.choice(DirtyCounting.allCases.map(\.rawValue)), ["profile"]), defaultText: "profile",
            doc: "distinct-page counting (poisson saturates, linear does not)",
            apply: { s, v in
                guard let c = DirtyCounting(rawValue: v.text) else { return }
                for i in s.vms.indices { s.vms[i].workload.counting = c }
            }),
        Key(path: "vms.page_size", kind: .size(minimum: 0), defaultText: "4KiB", doc: "page size, a power of two",
            apply: vm { vm, _, v in vm.pageSize = Int(exactly: v.number) ?? 3 }),
        Key(path: "vms.memory_in_use", kind: .number(1e-9...1), defaultText: "1", doc: "share of memory in use (saved by quick/storage)",
            apply: vm { vm, _, v in vm.memoryInUse = v.number }),
        Key(path: "vms.disks", kind: .sizeList, defaultText: "[40GiB]", doc: "virtual disk sizes of every VM",
            apply: vm { vm, _, v in vm.disks = v.list.map(size) }),
        Key(path: "vms.disk_write_rate", kind: .distribution(unit: "bytes/s"), defaultText: "constant(2MB/s)",
            doc: "disk write rate, drawn per VM", apply: vm { vm, _, v in vm.diskWriteRate = dist(v) }),
        Key(path: "vms.device_state", kind: .size(minimum: -1), defaultText: "1MiB", doc: "device state sent in stop-and-copy",
            apply: vm { vm, _, v in vm.deviceStateBytes = v.number }),
        Key(path: "vms.cpu_demand", kind: .or(.distribution(unit: "cores"), ["action"]), defaultText: "action",
            doc: "CPU demand in cores (action: 1; balance: gamma(9, 0.1667))", apply: vm { vm, _, v in vm.cpuDemand = dist(v) }),

        Key(path: "migration.policy", kind: .choice(PolicyPreset.names), defaultText: "hyperv-2008r2", doc: "pre-copy stop policy",
            apply: { s, v in s.settings.policy = PolicyPreset(name: v.text)! }),
        Key(path: "migration.fidelity", kind: .or(.choice(Fidelity.allCases.map(\.rawValue)), ["action"]), defaultText: "action",
            doc: "dirty-page fidelity (action: statistical)",
            apply: { s, v in if let f = Fidelity(rawValue: v.text) { s.settings.fidelity = f } }),
        Key(path: "migration.rate_limit", kind: .or(.rate, ["policy", "none", "adaptive"]), defaultText: "policy",
            doc: "per-migration send cap (policy: the preset's; adaptive: Xen 100-500 Mbit/s)",
            apply: { s, v in
                switch v {
                case .text("policy"): s.settings.rateLimit = s.settings.policy.defaultRateLimit
                case .none: s.settings.rateLimit = .unlimited
                case .text("adaptive"): s.settings.rateLimit = .adaptive(min: 100e6 / 8, max: 500e6 / 8, step: 50e6 / 8)
                default: s.settings.rateLimit = .fixed(v.number)
                }
            }),
        Key(path: "migration.throttle", kind: .choice(["policy", "none", "auto-converge", "sdps"]), defaultText: "policy",
            doc: "vCPU throttling (policy: the preset's)",
            apply: { s, v in
                switch v.text {
                case "none": s.settings.throttle = .none
                case "auto-converge": s.settings.throttle = .qemuAutoConverge
                case "sdps": s.settings.throttle = .sdps(targetRatio: 0.8)
                default: s.settings.throttle = s.settings.policy.defaultThrottle
                }
            }),
        Key(path: "migration.timeout", kind: .duration, defaultText: "1h", doc: "live migration timeout", apply: mig { $0.timeout = $1.number }),
        Key(path: "migration.timeout_outcome", kind: .choice(TimeoutOutcome.allCases.map(\.rawValue)), defaultText: "force",
            doc: "what the timeout does", apply: mig { $0.timeoutOutcome = TimeoutOutcome(rawValue: $1.text)! }),
        Key(path: "migration.setup_delay", kind: .duration, defaultText: "100ms", doc: "create the paused VM on the target",
            apply: mig { $0.setupDelay = $1.number }),
        Key(path: "migration.resume_delay", kind: .duration, defaultText: "1ms", doc: "resume on the target", apply: mig { $0.resumeDelay = $1.number }),
        Key(path: "migration.arp_delay", kind: .duration, defaultText: "1ms", doc: "ARP/RARP update", apply: mig { $0.arpDelay = $1.number }),
        Key(path: "migration.storage_switch", kind: .choice(StorageSwitch.allCases.map(\.rawValue)), defaultText: "csv",
            doc: "disk ownership switch in live migration", apply: mig { $0.storageSwitch = StorageSwitch(rawValue: $1.text)! }),
        Key(path: "migration.lun_failover", kind: .distribution(unit: "seconds"), defaultText: "uniform(3s, 7s)", doc: "LUN offline/online",
            apply: mig { $0.lunFailover = dist($1) }),
        Key(path: "migration.checkpoint_delay", kind: .duration, defaultText: "2s", doc: "storage: VSS checkpoint",
            apply: mig { $0.checkpointDelay = $1.number }),
        Key(path: "migration.merge_bandwidth", kind: .rate, defaultText: "60MB/s", doc: "storage: AVHD merge rate",
            apply: mig { $0.mergeBandwidth = $1.number }),
        Key(path: "migration.block_size", kind: .size(minimum: 4095), defaultText: "64KiB", doc: "live-storage dirty-block size",
            apply: mig { $0.blockSize = $1.number }),
        Key(path: "migration.block_threshold", kind: .size(minimum: 0), defaultText: "64MiB", doc: "live-storage: stop block rounds at this remainder",
            apply: mig { $0.blockThresholdBytes = $1.number }),
        Key(path: "migration.block_max_rounds", kind: .int(1...1_000_000), defaultText: "30", doc: "live-storage: block round cap",
            apply: mig { $0.blockMaxRounds = $1.int }),
        Key(path: "migration.register_delay", kind: .duration, defaultText: "5s", doc: "offline: register on the target",
            apply: mig { $0.registerDelay = $1.number }),
        Key(path: "migration.detection_delay", kind: .duration, defaultText: "5s", doc: "failover: heartbeat detection",
            apply: mig { $0.detectionDelay = $1.number }),
        Key(path: "migration.boot_time", kind: .distribution(unit: "seconds"), defaultText: "lognormal(3.9, 0.25)", doc: "failover: cold boot",
            apply: mig { $0.bootTime = dist($1) }),
        Key(path: "migration.round_guard", kind: .int(1...100_000_000), defaultText: "10000", doc: "hard cap on pre-copy rounds",
            apply: mig { $0.roundGuard = $1.int }),

        Key(path: "concurrency.per_host", kind: .int(1...1_000_000), defaultText: "2", doc: "migrations per host at once",
            apply: { s, v in s.limits.perHost = v.int }),
        Key(path: "concurrency.per_cluster", kind: .or(.int(1...1_000_000), ["none"]), defaultText: "none", doc: "migrations in the cluster at once",
            apply: { s, v in s.limits.perCluster = v.isKeyword ? .max : v.int }),
        Key(path: "concurrency.per_pair", kind: .or(.int(1...1_000_000), ["none"]), defaultText: "none", doc: "migrations per host pair at once",
            apply: { s, v in s.limits.perPair = v.isKeyword ? .max : v.int }),

        Key(path: "placement.memory_weight", kind: .number(0...1e6), defaultText: "1", doc: "host rating: free memory",
            apply: { s, v in s.placement.memory = v.number }),
        Key(path: "placement.cpu_weight", kind: .number(0...1e6), defaultText: "1", doc: "host rating: free CPU",
            apply: { s, v in s.placement.cpu = v.number }),
        Key(path: "placement.network_weight", kind: .number(0...1e6), defaultText: "1", doc: "host rating: free NIC",
            apply: { s, v in s.placement.network = v.number }),
        Key(path: "placement.disk_weight", kind: .number(0...1e6), defaultText: "0", doc: "host rating: free disk",
            apply: { s, v in s.placement.disk = v.number }),

        Key(path: "balancing.interval", kind: .duration, defaultText: "60s", doc: "PRO check interval", apply: bal { $0.interval = $1.number }),
        Key(path: "balancing.threshold", kind: .number(1e-6...100), defaultText: "0.6", doc: "overload threshold (CPU share)",
            apply: bal { $0.threshold = $1.number }),
        Key(path: "balancing.sustained_checks", kind: .int(1...1_000_000), defaultText: "2", doc: "checks above threshold before acting",
            apply: bal { $0.sustainedChecks = $1.int }),
        Key(path: "balancing.target_ceiling", kind: .number(1e-6...100), defaultText: "0.5", doc: "target load after a move, at most",
            apply: bal { $0.targetCeiling = $1.number }),
        Key(path: "balancing.cooldown", kind: .duration, defaultText: "900s", doc: "a moved VM stays put this long",
            apply: bal { $0.cooldown = $1.number }),

        Key(path: "output.rounds", kind: .bool, defaultText: "true", doc: "keep per-round records (rounds.csv)",
            apply: { s, v in s.recordRounds = v.bool }),
        Key(path: "output.time_series", kind: .or(.duration, ["none"]), defaultText: "none", doc: "links.csv/hosts.csv sampling interval",
            apply: { s, v in s.sampleInterval = v.isKeyword ? nil : v.number }),
    ]

    static func bal(_ f: @escaping @Sendable (inout BalancingSpec, Value) -> Void) -> Apply {
        { s, v in if case .balance(var b) = s.action { f(&b, v); s.action = .balance(b) } }
    }

    static let byPath: [String: Int] = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1.path, $0) })
}
