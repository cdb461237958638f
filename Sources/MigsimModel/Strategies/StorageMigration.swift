import MigsimNetwork

/// VMM 2008 R2 Quick Storage Migration between unclustered hosts (seeds 000, 001).
///
/// Phases: **checkpoint** (new writes go to a differencing disk, the AVHD);
/// **copy** the base VHDs while the VM runs, through the source disk read,
/// the network and the target disk write; the AVHD grows with the VM's disk
/// write rate over checkpoint + copy (capped at the disk size); **save state**
/// to the source disk; **transfer** the AVHD and the saved state; **merge** the
/// AVHD into the base disk on the target (read + write of the AVHD, at most
/// ``MigrationSettings/mergeBandwidth``); **restore** from the target disk;
/// **resume**. Downtime runs from save state to resume ("around 2 minutes",
/// seed 000).
enum StorageMigration {
    enum Phase: Int { case checkpoint, copy, save, transfer, merge, restore, resume }

    static func start(_ sim: ClusterSimulation, _ i: Int) {
        sim.migrations[i].phase = Phase.checkpoint.rawValue
        sim.timer(i, after: sim.settings.checkpointDelay)
    }

    static func step(_ sim: ClusterSimulation, _ i: Int, _ done: FlowCompletion?) {
        let m = sim.migrations[i]
        let v = sim.vms[m.vm]
        let state = v.memoryBytes * v.memoryInUse
        let diskPath = sim.diskCopyPath(m.source, m.target)
        switch Phase(rawValue: m.phase)! {
        case .checkpoint:
            sim.migrations[i].phase = Phase.copy.rawValue
            sim.migrations[i].phaseStart = sim.scheduler.now
            sim.transfer(i, bytes: v.diskBytes, path: diskPath)
        case .copy:
            let copy = sim.now - m.phaseStart.seconds
            sim.migrations[i].record.diskCopy = copy
            let rate = max(0, v.diskWriteRate.sample(sim.stream(m.vm, "disk-write-rate")))
            let avhd = min(v.diskBytes, rate * (sim.now - m.start.seconds))
            sim.migrations[i].record.avhdBytes = avhd
            sim.migrations[i].pauseTime = sim.scheduler.now
            sim.migrations[i].phaseStart = sim.scheduler.now
            sim.migrations[i].phase = Phase.save.rawValue
            sim.transfer(i, bytes: state, path: [sim.diskWrite[m.source]])
        case .save:
            sim.migrations[i].record.save = sim.now - m.phaseStart.seconds
            sim.migrations[i].phase = Phase.transfer.rawValue
            sim.transfer(i, bytes: m.record.avhdBytes! + state, path: diskPath)
        case .transfer:
            sim.migrations[i].phase = Phase.merge.rawValue
            sim.migrations[i].phaseStart = sim.scheduler.now
            sim.transfer(i, bytes: m.record.avhdBytes!, path: [sim.diskRead[m.target], sim.diskWrite[m.target]],
                         cap: sim.settings.mergeBandwidth)
        case .merge:
            sim.migrations[i].record.merge = sim.now - m.phaseStart.seconds
            sim.migrations[i].phase = Phase.restore.rawValue
            sim.migrations[i].phaseStart = sim.scheduler.now
            sim.transfer(i, bytes: state, path: [sim.diskRead[m.target]])
        case .restore:
            sim.migrations[i].record.restore = sim.now - m.phaseStart.seconds
            sim.migrations[i].phase = Phase.resume.rawValue
            sim.timer(i, after: sim.settings.resumeDelay)
        case .resume:
            sim.migrations[i].record.downtime = sim.now - m.pauseTime!.seconds
            sim.finish(i)
        }
    }
}
