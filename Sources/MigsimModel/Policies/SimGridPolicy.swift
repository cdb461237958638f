/// SimGrid's VM live-migration stop rule (preset `simgrid`).
///
/// After every transfer the plugin measures the bandwidth of that transfer
/// (bytes sent / its duration, latency included) and sets the threshold to
/// that bandwidth times a 30 ms maximum downtime, truncated to whole bytes;
/// stage 2 goes on while `threshold < remaining`, so pre-copy stops once the
/// remainder is at or below the threshold of the round that just ended (round 1
/// is stage 1: all of memory). There is no round cap. Source: SimGrid 3.32
/// `src/plugins/vm/VmLiveMigration.cpp` (`MigrationTx::operator()`:
/// `threshold = bandwidth * max_downtime`, re-measured after every stage-2
/// round) and `dirty_page_tracking.cpp` (`max_downtime_` 0.03 s).
///
/// The rest of the plugin's model lives elsewhere: its dirty amount
/// (`computed_flops * dp_rate`, capped per round at the working set, 90 % of
/// RAM) is `linear` counting over a 0.9 hot set that takes every write at a
/// constant rate; its bandwidth factor 0.97 (LV08) is
/// `cluster.protocol_efficiency`; its migration speed is a fixed
/// ``RateLimit``; and every transfer, stop-and-copy included, pays the round
/// latency (``PolicyPreset/stopAndCopyPaysLatency``).
public struct SimGridPolicy: StopPolicy {
    public var name: String { "simgrid" }
    /// Allowed downtime in seconds (`sg_vm_get_max_downtime`, 0.03).
    public var maxDowntime: Double

    public init(maxDowntime: Double = 0.03) { self.maxDowntime = maxDowntime }

    public func decide(_ o: RoundObservation) -> StopDecision {
        if o.dirtyPages <= 0 { return .stop(.noDirtyPages) }
        // SimGrid stores the threshold in a size_t: whole bytes.
        let threshold = (o.bandwidth * maxDowntime).rounded(.down)
        if o.pendingBytes <= threshold { return .stop(.remainderBelowThreshold) }
        return .continueRounds
    }
}
