import Foundation
import MigsimNetwork

/// Post-copy live migration (Hines & Gopalan, VEE 2009).
///
/// Phases: **setup** (as live); **pause** and send the device state;
/// **resume** on the target at once (resume + ARP delays); then **push** all
/// memory in the background while the VM runs on the target and faults on
/// pages that have not arrived. Downtime is the device-state transfer plus
/// resume; `degraded_s` is the time from resume until the last page arrives.
///
/// `remote_faults` is the expected number of pages first written on the
/// target before the push delivered them. A page with write rate `a` whose
/// push time is uniform over the push duration `T` (push order is independent
/// of the access pattern) faults with probability `1 - (1 - exp(-aT)) / (aT)`.
/// Only the write process is modelled; reads would add faults.
enum PostCopyMigration {
    enum Phase: Int { case setup, deviceState, resume, push }

    static func start(_ sim: ClusterSimulation, _ i: Int) {
        sim.migrations[i].precopy = Precopy(sim: sim, vm: sim.migrations[i].vm)
        sim.migrations[i].phase = Phase.setup.rawValue
        sim.migrations[i].record.rounds = 0
        sim.timer(i, after: sim.settings.setupDelay)
    }

    static func step(_ sim: ClusterSimulation, _ i: Int, _ done: FlowCompletion?) {
        let m = sim.migrations[i]
        switch Phase(rawValue: m.phase)! {
        case .setup:
            sim.migrations[i].pauseTime = sim.scheduler.now
            sim.migrations[i].phase = Phase.deviceState.rawValue
            sim.transfer(i, bytes: sim.vms[m.vm].deviceStateBytes, path: sim.netPath(m.source, m.target))
        case .deviceState:
            sim.migrations[i].phase = Phase.resume.rawValue
            sim.timer(i, after: sim.settings.resumeDelay + sim.settings.arpDelay)
        case .resume:
            sim.migrations[i].record.downtime = sim.now - m.pauseTime!.seconds
            sim.migrations[i].phase = Phase.push.rawValue
            sim.migrations[i].phaseStart = sim.scheduler.now
            sim.transfer(i, bytes: m.precopy!.memoryBytes, path: sim.netPath(m.source, m.target))
        case .push:
            let pushTime = done!.exactDuration
            sim.migrations[i].record.degraded = sim.now - m.phaseStart.seconds
            var pc = m.precopy!
            let writes = pc.rate.writes(from: m.phaseStart.seconds, to: m.phaseStart.seconds + pushTime)
            sim.migrations[i].record.remoteFaults = expectedFaults(set: pc.model.set, writes: writes)
            sim.finish(i)
        }
    }

    /// Expected pages faulted on while `writes` writes spread over the push.
    static func expectedFaults(set: PageSet, writes: Double) -> Double {
        func part(_ pages: Int, _ w: Double) -> Double {
            guard pages > 0, w > 0 else { return 0 }
            let x = w / Double(pages)  // a*T for one page
            return Double(pages) * (1 - (-expm1(-x)) / x)
        }
        return part(set.hotPages, writes * set.hotShare) + part(set.coldPages, writes * (1 - set.hotShare))
    }
}
