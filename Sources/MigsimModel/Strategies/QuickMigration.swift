import MigsimKernel

/// Hyper-V quick migration on a failover cluster (seeds 000, 002, 004).
///
/// Phases: **pause**; **save** the memory in use to the shared LUN through
/// the SAN's write bandwidth; **fail over** the disk resource to the target
/// (LUN offline/online, ``MigrationSettings/lunFailover``); **restore** by
/// reading the saved state through the SAN's read bandwidth; **resume**.
/// The VM is down for the whole sequence. Concurrent quick migrations share
/// the SAN. With the defaults (150 MB/s write, 200 MB/s read, 5 s mean
/// failover) a VM with 2 GiB in use takes about 30 s, as seed 002 quotes.
/// The engine refuses quick migration (`no-shared-storage`) on a cluster without shared storage.
struct QuickMigration: MigrationStrategy {
    enum Phase {
        /// Paused at `pausedAt`; writing the saved state to the LUN since `since`.
        case saving(pausedAt: SimTime, since: SimTime)
        /// The LUN goes offline on the source and online on the target.
        case failingOver(pausedAt: SimTime)
        /// Reading the saved state on the target since `since`.
        case restoring(pausedAt: SimTime, since: SimTime)
        /// Resuming on the target.
        case resuming(pausedAt: SimTime)
    }

    private var phase = Phase.saving(pausedAt: .zero, since: .zero)
    /// The memory in use: what is saved and restored.
    private let stateBytes: Double

    init(_ ctx: MigrationContext) { stateBytes = ctx.spec.memoryBytes * ctx.spec.memoryInUse }

    mutating func start(_ ctx: MigrationContext, _ record: inout MigrationRecord) -> Next {
        phase = .saving(pausedAt: ctx.now, since: ctx.now)
        return .transfer(bytes: stateBytes, over: .sharedStorageWrite)
    }

    mutating func advance(_ event: MigrationEvent, _ ctx: MigrationContext, _ record: inout MigrationRecord) -> Next {
        switch (phase, event) {
        case (.saving(let pausedAt, let since), .transferred):
            record.save = ctx.seconds(since: since)
            let failover = ctx.draw(ctx.settings.lunFailover, "lun-failover")
            record.failover = failover
            phase = .failingOver(pausedAt: pausedAt)
            return .wait(failover)
        case (.failingOver(let pausedAt), .waited):
            phase = .restoring(pausedAt: pausedAt, since: ctx.now)
            return .transfer(bytes: stateBytes, over: .sharedStorageRead)
        case (.restoring(let pausedAt, let since), .transferred):
            record.restore = ctx.seconds(since: since)
            phase = .resuming(pausedAt: pausedAt)
            return .wait(ctx.settings.resumeDelay)
        case (.resuming(let pausedAt), .waited):
            record.downtime = ctx.seconds(since: pausedAt)
            return .finish
        default:
            ctx.unexpected(event, in: phase, of: "quick")
        }
    }
}
