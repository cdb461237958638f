/// VMware vMotion's pre-copy stop rule (preset `vmware`).
///
/// Stops when the remainder fits the switchover goal of 500 ms at the
/// bandwidth measured over the last round. When dirtying outpaces sending the
/// preset turns on SDPS (``ThrottleMode/sdps(targetRatio:)``), which slows the vCPUs until
/// pre-copy converges. Source: Broadcom KB 436882 (vMotion switchover time
/// goal, Stun During Page Send).
public struct VMwarePolicy: StopPolicy {
    public var name: String { "vmware" }
    public var switchoverGoal: Double

    public init(switchoverGoal: Double = 0.5) { self.switchoverGoal = switchoverGoal }

    public func decide(_ o: RoundObservation) -> StopDecision {
        if o.dirtyPages <= 0 { return .stop(.noDirtyPages) }
        if o.pendingBytes <= o.bandwidth * switchoverGoal { return .stop(.downtimeTarget) }
        return .continueRounds
    }
}
