import MigsimKernel

/// VMM offline migration of a powered-off VM (seed 000).
///
/// Phases: **copy** the configuration and every virtual disk (source disk
/// read, network, target disk write); **register** the VM on the target
/// (``MigrationSettings/registerDelay``). The service is down throughout, so
/// downtime equals the total time. No memory is sent.
struct OfflineMigration: MigrationStrategy {
    enum Phase {
        /// Copying the disks; the VM is off since `offAt`.
        case copying(offAt: SimTime)
        /// Registering the VM on the target.
        case registering(offAt: SimTime)
    }

    private var phase = Phase.copying(offAt: .zero)

    init(_ ctx: MigrationContext) {}

    mutating func start(_ ctx: MigrationContext, _ record: inout MigrationRecord) -> Next {
        phase = .copying(offAt: ctx.now)
        return .transfer(bytes: ctx.spec.diskBytes, over: .diskToDisk)
    }

    mutating func advance(_ event: MigrationEvent, _ ctx: MigrationContext, _ record: inout MigrationRecord) -> Next {
        switch (phase, event) {
        case (.copying(let offAt), .transferred):
            record.diskCopy = ctx.seconds(since: offAt)
            phase = .registering(offAt: offAt)
            return .wait(ctx.settings.registerDelay)
        case (.registering(let offAt), .waited):
            record.downtime = ctx.seconds(since: offAt)
            return .finish
        default:
            ctx.unexpected(event, in: phase, of: "offline")
        }
    }
}
