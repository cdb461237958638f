/// Hyper-V's pre-copy stop rule (presets `hyperv-2008r2` and `hyperv-2012r2`).
///
/// Stops when no dirty pages remain, when the remaining state is tiny, or
/// after a number of passes. Source: seed 000 ("until all pages are clean, the
/// remainder is small, or 10 iterations", Windows Server 2008 R2); Savill,
/// *Mastering Hyper-V 2012 R2* (at most 5 passes). The "tiny" threshold is not
/// published; 256 KiB is migsim's default.
public struct HyperVPolicy: StopPolicy {
    /// The preset name; a static string, so the policy holds no counted
    /// reference and copying it (once per round) costs no retain.
    public var name: String { staticName.description }
    private let staticName: StaticString
    /// Maximum number of memory passes (rounds), pass 1 included.
    public var maxPasses: Int
    /// Remaining state at or below this many bytes is sent in stop-and-copy.
    public var tinyBytes: Double

    public init(name: StaticString, maxPasses: Int, tinyBytes: Double = 256 * 1024) {
        staticName = name
        self.maxPasses = maxPasses
        self.tinyBytes = tinyBytes
    }

    /// Windows Server 2008 R2: 10 passes.
    public static let hyperV2008R2 = HyperVPolicy(name: "hyperv-2008r2", maxPasses: 10)
    /// Windows Server 2012 R2: 5 passes.
    public static let hyperV2012R2 = HyperVPolicy(name: "hyperv-2012r2", maxPasses: 5)

    public func decide(_ o: RoundObservation) -> StopDecision {
        if o.dirtyPages <= 0 { return .stop(.noDirtyPages) }
        if o.pendingBytes <= tinyBytes { return .stop(.remainderBelowThreshold) }
        if o.round >= maxPasses { return .stop(.maxRounds) }
        return .continueRounds
    }
}
