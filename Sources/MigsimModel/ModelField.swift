/// Every model parameter a ``ModelError`` can name.
///
/// The raw value is the field's readable path, with `#` where the entity
/// index goes: the host for `cluster.hosts[#]`, the VM for `vms[#]`, the
/// interval for `dirty_trace[#]`; a second `#` is the item within the VM (a
/// disk or a workload phase). MigsimConfig maps every case to its schema key
/// in one table, which a test holds to `ModelField.allCases`.
public enum ModelField: String, CaseIterable, Sendable {
    // Cluster
    case clusterHosts = "cluster.hosts"
    case protocolEfficiency = "cluster.protocol_efficiency"
    case roundLatency = "cluster.round_latency"
    case coreBandwidth = "cluster.core_bandwidth"
    case rackUplink = "cluster.rack_uplink"
    case rackSize = "cluster.rack_size"
    case sharedStorageRead = "cluster.shared_storage.read"
    case sharedStorageWrite = "cluster.shared_storage.write"

    // Each host (index: the host)
    case hostMemory = "cluster.hosts[#].memory"
    case hostNIC = "cluster.hosts[#].nic"
    case hostNICMigrationShare = "cluster.hosts[#].nic_migration_share"
    case hostDiskRead = "cluster.hosts[#].disk_read"
    case hostDiskWrite = "cluster.hosts[#].disk_write"
    case hostCPUCores = "cluster.hosts[#].cpu_cores"

    // Each VM (index: the VM; item: the disk or phase)
    case vmHost = "vms[#].host"
    case vmMemory = "vms[#].memory"
    case vmPageSize = "vms[#].page_size"
    case vmMemoryInUse = "vms[#].memory_in_use"
    case vmDeviceState = "vms[#].device_state"
    case vmDisk = "vms[#].disks[#]"
    /// All of a VM's disks together, in blocks of ``MigrationSettings/blockSize``.
    case vmDiskBlocks = "vms[#].disks"
    case vmDiskWriteRate = "vms[#].disk_write_rate"
    case vmCPUDemand = "vms[#].cpu_demand"
    case vmHotSetFraction = "vms[#].workload.hot_set_fraction"
    case vmHotWriteShare = "vms[#].workload.hot_write_share"
    case vmReadShare = "vms[#].workload.read_share"
    case vmHotSetBytes = "vms[#].workload.hot_set_bytes"
    case vmPopularity = "vms[#].workload.popularity"
    case vmCycleOffset = "vms[#].workload.cycle_offset"
    case vmWorkloadRate = "vms[#].workload.rate"
    case vmPhaseDuration = "vms[#].workload.phases[#].duration"
    case vmOnOffMeanOn = "vms[#].workload.on_off.mean_on"
    case vmOnOffMeanOff = "vms[#].workload.on_off.mean_off"
    case vmOnOffFactor = "vms[#].workload.on_off.off_factor"

    // Migration settings
    case migrationTimeout = "migration.timeout"
    case migrationSetupDelay = "migration.setup_delay"
    case migrationResumeDelay = "migration.resume_delay"
    case migrationARPDelay = "migration.arp_delay"
    case migrationCheckpointDelay = "migration.checkpoint_delay"
    case migrationRegisterDelay = "migration.register_delay"
    case migrationDetectionDelay = "migration.detection_delay"
    case migrationMergeBandwidth = "migration.merge_bandwidth"
    case migrationBlockSize = "migration.block_size"
    case migrationRoundGuard = "migration.round_guard"
    case migrationDirtyLoggingOverhead = "migration.dirty_logging_overhead"
    case migrationZeroPages = "migration.zero_pages"
    case migrationCompression = "migration.compression"
    case migrationChannels = "migration.channels"
    case migrationChannelCeiling = "migration.channel_ceiling"
    case energyHostModel = "energy.host_model"
    case energyMigrationCPU = "energy.migration_cpu"
    case slaPDMShare = "sla.pdm_share"
    case slaAvailability = "sla.availability"
    case slaPeriod = "sla.period"
    case migrationRateLimit = "migration.rate_limit"

    // Concurrency limits and placement weights
    case concurrencyPerHost = "concurrency.per_host"
    case concurrencyPerCluster = "concurrency.per_cluster"
    case concurrencyPerPair = "concurrency.per_pair"
    case placementMemoryWeight = "placement.memory_weight"
    case placementCPUWeight = "placement.cpu_weight"
    case placementNetworkWeight = "placement.network_weight"
    case placementDiskWeight = "placement.disk_weight"

    // PRO balancing
    case balancingInterval = "balancing.interval"
    case balancingThreshold = "balancing.threshold"
    case balancingSustainedChecks = "balancing.sustained_checks"
    case balancingTargetCeiling = "balancing.target_ceiling"
    case balancingCooldown = "balancing.cooldown"

    // The scenario's action and output
    case scenarioHost = "scenario.host"
    case scenarioKinds = "scenario.kinds"
    case scenarioMaintenance = "scenario.maintenance"
    /// The hosts a rolling maintenance drains, in order.
    case rollingHosts = "rolling.hosts"
    case scenarioHosts = "scenario.hosts"
    case sampleInterval = "output.sample_interval"

    // Requests submitted to a simulation
    case requestVM = "request.vm"
    case requestTarget = "request.target"
    case requestTime = "request.at"

    // A dirty-rate trace (index: the interval)
    case traceIntervals = "dirty_trace.intervals"
    case traceTime = "dirty_trace[#].time_s"
    case traceRate = "dirty_trace[#].rate"
    case traceWindow = "dirty_trace[#].window_s"

    // A working-set curve (index: the point)
    case curvePoints = "working_set_curve.points"
    case curveInterval = "working_set_curve[#].interval_s"
    case curveDistinct = "working_set_curve[#].distinct_pages"

    /// The readable path with `index` and `item` filled in; a missing one
    /// drops its brackets (`vms.workload.rate`).
    public func path(index: Int? = nil, item: Int? = nil) -> String {
        var out = ""
        var fills = [index, item].makeIterator()
        var rest = Substring(rawValue)
        while let r = rest.range(of: "[#]") {
            out += rest[..<r.lowerBound]
            if let n = fills.next() ?? nil { out += "[\(n)]" }
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}
