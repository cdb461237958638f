/// What a stop policy sees at the end of each pre-copy round.
public struct RoundObservation: Sendable {
    /// 1-based number of the round that just ended (round 1 sent all memory).
    public var round: Int
    /// VM memory in bytes.
    public var memoryBytes: Double
    public var pageSize: Double
    /// Bytes sent in this round.
    public var roundBytes: Double
    /// Duration of this round in seconds, latency included.
    public var roundDuration: Double
    /// Pages dirtied during this round: what the next round (or stop-and-copy) sends.
    public var dirtyPages: Double
    /// Bytes sent by all rounds so far.
    public var totalSentBytes: Double
    /// Seconds since the migration started.
    public var elapsed: Double
    /// Bytes/s achieved in round 1.
    public var firstRoundBandwidth: Double
    /// Bytes sent in the round before this one (0 after round 1).
    public var previousRoundBytes: Double
    /// Whether this round ran at the top of an adaptive rate limit
    /// (Xen's `RATE_IS_MAX()`); false for fixed caps and no limit.
    public var rateAtMaximum: Bool
    /// Pages this round sent (zero pages count once each).
    public var sentPages: Double
    /// Pages this round skipped because they were written again before it reached them.
    public var skippedPages: Double
    /// Bytes this round put on the wire (after compression); ``roundBytes`` without it.
    public var wireBytes: Double

    public init(round: Int, memoryBytes: Double, pageSize: Double, roundBytes: Double, roundDuration: Double,
                dirtyPages: Double, totalSentBytes: Double, elapsed: Double, firstRoundBandwidth: Double,
                previousRoundBytes: Double = 0, rateAtMaximum: Bool = false, sentPages: Double? = nil,
                skippedPages: Double = 0, wireBytes: Double? = nil) {
        self.wireBytes = wireBytes ?? roundBytes
        self.round = round
        self.memoryBytes = memoryBytes
        self.pageSize = pageSize
        self.roundBytes = roundBytes
        self.roundDuration = roundDuration
        self.dirtyPages = dirtyPages
        self.totalSentBytes = totalSentBytes
        self.elapsed = elapsed
        self.firstRoundBandwidth = firstRoundBandwidth
        self.previousRoundBytes = previousRoundBytes
        self.rateAtMaximum = rateAtMaximum
        self.sentPages = sentPages ?? (pageSize > 0 ? roundBytes / pageSize : 0)
        self.skippedPages = skippedPages
    }

    /// Bytes still to send: the dirty pages.
    public var pendingBytes: Double { dirtyPages * pageSize }
    /// Bytes/s achieved in this round (0 for an empty round).
    public var bandwidth: Double { roundDuration > 0 ? roundBytes / roundDuration : 0 }
    /// Wire bytes/s of this round: what QEMU measures (`migration_update_counters`
    /// counts the bytes written to the stream, compressed or not).
    public var wireBandwidth: Double { roundDuration > 0 ? wireBytes / roundDuration : 0 }
    /// Bytes dirtied per second during this round.
    public var dirtyRate: Double { roundDuration > 0 ? pendingBytes / roundDuration : 0 }
}

/// Why pre-copy ended (reported per migration as `stop_reason`).
public enum StopReason: String, Sendable, CaseIterable {
    /// No page was dirtied during the last round.
    case noDirtyPages = "no-dirty-pages"
    /// The remaining state is at most the policy's byte threshold.
    case remainderBelowThreshold = "remainder-below-threshold"
    /// Fewer dirty pages than the policy's page minimum.
    case fewDirtyPages = "few-dirty-pages"
    /// The remainder can be sent within the downtime target at the measured bandwidth.
    case downtimeTarget = "downtime-target"
    /// The round cap was reached.
    case maxRounds = "max-rounds"
    /// Total bytes sent exceeded the policy's multiple of memory.
    case totalDataLimit = "total-data-limit"
    /// The migration timeout expired; stop-and-copy was forced.
    case timeoutForced = "timeout-forced"
    /// The migration timeout expired; the migration was aborted (VM stays on the source).
    case timeoutAborted = "timeout-aborted"
    /// The migration timeout expired; switched to post-copy.
    case timeoutPostCopy = "timeout-postcopy"
    /// A round at the top of the adaptive rate limit sent more than the one
    /// before it: dirtying outpaces the link (Xen `xc_domain_save.c` built with `ADAPTIVE_SAVE`).
    case sentGrewAtMaxRate = "sent-grew-at-max-rate"
    /// The engine's hard round guard (``MigrationSettings/roundGuard``) stopped a policy with no cap.
    case roundGuard = "round-guard"

    /// Whether this reason means the working set fitted: the remainder rule,
    /// not a cap or a timeout, ended pre-copy.
    public var converged: Bool {
        switch self {
        case .noDirtyPages, .remainderBelowThreshold, .fewDirtyPages, .downtimeTarget: return true
        default: return false
        }
    }
}

/// The decision after a round.
public enum StopDecision: Equatable, Sendable {
    case continueRounds
    case stop(StopReason)
}

/// A rule that ends pre-copy, one type per named preset (DESIGN.md section 4).
///
/// `decide` is called once per round, O(1). Policies are value types with no
/// mutable state; the adaptive parts (throttling, rate limits) live in
/// ``ThrottleMode`` and ``RateLimit``.
public protocol StopPolicy: Sendable {
    /// The preset name reported in `migrations.csv`.
    var name: String { get }
    func decide(_ o: RoundObservation) -> StopDecision
}
