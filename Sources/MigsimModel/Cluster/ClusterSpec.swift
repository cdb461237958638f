import MigsimRandom

/// A physical host (DESIGN.md sections 3 and 5).
public struct HostSpec: Sendable {
    public var name: String
    /// Memory available to VMs, bytes.
    public var memoryBytes: Double
    public var cpuCores: Int
    public var cpuVendor: String
    public var cpuFamily: Int
    /// Virtual networks (vSwitches) defined on the host.
    public var virtualNetworks: [String]
    /// Migration NIC line rate per direction, bytes/s (before protocol efficiency).
    public var nicBandwidth: Double
    /// Share of the NIC available to migrations: 1 for a dedicated migration
    /// NIC (what the seeds require), less when it also carries VM traffic.
    public var nicMigrationShare: Double = 1
    /// Local disk sequential read and write bandwidth, bytes/s.
    public var diskRead: Double
    public var diskWrite: Double

    public init(name: String, memoryBytes: Double = 256 * Units.GiB, cpuCores: Int = 32, cpuVendor: String = "intel",
                cpuFamily: Int = 6, virtualNetworks: [String] = ["default"], nicBandwidth: Double = 10 * Units.Gbps,
                diskRead: Double = 200 * 1e6, diskWrite: Double = 150 * 1e6) {
        self.name = name
        self.memoryBytes = memoryBytes
        self.cpuCores = cpuCores
        self.cpuVendor = cpuVendor
        self.cpuFamily = cpuFamily
        self.virtualNetworks = virtualNetworks
        self.nicBandwidth = nicBandwidth
        self.diskRead = diskRead
        self.diskWrite = diskWrite
    }
}

/// Shared storage of a failover cluster (SAN LUN or CSV).
///
/// Defaults describe a 2008-era 4 Gbit/s Fibre Channel array serving the
/// sequential save-state stream of one host: 150 MB/s write and 200 MB/s read.
/// These (with a 5 s LUN failover) put a 2 GB quick migration at about 30 s,
/// the figure seed 002 quotes.
public struct SharedStorageSpec: Sendable {
    public var readBandwidth: Double
    public var writeBandwidth: Double
    public init(readBandwidth: Double = 200e6, writeBandwidth: Double = 150e6) {
        self.readBandwidth = readBandwidth
        self.writeBandwidth = writeBandwidth
    }
}

/// The cluster: hosts, network and storage.
public struct ClusterSpec: Sendable {
    public var hosts: [HostSpec]
    /// Shared storage; required by quick migration.
    public var sharedStorage: SharedStorageSpec?
    /// Optional core uplink every inter-host transfer crosses, bytes/s.
    public var coreBandwidth: Double?
    /// Hosts per rack (consecutive indices); with ``rackUplinkBandwidth`` set,
    /// a transfer between racks crosses the source rack's uplink out and the
    /// target rack's uplink in (top-of-rack switches).
    public var rackSize: Int = 0
    /// Top-of-rack uplink rate per direction, bytes/s; `nil` = no rack layer.
    public var rackUplinkBandwidth: Double?
    /// Share of line rate that carries payload (TCP/IP framing); 0.94 default.
    public var protocolEfficiency: Double
    /// Latency added to every transfer round, seconds.
    public var roundLatency: Double

    public init(hosts: [HostSpec], sharedStorage: SharedStorageSpec? = SharedStorageSpec(), coreBandwidth: Double? = nil,
                protocolEfficiency: Double = 0.94, roundLatency: Double = 0) {
        self.hosts = hosts
        self.sharedStorage = sharedStorage
        self.coreBandwidth = coreBandwidth
        self.protocolEfficiency = protocolEfficiency
        self.roundLatency = roundLatency
    }

    public func validate() throws {
        try require(!hosts.isEmpty, .clusterHosts, "[]", "at least one host")
        try require(protocolEfficiency.isFinite && protocolEfficiency > 0 && protocolEfficiency <= 1,
                    .protocolEfficiency, protocolEfficiency, "a number in (0, 1]")
        try require(roundLatency.isFinite && roundLatency >= 0, .roundLatency, roundLatency, "seconds >= 0")
        if let c = coreBandwidth { try require(c.isFinite && c > 0, .coreBandwidth, c, "a rate > 0") }
        if let r = rackUplinkBandwidth {
            try require(r.isFinite && r > 0, .rackUplink, r, "a rate > 0")
            try require(rackSize >= 1, .rackSize, rackSize, "an integer >= 1 when cluster.rack_uplink is set")
        }
        if let s = sharedStorage {
            try require(s.readBandwidth.isFinite && s.readBandwidth > 0, .sharedStorageRead, s.readBandwidth, "a rate > 0")
            try require(s.writeBandwidth.isFinite && s.writeBandwidth > 0, .sharedStorageWrite, s.writeBandwidth, "a rate > 0")
        }
        for (i, h) in hosts.enumerated() {
            try require(h.memoryBytes.isFinite && h.memoryBytes > 0, .hostMemory, at: i, h.memoryBytes, "bytes > 0")
            try require(h.nicBandwidth.isFinite && h.nicBandwidth > 0, .hostNIC, at: i, h.nicBandwidth, "a rate > 0")
            try require(h.nicMigrationShare.isFinite && h.nicMigrationShare > 0 && h.nicMigrationShare <= 1, .hostNICMigrationShare, at: i,
                        h.nicMigrationShare, "a number in (0, 1]")
            try require(h.diskRead.isFinite && h.diskRead > 0, .hostDiskRead, at: i, h.diskRead, "a rate > 0")
            try require(h.diskWrite.isFinite && h.diskWrite > 0, .hostDiskWrite, at: i, h.diskWrite, "a rate > 0")
            try require(h.cpuCores > 0, .hostCPUCores, at: i, h.cpuCores, "an integer > 0")
        }
    }
}

/// A virtual machine.
public struct VMSpec: Sendable {
    /// Index of the host the VM starts on.
    public var host: Int
    public var memoryBytes: Double
    /// Share of memory in use (what quick migration saves), in (0, 1].
    public var memoryInUse: Double
    /// Page size in bytes; a power of two.
    public var pageSize: Int
    public var workload: WorkloadSpec
    /// Virtual disk sizes, bytes.
    public var disks: [Double]
    /// Disk write rate in bytes/s, drawn once per VM (AVHD growth, dirty blocks).
    public var diskWriteRate: Distribution
    /// Device (CPU, I/O) state sent in stop-and-copy, bytes.
    public var deviceStateBytes: Double
    public var virtualNetwork: String
    public var cpuVendor: String
    public var cpuFamily: Int
    /// Processor compatibility mode: allows a different family of the same vendor.
    public var processorCompatibility: Bool
    /// CPU demand in cores, redrawn every ``ClusterSpec`` balancing period from
    /// the VM's own stream (PRO balancing reads it).
    public var cpuDemand: Distribution = try! .constant(1)

    public init(host: Int, memoryBytes: Double, memoryInUse: Double = 1, pageSize: Int = 4096, workload: WorkloadSpec = .idle,
                disks: [Double] = VMSpec.defaultDisks, diskWriteRate: Distribution = try! .constant(2e6),
                deviceStateBytes: Double = 1 * Units.MiB, virtualNetwork: String = "default", cpuVendor: String = "intel",
                cpuFamily: Int = 6, processorCompatibility: Bool = false) {
        self.host = host
        self.memoryBytes = memoryBytes
        self.memoryInUse = memoryInUse
        self.pageSize = pageSize
        self.workload = workload
        self.disks = disks
        self.diskWriteRate = diskWriteRate
        self.deviceStateBytes = deviceStateBytes
        self.virtualNetwork = virtualNetwork
        self.cpuVendor = cpuVendor
        self.cpuFamily = cpuFamily
        self.processorCompatibility = processorCompatibility
    }

    /// One 40 GiB disk: migsim's assumption for a VM with no disks given.
    /// One shared array, not one per VM.
    public static let defaultDisks: [Double] = [40 * Units.GiB]

    public var pages: Int { Int((memoryBytes / Double(pageSize)).rounded(.up)) }
    public var diskBytes: Double { disks.reduce(0, +) }

    public func validate(index: Int, hosts: Int) throws {
        try require(host >= 0 && host < hosts, .vmHost, at: index, host, "a host index in 0..<\(hosts)")
        try require(memoryBytes.isFinite && memoryBytes > 0, .vmMemory, at: index, memoryBytes, "bytes > 0")
        try require(pageSize > 0 && pageSize & (pageSize - 1) == 0, .vmPageSize, at: index, pageSize, "a power of two, e.g. 4096")
        try require(Double(pageSize) <= memoryBytes, .vmPageSize, at: index, pageSize, "at most the VM memory")
        try require(memoryBytes / Double(pageSize) < 4e9, .vmMemory, at: index, memoryBytes, "fewer than 4e9 pages")
        try require(memoryInUse.isFinite && memoryInUse > 0 && memoryInUse <= 1, .vmMemoryInUse, at: index, memoryInUse, "a number in (0, 1]")
        try require(deviceStateBytes.isFinite && deviceStateBytes >= 0, .vmDeviceState, at: index, deviceStateBytes, "bytes >= 0")
        for (i, d) in disks.enumerated() {
            try require(d.isFinite && d > 0, .vmDisk, at: index, item: i, d, "bytes > 0")
        }
        if let m = diskWriteRate.mean { try require(m >= 0, .vmDiskWriteRate, at: index, diskWriteRate, "a distribution of bytes/s with mean >= 0") }
        if let m = cpuDemand.mean { try require(m >= 0, .vmCPUDemand, at: index, cpuDemand, "a distribution of cores with mean >= 0") }
        try workload.validate(vm: index)
    }
}
