/// Xen's classic pre-copy stop rule (preset `xen-legacy`).
///
/// Stops after 29 iterations, when fewer than 50 pages are dirty, when the
/// total sent exceeds 3 x RAM, or when a round run at the top of the adaptive
/// rate limit sent more than the round before it. Source: Xen
/// `tools/libxc/xc_domain_save.c` (`DEF_MAX_ITERS` 29, `DEF_MAX_FACTOR` 3, the
/// 50-page test, `sent_this_iter > sent_last_iter && RATE_IS_MAX()`), as used
/// in Clark et al., NSDI 2005. The last rule needs `migration.rate_limit:
/// adaptive`; with a fixed cap or none the rate is never "at maximum".
public struct XenLegacyPolicy: StopPolicy {
    public var name = "xen-legacy"
    public var maxIterations = 29
    public var minDirtyPages = 50.0
    public var maxFactor = 3.0

    public init() {}

    public func decide(_ o: RoundObservation) -> StopDecision {
        if o.dirtyPages <= 0 { return .stop(.noDirtyPages) }
        if o.dirtyPages < minDirtyPages { return .stop(.fewDirtyPages) }
        if o.round >= maxIterations { return .stop(.maxRounds) }
        if o.totalSentBytes > maxFactor * o.memoryBytes { return .stop(.totalDataLimit) }
        if o.rateAtMaximum && o.round > 1 && o.roundBytes > o.previousRoundBytes { return .stop(.sentGrewAtMaxRate) }
        return .continueRounds
    }
}
