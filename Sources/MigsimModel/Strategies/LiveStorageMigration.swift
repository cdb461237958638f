import MigsimKernel
import MigsimNetwork

/// Live storage migration without a differencing disk (Storage vMotion, QEMU
/// `blockdev-mirror`); beyond the seeds.
///
/// Mirror mode: **iterative** (migsim's choice). Phases:
/// 1. **disk rounds**: round 1 copies every virtual disk (source disk read,
///    network, target disk write) while the VM runs; each later round copies
///    the blocks (of ``MigrationSettings/blockSize``) written during the
///    previous round, until at most ``MigrationSettings/blockThresholdBytes``
///    remain or ``MigrationSettings/blockMaxRounds`` is reached;
/// 2. a **live memory migration** (``LiveMigration``), whose stop-and-copy
///    also carries the dirty blocks left from the disk stage plus those
///    written since.
///
/// Disk writes fall uniformly on the blocks (Poisson counting). Downtime is
/// live migration's plus the small disk tail.
struct LiveStorageMigration: MigrationStrategy {
    enum Phase {
        /// Copying disk round `round` (1-based), begun at `since`.
        case copyingDisk(round: Int, since: SimTime)
        /// The memory migration runs; `tailSince` is when the disk stage ended
        /// with `tailBlocks` blocks still dirty.
        case memory(tailSince: Double, tailBlocks: Double)
    }

    private var phase = Phase.copyingDisk(round: 1, since: .zero)
    private var memory: LiveMigration
    /// The VM's disks as blocks, written uniformly.
    private let blocks: PageSet
    /// Block writes per second, drawn for this migration.
    private let blockWriteRate: Double
    private let blockSize: Double

    init(_ ctx: MigrationContext) {
        memory = LiveMigration(ctx)
        let v = ctx.spec
        blockSize = ctx.settings.blockSize
        blocks = Self.diskBlocks(v, blockSize: blockSize)
        blockWriteRate = ctx.draw(v.diskWriteRate, "disk-write-rate") / blockSize
    }

    /// The VM's disks as blocks of `blockSize`, written uniformly (shared with storage migration's AVHD).
    static func diskBlocks(_ v: VMSpec, blockSize: Double) -> PageSet {
        PageSet(pages: max(1, Int((v.diskBytes / blockSize).rounded(.up))), hotFraction: 1, hotShare: 1, counting: .poisson)
    }

    mutating func start(_ ctx: MigrationContext, _ record: inout MigrationRecord) -> Next {
        phase = .copyingDisk(round: 1, since: ctx.now)
        return .transfer(bytes: ctx.spec.diskBytes, over: .diskToDisk)
    }

    mutating func advance(_ event: MigrationEvent, _ ctx: MigrationContext, _ record: inout MigrationRecord) -> Next {
        switch (phase, event) {
        case (.copyingDisk(let round, let since), .transferred(let done)):
            return endDiskRound(ctx, &record, round: round, since: since, done: done)
        case (.memory(let tailSince, let tailBlocks), _):
            if memory.isInRound {
                // Keep the disk tail current: blocks dirty at the end of the disk stage plus those first written since.
                let fresh = blocks.expectedDistinct(writes: blockWriteRate * (ctx.seconds - tailSince))
                memory.extraStopCopyBytes = min(Double(blocks.pages), tailBlocks + fresh) * blockSize
            }
            return memory.advance(event, ctx, &record)
        default:
            ctx.unexpected(event, in: phase, of: "live-storage")
        }
    }

    /// Logs the disk round, then copies the blocks written during it or moves on to memory.
    private mutating func endDiskRound(_ ctx: MigrationContext, _ record: inout MigrationRecord, round: Int, since: SimTime,
                                       done: TransferDone) -> Next {
        let duration = done.exactDuration
        let dirty = blocks.expectedDistinct(writes: blockWriteRate * duration)
        let pendingBytes = dirty * blockSize
        ctx.log(RoundRecord(vm: ctx.vm, kind: .liveStorage, stage: "disk", round: round, start: since.seconds,
                            duration: duration, bytesSent: done.bytes, dirtyPagesEnd: dirty, throttle: 0))
        if pendingBytes <= ctx.settings.blockThresholdBytes || round >= ctx.settings.blockMaxRounds {
            phase = .memory(tailSince: ctx.seconds, tailBlocks: dirty)
            record.diskCopy = ctx.seconds(since: ctx.startedAt)
            memory.extraStopCopyBytes = pendingBytes
            return memory.beginRound(ctx)
        }
        phase = .copyingDisk(round: round + 1, since: ctx.now)
        return .transfer(bytes: pendingBytes, over: .diskToDisk)
    }
}
