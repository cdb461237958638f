import MigsimNetwork

/// Hyper-V quick migration on a failover cluster (seeds 000, 002, 004).
///
/// Phases: **pause**; **save** the memory in use to the shared LUN through
/// the SAN's write bandwidth; **fail over** the disk resource to the target
/// (LUN offline/online, ``MigrationSettings/lunFailover``); **restore** by
/// reading the saved state through the SAN's read bandwidth; **resume**.
/// The VM is down for the whole sequence. Concurrent quick migrations share
/// the SAN. With the defaults (150 MB/s write, 200 MB/s read, 5 s mean
/// failover) a VM with 2 GiB in use takes about 30 s, as seed 002 quotes.
enum QuickMigration {
    enum Phase: Int { case save, failover, restore, resume }

    static func start(_ sim: ClusterSimulation, _ i: Int) {
        let m = sim.migrations[i]
        sim.migrations[i].pauseTime = sim.scheduler.now
        sim.migrations[i].phase = Phase.save.rawValue
        sim.transfer(i, bytes: stateBytes(sim, m.vm), path: [sim.sanWrite!])
    }

    static func stateBytes(_ sim: ClusterSimulation, _ vm: Int) -> Double {
        sim.vms[vm].memoryBytes * sim.vms[vm].memoryInUse
    }

    static func step(_ sim: ClusterSimulation, _ i: Int, _ done: FlowCompletion?) {
        let m = sim.migrations[i]
        switch Phase(rawValue: m.phase)! {
        case .save:
            sim.migrations[i].record.save = sim.now - m.phaseStart.seconds
            let d = max(0, sim.settings.lunFailover.sample(sim.stream(m.vm, "lun-failover")))
            sim.migrations[i].record.failover = d
            sim.migrations[i].phase = Phase.failover.rawValue
            sim.timer(i, after: d)
        case .failover:
            sim.migrations[i].phase = Phase.restore.rawValue
            sim.migrations[i].phaseStart = sim.scheduler.now
            sim.transfer(i, bytes: stateBytes(sim, m.vm), path: [sim.sanRead!])
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
