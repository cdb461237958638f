import MigsimKernel
import MigsimNetwork

/// Live migration by iterative pre-copy (Hyper-V live migration, VMotion, KVM, Xen).
///
/// Phases, each a span of simulated time (DESIGN.md section 1; seeds 000, 002, 003):
/// 1. **setup**: copy the configuration and create the paused VM on the target
///    (``MigrationSettings/setupDelay``);
/// 2. **round 1** sends all pages while the VM runs;
/// 3. **round k > 1** sends the distinct pages dirtied during round k-1;
/// 4. after each round the stop policy, the timeout and the round guard decide;
/// 5. **stop-and-copy**: pause, send the remaining pages plus device state;
/// 6. **switch** disk ownership (CSV: nothing; LUN: a failover delay);
/// 7. **resume** on the target and update ARP (``MigrationSettings/resumeDelay`` +
///    ``MigrationSettings/arpDelay``).
///
/// Downtime runs from the pause to the end of the ARP update. Each round adds
/// the cluster's round latency before its transfer. Dirtying during a round
/// uses the transfer's exact (unrounded) duration, so the mean-field fidelity
/// reproduces `M * (D/R)^i` to rounding error.
enum LiveMigration {
    enum Phase: Int {
        case setup, latency, round, stopCopy, storageSwitch, resume, postCopyPush, stopCopyLatency
        /// First phase number free for strategies that wrap this one.
        static let end = 16
    }

    static func start(_ sim: ClusterSimulation, _ i: Int) {
        sim.migrations[i].precopy = Precopy(sim: sim, vm: sim.migrations[i].vm)
        sim.migrations[i].phase = Phase.setup.rawValue
        sim.timer(i, after: sim.settings.setupDelay)
    }

    static func step(_ sim: ClusterSimulation, _ i: Int, _ done: FlowCompletion?) {
        switch Phase(rawValue: sim.migrations[i].phase)! {
        case .setup: beginMemoryPrecopy(sim, i)
        case .latency: sendRound(sim, i)
        case .round: endRound(sim, i, done!)
        case .stopCopy: switchStorage(sim, i)
        case .storageSwitch: resume(sim, i)
        case .resume: resumed(sim, i)
        case .stopCopyLatency: sendStopAndCopy(sim, i)
        case .postCopyPush:
            let m = sim.migrations[i]
            sim.migrations[i].record.degraded = sim.now - m.phaseStart.seconds
            sim.finish(i)
        }
    }

    /// Starts round 1 of memory pre-copy (also the entry point for live storage).
    static func beginMemoryPrecopy(_ sim: ClusterSimulation, _ i: Int) {
        beginRound(sim, i)
    }

    static func beginRound(_ sim: ClusterSimulation, _ i: Int) {
        var pc = sim.migrations[i].precopy!
        pc.round += 1
        pc.roundBytes = pc.round == 1 ? pc.memoryBytes : pc.pendingPages * pc.pageSize
        sim.migrations[i].precopy = pc
        sim.migrations[i].phaseStart = sim.scheduler.now
        afterRoundLatency(sim, i, waitingIn: .latency, then: sendRound)
    }

    /// Waits the cluster's round latency in phase `waiting` (whose step must
    /// call `send`), or calls `send` at once when there is no latency.
    static func afterRoundLatency(_ sim: ClusterSimulation, _ i: Int, waitingIn waiting: Phase,
                                  then send: (ClusterSimulation, Int) -> Void) {
        let latency = sim.cluster.roundLatency
        if latency > 0 {
            sim.migrations[i].phase = waiting.rawValue
            sim.timer(i, after: latency)
        } else {
            send(sim, i)
        }
    }

    static func sendRound(_ sim: ClusterSimulation, _ i: Int) {
        let m = sim.migrations[i], pc = m.precopy!
        sim.migrations[i].phase = Phase.round.rawValue
        let cap = sim.settings.rateLimit.cap(round: pc.round, previousDirtyRate: pc.lastDirtyRate)
        sim.transfer(i, bytes: pc.roundBytes, path: sim.netPath(m.source, m.target), cap: cap)
    }

    static func endRound(_ sim: ClusterSimulation, _ i: Int, _ done: FlowCompletion) {
        let m = sim.migrations[i]
        var pc = m.precopy!
        let duration = sim.cluster.roundLatency + done.exactDuration
        let start = m.phaseStart.seconds
        let throttleInRound = pc.throttle.throttle
        let dirty = pc.dirtied(from: start, duration: duration)
        let atMaximum = sim.settings.rateLimit.isAtMaximum(
            sim.settings.rateLimit.cap(round: pc.round, previousDirtyRate: pc.lastDirtyRate))
        pc.totalSent += pc.roundBytes
        if pc.round == 1 { pc.firstRoundBandwidth = duration > 0 ? pc.roundBytes / duration : 0 }
        pc.lastDirtyRate = duration > 0 ? dirty * pc.pageSize / duration : 0
        pc.throttle.update(mode: sim.settings.throttle, sent: pc.roundBytes, dirtied: dirty * pc.pageSize, duration: duration)
        pc.maxThrottle = max(pc.maxThrottle, pc.throttle.throttle)
        pc.pendingPages = dirty
        sim.appendRound(RoundRecord(vm: m.vm, kind: m.record.kind, stage: "memory", round: pc.round, start: start,
                                    duration: duration, bytesSent: pc.roundBytes, dirtyPagesEnd: dirty,
                                    throttle: throttleInRound))
        let obs = RoundObservation(round: pc.round, memoryBytes: pc.memoryBytes, pageSize: pc.pageSize,
                                   roundBytes: pc.roundBytes, roundDuration: duration, dirtyPages: dirty,
                                   totalSentBytes: pc.totalSent, elapsed: sim.now - m.start.seconds,
                                   firstRoundBandwidth: pc.firstRoundBandwidth,
                                   previousRoundBytes: pc.previousRoundBytes, rateAtMaximum: atMaximum)
        pc.previousRoundBytes = pc.roundBytes
        sim.migrations[i].precopy = pc
        var decision = sim.settings.policy.decide(obs)
        if decision == .continueRounds && obs.elapsed >= sim.settings.timeout {
            switch sim.settings.timeoutOutcome {
            case .force: decision = .stop(.timeoutForced)
            case .abort: decision = .stop(.timeoutAborted)
            case .postCopy: decision = .stop(.timeoutPostCopy)
            }
        }
        if decision == .continueRounds && pc.round >= sim.settings.roundGuard { decision = .stop(.roundGuard) }
        switch decision {
        case .continueRounds:
            beginRound(sim, i)
        case .stop(let reason):
            sim.migrations[i].record.stopReason = reason
            sim.migrations[i].record.rounds = pc.round
            sim.migrations[i].record.throttle = pc.maxThrottle
            switch reason {
            case .timeoutAborted:
                sim.migrations[i].record.downtime = 0
                sim.finish(i, aborted: true)
            case .timeoutPostCopy:
                sim.migrations[i].precopy!.postCopyPages = pc.pendingPages
                stopAndCopy(sim, i, pages: 0)
            default:
                stopAndCopy(sim, i, pages: pc.pendingPages)
            }
        }
    }

    /// Pauses the VM and sends `pages` plus the device state (and any disk tail),
    /// after the round latency when the preset says stop-and-copy pays it.
    static func stopAndCopy(_ sim: ClusterSimulation, _ i: Int, pages: Double) {
        sim.migrations[i].pauseTime = sim.scheduler.now
        sim.migrations[i].precopy!.pendingPages = pages
        if sim.settings.policy.stopAndCopyPaysLatency {
            afterRoundLatency(sim, i, waitingIn: .stopCopyLatency, then: sendStopAndCopy)
        } else {
            sendStopAndCopy(sim, i)
        }
    }

    static func sendStopAndCopy(_ sim: ClusterSimulation, _ i: Int) {
        let m = sim.migrations[i], pc = m.precopy!
        sim.migrations[i].phase = Phase.stopCopy.rawValue
        let bytes = pc.pendingPages * pc.pageSize + sim.vms[m.vm].deviceStateBytes + pc.diskTailBytes
        sim.transfer(i, bytes: bytes, path: sim.netPath(m.source, m.target), cap: sim.settings.rateLimit.stopAndCopyCap)
    }

    static func switchStorage(_ sim: ClusterSimulation, _ i: Int) {
        switch sim.settings.storageSwitch {
        case .csv:
            resume(sim, i)
        case .lun:
            let d = max(0, sim.settings.lunFailover.sample(sim.stream(sim.migrations[i].vm, "lun-failover")))
            sim.migrations[i].record.failover = d
            sim.migrations[i].phase = Phase.storageSwitch.rawValue
            sim.timer(i, after: d)
        }
    }

    static func resume(_ sim: ClusterSimulation, _ i: Int) {
        sim.migrations[i].phase = Phase.resume.rawValue
        sim.timer(i, after: sim.settings.resumeDelay + sim.settings.arpDelay)
    }

    static func resumed(_ sim: ClusterSimulation, _ i: Int) {
        let m = sim.migrations[i]
        sim.migrations[i].record.downtime = sim.now - m.pauseTime!.seconds
        let rest = m.precopy?.postCopyPages ?? 0
        if rest > 0 {
            // Timeout switched to post-copy: pull what is left in the background.
            sim.migrations[i].phase = Phase.postCopyPush.rawValue
            sim.migrations[i].phaseStart = sim.scheduler.now
            sim.transfer(i, bytes: rest * m.precopy!.pageSize, path: sim.netPath(m.source, m.target))
        } else {
            sim.finish(i)
        }
    }
}
