/// Xen's current pre-copy stop rule (preset `xen`).
///
/// Stops after 5 rounds or when fewer than 50 pages are dirty. Source: Xen
/// `tools/libs/guest/xg_sr_save.c`, `simple_precopy_policy`
/// (`SPP_MAX_ITERATIONS` 5, `SPP_TARGET_DIRTY_COUNT` 50).
public struct XenPolicy: StopPolicy {
    public var name: String { "xen" }
    public var maxIterations = 5
    public var targetDirtyCount = 50.0

    public init() {}

    public func decide(_ o: RoundObservation) -> StopDecision {
        if o.dirtyPages <= 0 { return .stop(.noDirtyPages) }
        if o.dirtyPages < targetDirtyCount { return .stop(.fewDirtyPages) }
        if o.round >= maxIterations { return .stop(.maxRounds) }
        return .continueRounds
    }
}
