/// Xen's classic pre-copy stop rule (preset `xen-legacy`).
///
/// Stops after 29 iterations, when fewer than 50 pages are dirty, or when the
/// total sent exceeds 3 x RAM. Source: Xen `tools/libxc/xc_domain_save.c`
/// (`DEF_MAX_ITERS` 29, `DEF_MAX_FACTOR` 3, the 50-page test), as used in
/// Clark et al., NSDI 2005.
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
        return .continueRounds
    }
}
