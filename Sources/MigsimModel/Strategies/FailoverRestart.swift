/// Unplanned failover after a host failure (seed 004, failover clustering).
///
/// Phases: **detect** the failure through missed heartbeats
/// (``MigrationSettings/detectionDelay``); **boot** the VM cold on a surviving
/// node (``MigrationSettings/bootTime``, drawn per restart). Memory state is
/// lost: no bytes are sent. Downtime is detection plus boot, counted from the
/// request (the failure).
struct FailoverRestart: MigrationStrategy {
    enum Phase {
        /// Heartbeats are being missed.
        case detecting
        /// Booting on the surviving node.
        case booting
    }

    private var phase = Phase.detecting

    init(_ ctx: MigrationContext) {}

    mutating func start(_ ctx: MigrationContext, _ record: inout MigrationRecord) -> Next {
        .wait(ctx.settings.detectionDelay)
    }

    mutating func advance(_ event: MigrationEvent, _ ctx: MigrationContext, _ record: inout MigrationRecord) -> Next {
        switch (phase, event) {
        case (.detecting, .waited):
            phase = .booting
            return .wait(ctx.draw(ctx.settings.bootTime, "boot-time"))
        case (.booting, .waited):
            record.downtime = ctx.seconds - record.requestTime
            return .finish
        default:
            ctx.unexpected(event, in: phase, of: "failover-restart")
        }
    }
}
