/// SimGrid's VM live-migration stop rule (preset `simgrid`).
///
/// The threshold is the bandwidth measured during the first stage (round 1)
/// times a 30 ms maximum downtime; pre-copy stops when the remainder is at or
/// below it. No round cap. Source: SimGrid
/// `src/plugins/vm/VmLiveMigration.cpp` (`max_downtime` 0.03 s,
/// `threshold = mig_speed * max_downtime`).
public struct SimGridPolicy: StopPolicy {
    public var name = "simgrid"
    public var maxDowntime: Double

    public init(maxDowntime: Double = 0.03) { self.maxDowntime = maxDowntime }

    public func decide(_ o: RoundObservation) -> StopDecision {
        if o.dirtyPages <= 0 { return .stop(.noDirtyPages) }
        if o.pendingBytes <= o.firstRoundBandwidth * maxDowntime { return .stop(.remainderBelowThreshold) }
        return .continueRounds
    }
}
