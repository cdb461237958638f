/// Xen's classic pre-copy stop rule (presets `xen-legacy` and `xen-2005`).
///
/// After each round (`iter`), stop when `iter >= max_iters` (29), when the
/// round just sent covered fewer than 50 pages (`sent_this_iter +
/// skip_this_iter < 50`: pages sent plus pages skipped because they were
/// dirtied again, not the pages dirtied during the round), or when the total
/// sent exceeds 3 x the VM's pages. Source: Xen `tools/libxc/xc_domain_save.c`
/// (`xc_domain_save`, RELEASE-4.4.0: `DEF_MAX_ITERS` 29, `DEF_MAX_FACTOR` 3,
/// the test quoted above; the same test in RELEASE-3.0.0 `xc_linux_save.c`).
///
/// `adaptive` is the build of Clark et al. (NSDI 2005), compiled with
/// `ADAPTIVE_SAVE`: a fourth rule stops when a round at the top of the
/// adaptive rate limit (`RATE_IS_MAX()`) sent more than the round before it.
/// Released Xen never defined `ADAPTIVE_SAVE` (RELEASE-3.0.0 to 4.1.0; commit
/// e611ad5b31, 2011: "was never enabled by default"), so there
/// `RATE_IS_MAX()` is `(0)` and the rule is dead: `xen-legacy` models the
/// released tool, `xen-2005` the paper's build.
public struct XenLegacyPolicy: StopPolicy {
    /// The preset name; a static string, so the policy holds no counted
    /// reference and copying it (once per round) costs no retain.
    public var name: String { staticName.description }
    private let staticName: StaticString
    public var maxIterations = 29
    public var minRoundPages = 50.0
    public var maxFactor = 3.0
    /// Whether the `ADAPTIVE_SAVE` rule is compiled in.
    public var adaptive: Bool

    public init(name: StaticString = "xen-legacy", adaptive: Bool = false) {
        staticName = name
        self.adaptive = adaptive
    }

    /// Xen as released (4.x `xc_domain_save.c`, no `ADAPTIVE_SAVE`).
    public static let released = XenLegacyPolicy()
    /// The build measured by Clark et al., NSDI 2005 (`ADAPTIVE_SAVE` on).
    public static let paper2005 = XenLegacyPolicy(name: "xen-2005", adaptive: true)

    public func decide(_ o: RoundObservation) -> StopDecision {
        if adaptive && o.rateAtMaximum && o.round > 1 && o.roundBytes > o.previousRoundBytes { return .stop(.sentGrewAtMaxRate) }
        if o.round >= maxIterations { return .stop(.maxRounds) }
        if o.sentPages + o.skippedPages < minRoundPages { return .stop(.fewDirtyPages) }
        if o.totalSentBytes > maxFactor * o.memoryBytes { return .stop(.totalDataLimit) }
        return .continueRounds
    }
}
