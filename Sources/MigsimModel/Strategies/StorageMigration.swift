import MigsimKernel

/// VMM 2008 R2 Quick Storage Migration between unclustered hosts (seeds 000, 001).
///
/// Phases: **checkpoint** (new writes go to a differencing disk, the AVHD);
/// **copy** the base VHDs while the VM runs, through the source disk read,
/// the network and the target disk write; the AVHD grows by the distinct
/// blocks (``MigrationSettings/blockSize``) written over checkpoint + copy,
/// counted like live storage's dirty blocks (writes uniform over the disks'
/// blocks, Poisson counting: `B (1 - exp(-w t / B))` blocks for `w` block
/// writes a second over `t` seconds), not linearly with the write rate;
/// **save state**
/// to the source disk; **transfer** the AVHD and the saved state; **merge** the
/// AVHD into the base disk on the target (read + write of the AVHD, at most
/// ``MigrationSettings/mergeBandwidth``); **restore** from the target disk;
/// **resume**. Downtime runs from save state to resume ("around 2 minutes",
/// seed 000).
struct StorageMigration: MigrationStrategy {
    enum Phase {
        /// Taking the VSS checkpoint; the AVHD starts.
        case checkpoint
        /// Copying the base disks since `since` while the VM runs.
        case copyingBase(since: SimTime)
        /// Paused; writing the saved state to the source disk since `since`.
        case saving(pausedAt: SimTime, since: SimTime, avhdBytes: Double)
        /// Paused; sending the AVHD and the saved state.
        case transferring(pausedAt: SimTime, avhdBytes: Double)
        /// Paused; merging the AVHD into the base disk on the target since `since`.
        case merging(pausedAt: SimTime, since: SimTime)
        /// Paused; reading the saved state on the target since `since`.
        case restoring(pausedAt: SimTime, since: SimTime)
        /// Resuming on the target.
        case resuming(pausedAt: SimTime)
    }

    private var phase = Phase.checkpoint
    /// The memory in use: the saved state.
    private let stateBytes: Double

    init(_ ctx: MigrationContext) { stateBytes = ctx.spec.memoryBytes * ctx.spec.memoryInUse }

    mutating func start(_ ctx: MigrationContext, _ record: inout MigrationRecord) -> Next {
        .wait(ctx.settings.checkpointDelay)
    }

    mutating func advance(_ event: MigrationEvent, _ ctx: MigrationContext, _ record: inout MigrationRecord) -> Next {
        let v = ctx.spec
        switch (phase, event) {
        case (.checkpoint, .waited):
            phase = .copyingBase(since: ctx.now)
            return .transfer(bytes: v.diskBytes, over: .diskToDisk)
        case (.copyingBase(let since), .transferred):
            record.diskCopy = ctx.seconds(since: since)
            let writeRate = ctx.draw(v.diskWriteRate, "disk-write-rate")
            let blockSize = ctx.settings.blockSize
            let blocks = LiveStorageMigration.diskBlocks(v, blockSize: blockSize)
            let avhd = blocks.expectedDistinct(writes: writeRate / blockSize * ctx.seconds(since: ctx.startedAt)) * blockSize
            record.avhdBytes = avhd
            phase = .saving(pausedAt: ctx.now, since: ctx.now, avhdBytes: avhd)
            return .transfer(bytes: stateBytes, over: .sourceDiskWrite)
        case (.saving(let pausedAt, let since, let avhd), .transferred):
            record.save = ctx.seconds(since: since)
            phase = .transferring(pausedAt: pausedAt, avhdBytes: avhd)
            return .transfer(bytes: avhd + stateBytes, over: .diskToDisk)
        case (.transferring(let pausedAt, let avhd), .transferred):
            phase = .merging(pausedAt: pausedAt, since: ctx.now)
            return .transfer(bytes: avhd, over: .targetDiskReadWrite, cap: ctx.settings.mergeBandwidth)
        case (.merging(let pausedAt, let since), .transferred):
            record.merge = ctx.seconds(since: since)
            phase = .restoring(pausedAt: pausedAt, since: ctx.now)
            return .transfer(bytes: stateBytes, over: .targetDiskRead)
        case (.restoring(let pausedAt, let since), .transferred):
            record.restore = ctx.seconds(since: since)
            phase = .resuming(pausedAt: pausedAt)
            return .wait(ctx.settings.resumeDelay)
        case (.resuming(let pausedAt), .waited):
            record.downtime = ctx.seconds(since: pausedAt)
            return .finish
        default:
            ctx.unexpected(event, in: phase, of: "storage")
        }
    }
}
