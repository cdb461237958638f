import MigsimModel

extension Schema {
    /// The schema key a model error on `field` is reported under: the one
    /// table from ``ModelField`` to key names (a test checks every case maps
    /// to a key of ``keys``).
    ///
    /// Fields a scenario file cannot reach (workload phases and on/off
    /// switches, requests, the rolling order, trace intervals) map to the key
    /// whose value produces them, so a message still points at a key the
    /// user can look up.
    static func key(for field: ModelField) -> String {
        switch field {
        case .clusterHosts: return "cluster.hosts"
        case .protocolEfficiency: return "cluster.protocol_efficiency"
        case .roundLatency: return "cluster.round_latency"
        case .coreBandwidth: return "cluster.core_bandwidth"
        case .rackUplink: return "cluster.rack_uplink"
        case .rackSize: return "cluster.rack_size"
        case .sharedStorageRead: return "cluster.shared_storage_read"
        case .sharedStorageWrite: return "cluster.shared_storage_write"

        case .hostMemory: return "cluster.host.memory"
        case .hostNIC: return "cluster.host.nic"
        case .hostNICMigrationShare: return "cluster.host.nic_migration_share"
        case .hostDiskRead: return "cluster.host.disk_read"
        case .hostDiskWrite: return "cluster.host.disk_write"
        case .hostCPUCores: return "cluster.host.cpu_cores"

        case .vmHost: return "vms.host"
        case .vmMemory: return "vms.memory"
        case .vmPageSize: return "vms.page_size"
        case .vmMemoryInUse: return "vms.memory_in_use"
        case .vmDeviceState: return "vms.device_state"
        case .vmDisk, .vmDiskBlocks: return "vms.disks"
        case .vmDiskWriteRate: return "vms.disk_write_rate"
        case .vmCPUDemand: return "vms.cpu_demand"
        case .vmHotSetFraction: return "vms.hot_set_fraction"
        case .vmHotWriteShare: return "vms.hot_write_share"
        case .vmReadShare: return "vms.read_share"
        case .vmHotSetBytes: return "vms.hot_set"
        case .vmPopularity: return "vms.popularity"
        case .vmCycleOffset: return "vms.trace_offset"
        case .vmWorkloadRate: return "vms.dirty_rate"
        // Phases and the on/off switch modulate the dirty rate; files set neither.
        case .vmPhaseDuration, .vmOnOffMeanOn, .vmOnOffMeanOff, .vmOnOffFactor: return "vms.dirty_rate"

        case .migrationTimeout: return "migration.timeout"
        case .migrationSetupDelay: return "migration.setup_delay"
        case .migrationResumeDelay: return "migration.resume_delay"
        case .migrationARPDelay: return "migration.arp_delay"
        case .migrationCheckpointDelay: return "migration.checkpoint_delay"
        case .migrationRegisterDelay: return "migration.register_delay"
        case .migrationDetectionDelay: return "migration.detection_delay"
        case .migrationMergeBandwidth: return "migration.merge_bandwidth"
        case .migrationBlockSize: return "migration.block_size"
        case .migrationRoundGuard: return "migration.round_guard"
        case .migrationDirtyLoggingOverhead: return "migration.dirty_logging_overhead"
        case .migrationZeroPages: return "migration.zero_pages"
        case .migrationCompression: return "migration.compression"
        case .migrationChannels: return "migration.channels"
        case .migrationChannelCeiling: return "migration.channel_ceiling"
        case .energyHostModel: return "energy.host_model"
        case .energyMigrationCPU: return "energy.migration_cpu"
        case .slaPDMShare: return "sla.pdm_share"
        case .slaAvailability: return "sla.availability"
        case .slaPeriod: return "sla.period"
        case .migrationRateLimit: return "migration.rate_limit"

        case .concurrencyPerHost: return "concurrency.per_host"
        case .concurrencyPerCluster: return "concurrency.per_cluster"
        case .concurrencyPerPair: return "concurrency.per_pair"
        case .placementMemoryWeight: return "placement.memory_weight"
        case .placementCPUWeight: return "placement.cpu_weight"
        case .placementNetworkWeight: return "placement.network_weight"
        case .placementDiskWeight: return "placement.disk_weight"

        case .balancingInterval: return "balancing.interval"
        case .balancingThreshold: return "balancing.threshold"
        case .balancingSustainedChecks: return "balancing.sustained_checks"
        case .balancingTargetCeiling: return "balancing.target_ceiling"
        case .balancingCooldown: return "balancing.cooldown"

        case .scenarioHost: return "scenario.host"
        case .scenarioKinds: return "scenario.kinds"
        case .scenarioMaintenance: return "scenario.maintenance"
        // A file's rolling maintenance drains every host of the cluster.
        case .rollingHosts: return "cluster.hosts"
        case .scenarioHosts: return "scenario.hosts"
        case .sampleInterval: return "output.time_series"
        // A file's requests are made by its action (which VMs, when; targets by placement).
        case .requestVM, .requestTarget, .requestTime: return "scenario.action"
        case .traceIntervals, .traceTime, .traceRate, .traceWindow: return "vms.dirty_trace"
        case .curvePoints, .curveInterval, .curveDistinct: return "vms.working_set_curve"
        }
    }
}
