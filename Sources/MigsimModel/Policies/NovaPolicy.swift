/// OpenStack Nova's libvirt live-migration monitor over QEMU (preset `nova`).
///
/// QEMU's own rule decides each round (pending bytes <= measured bandwidth x
/// downtime limit, ``QEMUPolicy``), but Nova raises the downtime limit in
/// steps while the migration runs and ends it after a completion timeout
/// scaled by the data to move. Sources, `openstack/nova`:
/// - `nova/conf/libvirt.py`: `live_migration_downtime` 500 ms,
///   `live_migration_downtime_steps` 10, `live_migration_downtime_delay` 75 s
///   per GiB, `live_migration_completion_timeout` 800 s per GiB,
///   `live_migration_timeout_action` `abort`, `live_migration_permit_post_copy`
///   false, `live_migration_permit_auto_converge` false;
/// - `nova/virt/libvirt/migration.py`, `downtime_steps(data_gb)`: step i of
///   0...steps starts at `int(delay * data_gb) * i` seconds with
///   `int(downtime / steps + i * (downtime - downtime / steps) / steps)` ms;
///   `update_downtime` applies the last step whose start is strictly before
///   the elapsed time;
/// - `nova/virt/libvirt/driver.py`, `_live_migration_data_gb`: guest RAM in
///   GiB, at least 2 (plus disks for block migration, not modelled here);
///   `_live_migration_monitor`: timeout when elapsed > `int(800 * data_gb)`;
///   `force_complete` pauses the guest (stop-and-copy) or, with post-copy
///   permitted, switches to post-copy.
///
/// Nova polls every 0.5 s; migsim applies the step in force at each round's end.
public struct NovaPolicy: StopPolicy {
    public enum TimeoutAction: String, Sendable, CaseIterable {
        case abort
        case forceComplete = "force-complete"
    }

    public var name: String { "nova" }
    /// `live_migration_downtime`, seconds.
    public var maxDowntime = 0.5
    /// `live_migration_downtime_steps`.
    public var steps = 10
    /// `live_migration_downtime_delay`, seconds per GiB.
    public var stepDelayPerGiB = 75.0
    /// `live_migration_completion_timeout`, seconds per GiB (0 = none).
    public var completionTimeoutPerGiB = 800.0
    public var timeoutAction = TimeoutAction.abort
    /// `live_migration_permit_post_copy`.
    public var permitPostCopy = false

    public init() {}

    /// `_live_migration_data_gb` for a live migration without block migration: RAM in GiB, at least 2.
    public static func dataGB(memoryBytes: Double) -> Double { max(2, memoryBytes / (1024 * 1024 * 1024)) }

    /// The downtime limit (seconds) Nova has set after `elapsed` seconds.
    public func downtimeLimit(elapsed: Double, dataGB: Double) -> Double {
        let delay = (stepDelayPerGiB * dataGB).rounded(.towardZero)
        let base = maxDowntime * 1000 / Double(steps)
        let offset = (maxDowntime * 1000 - base) / Double(steps)
        var step = 0
        for i in 0...steps where delay * Double(i) < elapsed { step = i }
        return (base + offset * Double(step)).rounded(.towardZero) / 1000
    }

    public func decide(_ o: RoundObservation) -> StopDecision {
        if o.dirtyPages <= 0 { return .stop(.noDirtyPages) }
        let data = Self.dataGB(memoryBytes: o.memoryBytes)
        if o.pendingBytes <= o.wireBandwidth * downtimeLimit(elapsed: o.elapsed, dataGB: data) { return .stop(.downtimeTarget) }
        let timeout = (completionTimeoutPerGiB * data).rounded(.towardZero)
        if completionTimeoutPerGiB > 0 && o.elapsed > timeout {
            switch timeoutAction {
            case .abort: return .stop(.timeoutAborted)
            case .forceComplete: return .stop(permitPostCopy ? .timeoutPostCopy : .timeoutForced)
            }
        }
        return .continueRounds
    }
}
