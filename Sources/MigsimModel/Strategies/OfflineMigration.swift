import MigsimNetwork

/// VMM offline migration of a powered-off VM (seed 000).
///
/// Phases: **copy** the configuration and every virtual disk (source disk
/// read, network, target disk write); **register** the VM on the target
/// (``MigrationSettings/registerDelay``). The service is down throughout, so
/// downtime equals the total time. No memory is sent.
enum OfflineMigration {
    enum Phase: Int { case copy, register }

    static func start(_ sim: ClusterSimulation, _ i: Int) {
        let m = sim.migrations[i]
        sim.migrations[i].pauseTime = sim.scheduler.now
        sim.migrations[i].phase = Phase.copy.rawValue
        let path = sim.diskCopyPath(m.source, m.target)
        sim.transfer(i, bytes: sim.vms[m.vm].diskBytes, path: path)
    }

    static func step(_ sim: ClusterSimulation, _ i: Int, _ done: FlowCompletion?) {
        let m = sim.migrations[i]
        switch Phase(rawValue: m.phase)! {
        case .copy:
            sim.migrations[i].record.diskCopy = sim.now - m.phaseStart.seconds
            sim.migrations[i].phase = Phase.register.rawValue
            sim.timer(i, after: sim.settings.registerDelay)
        case .register:
            sim.migrations[i].record.downtime = sim.now - m.pauseTime!.seconds
            sim.finish(i)
        }
    }
}
