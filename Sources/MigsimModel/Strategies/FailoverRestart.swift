import MigsimNetwork

/// Unplanned failover after a host failure (seed 004, failover clustering).
///
/// Phases: **detect** the failure through missed heartbeats
/// (``MigrationSettings/detectionDelay``); **boot** the VM cold on a surviving
/// node (``MigrationSettings/bootTime``, drawn per VM). Memory state is lost:
/// no bytes are sent. Downtime is detection plus boot, counted from the
/// request (the failure).
enum FailoverRestart {
    enum Phase: Int { case detect, boot }

    static func start(_ sim: ClusterSimulation, _ i: Int) {
        sim.migrations[i].pauseTime = sim.scheduler.now
        sim.migrations[i].phase = Phase.detect.rawValue
        sim.timer(i, after: sim.settings.detectionDelay)
    }

    static func step(_ sim: ClusterSimulation, _ i: Int, _ done: FlowCompletion?) {
        let m = sim.migrations[i]
        switch Phase(rawValue: m.phase)! {
        case .detect:
            sim.migrations[i].phase = Phase.boot.rawValue
            sim.timer(i, after: max(0, sim.settings.bootTime.sample(sim.stream(m.vm, "boot-time"))))
        case .boot:
            sim.migrations[i].record.downtime = sim.now - m.record.requestTime
            sim.finish(i)
        }
    }
}
