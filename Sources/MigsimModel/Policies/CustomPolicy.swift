/// A user-composed stop rule (preset `custom`): any combination of a round
/// cap, a byte threshold, a downtime target and a total-data factor.
///
/// Each `nil` part is off. Pre-copy stops at the first part that fires, tested
/// in the order: no dirty pages, byte threshold, downtime target, round cap,
/// total-data factor.
public struct CustomPolicy: StopPolicy {
    public var name: String { "custom" }
    public var maxRounds: Int?
    public var thresholdBytes: Double?
    /// Seconds: stop when `pending <= bandwidth * downtimeTarget`.
    public var downtimeTarget: Double?
    /// Stop when total sent exceeds this multiple of memory.
    public var totalDataFactor: Double?

    public init(maxRounds: Int? = nil, thresholdBytes: Double? = nil, downtimeTarget: Double? = nil, totalDataFactor: Double? = nil) {
        self.maxRounds = maxRounds
        self.thresholdBytes = thresholdBytes
        self.downtimeTarget = downtimeTarget
        self.totalDataFactor = totalDataFactor
    }

    public func decide(_ o: RoundObservation) -> StopDecision {
        if o.dirtyPages <= 0 { return .stop(.noDirtyPages) }
        if let t = thresholdBytes, o.pendingBytes <= t { return .stop(.remainderBelowThreshold) }
        if let d = downtimeTarget, o.pendingBytes <= o.bandwidth * d { return .stop(.downtimeTarget) }
        if let n = maxRounds, o.round >= n { return .stop(.maxRounds) }
        if let f = totalDataFactor, o.totalSentBytes > f * o.memoryBytes { return .stop(.totalDataLimit) }
        return .continueRounds
    }
}
