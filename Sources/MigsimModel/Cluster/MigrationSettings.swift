import MigsimRandom

/// The migration kinds, each a first-class strategy with its own phases (DESIGN.md section 1).
public enum MigrationKind: String, Sendable, CaseIterable {
    case live
    case postCopy = "post-copy"
    case quick
    case storage
    case liveStorage = "live-storage"
    case offline
    case failoverRestart = "failover-restart"
}

/// What happens when a live migration's timeout expires.
public enum TimeoutOutcome: String, Sendable, CaseIterable {
    /// Cancel; the VM keeps running on the source.
    case abort
    /// Pause and send what remains (stop-and-copy).
    case force
    /// Resume on the target at once and pull the remaining pages (post-copy).
    case postCopy = "post-copy"
}

/// How disk ownership moves in a live migration's switch-over.
public enum StorageSwitch: String, Sendable, CaseIterable {
    /// Cluster Shared Volumes: no ownership change, no delay.
    case csv
    /// A dedicated LUN per VM: the disk resource fails over (``MigrationSettings/lunFailover``).
    case lun
}

/// Parameters of every migration strategy; defaults and their sources are
/// listed in README.md ("Model defaults").
public struct MigrationSettings: Sendable {
    // Live (pre-copy)
    public var policy: PolicyPreset = .hyperV(.hyperV2008R2)
    public var rateLimit: RateLimit = .unlimited
    /// Which real-system mechanisms live migration applies (scenario files: the preset's own unless set).
    public var mechanisms: Mechanisms = .none
    public var throttle: ThrottleMode = .none
    public var fidelity: Fidelity = .statistical
    /// Seconds from start after which ``timeoutOutcome`` applies (checked at round ends).
    public var timeout: Double = 3600
    public var timeoutOutcome: TimeoutOutcome = .force
    /// Copying the configuration and creating the paused VM on the target, seconds.
    public var setupDelay: Double = 0.1
    /// Resuming the VM on the target, seconds.
    public var resumeDelay: Double = 0.001
    /// ARP/RARP update after resume, seconds. With resume, Microsoft's ~2 ms.
    public var arpDelay: Double = 0.001
    public var storageSwitch: StorageSwitch = .csv
    /// Hard cap on rounds for policies without one (reported as `round-guard`).
    public var roundGuard: Int = 10_000
    /// Share of the guest's throughput lost while its memory pages are
    /// tracked for pre-copy (write-protection faults, or Intel PML's log-full
    /// exits), in [0, 1); counted in each memory pre-copy round of live and
    /// live-storage migration as `dirty_logging_s` and in `degradation_s`.
    /// Default 0: no published figure of this overhead alone was found (the
    /// slowdowns measured during migration, such as Clark et al., NSDI 2005,
    /// section 6, mix it with the copy's network and CPU load), so any other
    /// value is the user's assumption.
    public var dirtyLoggingOverhead: Double = 0

    // Quick
    /// LUN offline/online when the disk resource fails over, seconds.
    public var lunFailover: Distribution = try! .uniform(low: 3, high: 7)

    // Storage (Quick Storage Migration)
    /// Taking the VSS checkpoint (AVHD creation), seconds.
    public var checkpointDelay: Double = 2
    /// Merge cost: seconds per byte of AVHD is 1 / merge bandwidth on the target disk.
    public var mergeBandwidth: Double = 60e6

    // Live storage
    /// Dirty-block tracking granularity, bytes.
    public var blockSize: Double = 64 * 1024
    /// Stop iterating on blocks when at most this many bytes remain dirty.
    public var blockThresholdBytes: Double = 64 * Units.MiB
    public var blockMaxRounds: Int = 30

    // Offline
    /// Registering the VM on the target, seconds.
    public var registerDelay: Double = 5

    // Failover restart
    /// Heartbeat-based failure detection, seconds (5 missed 1 s heartbeats).
    public var detectionDelay: Double = 5
    /// Cold boot time of the VM on the surviving node, seconds.
    public var bootTime: Distribution = try! .lognormal(mu: 3.9, sigma: 0.25)

    public init() {}

    public func validate() throws {
        try require(timeout.isFinite && timeout > 0, .migrationTimeout, timeout, "seconds > 0")
        for (field, v) in [(ModelField.migrationSetupDelay, setupDelay), (.migrationResumeDelay, resumeDelay), (.migrationARPDelay, arpDelay),
                           (.migrationCheckpointDelay, checkpointDelay), (.migrationRegisterDelay, registerDelay),
                           (.migrationDetectionDelay, detectionDelay)] {
            try require(v.isFinite && v >= 0, field, v, "seconds >= 0")
        }
        try require(mergeBandwidth.isFinite && mergeBandwidth > 0, .migrationMergeBandwidth, mergeBandwidth, "a rate > 0")
        try require(blockSize.isFinite && blockSize >= 4096, .migrationBlockSize, blockSize, "bytes >= 4096")
        try mechanisms.validate()
        try require(roundGuard > 0, .migrationRoundGuard, roundGuard, "an integer > 0")
        try require(dirtyLoggingOverhead.isFinite && dirtyLoggingOverhead >= 0 && dirtyLoggingOverhead < 1, .migrationDirtyLoggingOverhead,
                    dirtyLoggingOverhead, "a share in [0, 1)")
        switch rateLimit {
        case .unlimited: break
        case .fixed(let c): try require(c.isFinite && c > 0, .migrationRateLimit, c, "a rate > 0")
        case let .adaptive(lo, hi, st):
            try require(lo.isFinite && lo > 0 && hi >= lo && hi.isFinite && st >= 0, .migrationRateLimit,
                        "adaptive(\(lo), \(hi), \(st))", "0 < min <= max, step >= 0")
        }
    }
}
