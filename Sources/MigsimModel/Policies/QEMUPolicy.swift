/// QEMU's pre-copy stop rule (preset `qemu`).
///
/// Stops when the pending bytes can be sent within the downtime limit at the
/// bandwidth measured over the last round: `pending <= bandwidth * downtime_limit`.
/// There is no round cap. Source: QEMU `migration/migration.c`
/// (`migration_iteration_run`, threshold_size = bandwidth * downtime_limit) and
/// `migration/options.c` (`downtime-limit` default 300 ms, `max-bandwidth`
/// default 128 MiB/s, which the preset applies as its ``RateLimit``).
public struct QEMUPolicy: StopPolicy {
    public var name: String { "qemu" }
    /// Allowed downtime in seconds (`downtime-limit`).
    public var downtimeLimit: Double

    public init(downtimeLimit: Double = 0.3) { self.downtimeLimit = downtimeLimit }

    public func decide(_ o: RoundObservation) -> StopDecision {
        if o.dirtyPages <= 0 { return .stop(.noDirtyPages) }
        // threshold_size comes from the wire rate; the pending estimate counts whole pages.
        if o.pendingBytes <= o.wireBandwidth * downtimeLimit { return .stop(.downtimeTarget) }
        return .continueRounds
    }
}
