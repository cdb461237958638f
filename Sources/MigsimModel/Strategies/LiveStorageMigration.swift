import MigsimNetwork

/// Live storage migration without a differencing disk (Storage vMotion, QEMU
/// `blockdev-mirror`); beyond the seeds.
///
/// Mirror mode: **iterative** (migsim's choice). Phases: **disk rounds**: round
/// 1 copies every virtual disk (source disk read, network, target disk write)
/// while the VM runs; each later round copies the blocks (of
/// ``MigrationSettings/blockSize``) written during the previous round, until at
/// most ``MigrationSettings/blockThresholdBytes`` remain or
/// ``MigrationSettings/blockMaxRounds`` is reached; then a **live memory
/// migration** (``LiveMigration``), whose stop-and-copy also carries the dirty
/// blocks left from the disk stage plus those written since. Disk writes fall
/// uniformly on the blocks (Poisson counting). Downtime is live migration's
/// plus the small disk tail.
enum LiveStorageMigration {
    /// Disk-stage phases sit above ``LiveMigration/Phase/end``.
    static let diskRound = LiveMigration.Phase.end

    static func start(_ sim: ClusterSimulation, _ i: Int) {
        let m = sim.migrations[i]
        sim.migrations[i].precopy = Precopy(sim: sim, vm: m.vm)
        diskTracker(sim, i)
        sim.migrations[i].phase = diskRound
        sim.migrations[i].phaseStart = sim.scheduler.now
        sim.transfer(i, bytes: sim.vms[m.vm].diskBytes, path: diskPath(sim, i))
    }

    /// Per-migration disk-stage state kept outside ``Precopy``.
    static func diskTracker(_ sim: ClusterSimulation, _ i: Int) {
        let v = sim.vms[sim.migrations[i].vm]
        let blocks = max(1, Int((v.diskBytes / sim.settings.blockSize).rounded(.up)))
        let rate = max(0, v.diskWriteRate.sample(sim.stream(sim.migrations[i].vm, "disk-write-rate")))
        sim.migrations[i].disk = DiskStage(set: PageSet(pages: blocks, hotFraction: 1, hotShare: 1, counting: .poisson),
                                            writeRate: rate / sim.settings.blockSize)
    }

    static func diskPath(_ sim: ClusterSimulation, _ i: Int) -> [ResourceID] {
        let m = sim.migrations[i]
        return sim.diskCopyPath(m.source, m.target)
    }

    static func step(_ sim: ClusterSimulation, _ i: Int, _ done: FlowCompletion?) {
        let m = sim.migrations[i]
        if m.phase < diskRound {
            if m.phase == LiveMigration.Phase.round.rawValue || m.phase == LiveMigration.Phase.latency.rawValue {
                // Keep the disk tail current: blocks written since the disk stage ended.
                updateTail(sim, i)
            }
            LiveMigration.step(sim, i, done)
            return
        }
        // End of a disk round.
        var d = m.disk!
        let duration = done!.exactDuration
        d.round += 1
        let bytes = done!.bytes
        let blocks = d.set.expectedDistinct(writes: d.writeRate * duration)
        let pendingBytes = blocks * sim.settings.blockSize
        sim.appendRound(RoundRecord(vm: m.vm, kind: .liveStorage, stage: "disk", round: d.round, start: m.phaseStart.seconds,
                                    duration: duration, bytesSent: bytes, dirtyPagesEnd: blocks, throttle: 0))
        if pendingBytes <= sim.settings.blockThresholdBytes || d.round >= sim.settings.blockMaxRounds {
            d.tailSince = sim.now
            d.tailBlocks = blocks
            sim.migrations[i].disk = d
            sim.migrations[i].record.diskCopy = sim.now - m.start.seconds
            sim.migrations[i].precopy!.diskTailBytes = pendingBytes
            LiveMigration.beginMemoryPrecopy(sim, i)
        } else {
            sim.migrations[i].disk = d
            sim.migrations[i].phaseStart = sim.scheduler.now
            sim.transfer(i, bytes: pendingBytes, path: diskPath(sim, i))
        }
    }

    static func updateTail(_ sim: ClusterSimulation, _ i: Int) {
        let d = sim.migrations[i].disk!
        // Blocks dirty at the end of the disk stage plus those first written since.
        let fresh = d.set.expectedDistinct(writes: d.writeRate * (sim.now - d.tailSince))
        let blocks = min(Double(d.set.pages), d.tailBlocks + fresh)
        sim.migrations[i].precopy!.diskTailBytes = blocks * sim.settings.blockSize
    }
}

/// Disk-stage bookkeeping of a live storage migration.
struct DiskStage {
    let set: PageSet
    /// Block writes per second.
    let writeRate: Double
    var round = 0
    var tailSince = 0.0
    var tailBlocks = 0.0
}
