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
///    ``MigrationSettings/arpDelay``);
/// 8. after a timeout that switched to post-copy, **pull** the pages left.
///
/// Downtime runs from the pause to the end of the ARP update. Each round adds
/// the cluster's round latency before its transfer. Dirtying during a round
/// uses the transfer's exact (unrounded) duration, so the mean-field fidelity
/// reproduces `M * (D/R)^i` to rounding error.
struct LiveMigration: MigrationStrategy {
    enum Phase {
        /// Copying the configuration; the paused VM is created on the target.
        case setup
        /// Waiting the round latency before the round that began at `roundStart` is sent.
        case roundLatency(roundStart: SimTime)
        /// Sending a round that began (latency included) at `roundStart`.
        case sending(roundStart: SimTime)
        /// Paused; waiting the round latency before stop-and-copy (presets whose stop-and-copy pays it).
        case stopCopyLatency(pausedAt: SimTime)
        /// Paused; sending the remaining pages and the device state.
        case stopAndCopy(pausedAt: SimTime)
        /// Paused; the VM's LUN fails over to the target.
        case switchingStorage(pausedAt: SimTime)
        /// Paused; resuming on the target and updating ARP.
        case resuming(pausedAt: SimTime)
        /// Running on the target after a timeout switched to post-copy; pulling the pages left.
        case pulling(resumedAt: SimTime)
    }

    private(set) var phase = Phase.setup
    private var precopy: Precopy
    /// Bytes stop-and-copy carries besides pages and device state (live storage's disk tail).
    var extraStopCopyBytes = 0.0
    /// Pages left on the source when a timeout switched to post-copy.
    private var postCopyPages = 0.0

    init(_ ctx: MigrationContext) { precopy = Precopy(ctx) }

    /// Whether a pre-copy round (or its latency) is under way.
    var isInRound: Bool {
        switch phase {
        case .roundLatency, .sending: return true
        default: return false
        }
    }

    mutating func start(_ ctx: MigrationContext, _ record: inout MigrationRecord) -> Next {
        phase = .setup
        return .wait(ctx.settings.setupDelay)
    }

    mutating func advance(_ event: MigrationEvent, _ ctx: MigrationContext, _ record: inout MigrationRecord) -> Next {
        switch (phase, event) {
        case (.setup, .waited):
            return beginRound(ctx)
        case (.roundLatency(let roundStart), .waited):
            return sendRound(ctx, roundStart: roundStart)
        case (.sending(let roundStart), .transferred(let done)):
            return endRound(ctx, &record, roundStart: roundStart, done: done)
        case (.stopCopyLatency(let pausedAt), .waited):
            return sendStopAndCopy(ctx, pausedAt: pausedAt)
        case (.stopAndCopy(let pausedAt), .transferred):
            return switchStorage(ctx, &record, pausedAt: pausedAt)
        case (.switchingStorage(let pausedAt), .waited):
            return resume(ctx, pausedAt: pausedAt)
        case (.resuming(let pausedAt), .waited):
            return resumed(ctx, &record, pausedAt: pausedAt)
        case (.pulling(let resumedAt), .transferred):
            record.degraded = ctx.seconds(since: resumedAt)
            return .finish
        default:
            ctx.unexpected(event, in: phase, of: "live")
        }
    }

    /// Starts the next round: round 1 sends all memory, later rounds the pages
    /// dirtied during the previous one; the round latency comes first.
    mutating func beginRound(_ ctx: MigrationContext) -> Next {
        precopy.round += 1
        precopy.roundBytes = precopy.round == 1 ? precopy.memoryBytes : precopy.pendingPages * precopy.pageSize
        if ctx.roundLatency > 0 {
            phase = .roundLatency(roundStart: ctx.now)
            return .wait(ctx.roundLatency)
        }
        return sendRound(ctx, roundStart: ctx.now)
    }

    private mutating func sendRound(_ ctx: MigrationContext, roundStart: SimTime) -> Next {
        phase = .sending(roundStart: roundStart)
        let cap = ctx.settings.rateLimit.cap(round: precopy.round, previousDirtyRate: precopy.lastDirtyRate)
        return .transfer(bytes: precopy.roundBytes, over: .network, cap: cap)
    }

    /// Counts the pages dirtied during the round, logs it, and lets the stop
    /// policy, the timeout and the round guard decide.
    private mutating func endRound(_ ctx: MigrationContext, _ record: inout MigrationRecord, roundStart: SimTime,
                                   done: FlowCompletion) -> Next {
        let settings = ctx.settings
        let duration = ctx.roundLatency + done.exactDuration
        let start = roundStart.seconds
        let throttleInRound = precopy.throttle.throttle
        let dirty = precopy.dirtied(from: start, duration: duration)
        let atMaximum = settings.rateLimit.isAtMaximum(
            settings.rateLimit.cap(round: precopy.round, previousDirtyRate: precopy.lastDirtyRate))
        precopy.totalSent += precopy.roundBytes
        if precopy.round == 1 { precopy.firstRoundBandwidth = duration > 0 ? precopy.roundBytes / duration : 0 }
        precopy.lastDirtyRate = duration > 0 ? dirty * precopy.pageSize / duration : 0
        precopy.throttle.update(mode: settings.throttle, sent: precopy.roundBytes, dirtied: dirty * precopy.pageSize,
                                duration: duration)
        precopy.maxThrottle = max(precopy.maxThrottle, precopy.throttle.throttle)
        precopy.pendingPages = dirty
        ctx.log(RoundRecord(vm: ctx.vm, kind: record.kind, stage: "memory", round: precopy.round, start: start,
                            duration: duration, bytesSent: precopy.roundBytes, dirtyPagesEnd: dirty,
                            throttle: throttleInRound))
        let observation = RoundObservation(
            round: precopy.round, memoryBytes: precopy.memoryBytes, pageSize: precopy.pageSize,
            roundBytes: precopy.roundBytes, roundDuration: duration, dirtyPages: dirty,
            totalSentBytes: precopy.totalSent, elapsed: ctx.seconds(since: ctx.startedAt),
            firstRoundBandwidth: precopy.firstRoundBandwidth, previousRoundBytes: precopy.previousRoundBytes,
            rateAtMaximum: atMaximum)
        precopy.previousRoundBytes = precopy.roundBytes

        var decision = settings.policy.decide(observation)
        if decision == .continueRounds && observation.elapsed >= settings.timeout {
            switch settings.timeoutOutcome {
            case .force: decision = .stop(.timeoutForced)
            case .abort: decision = .stop(.timeoutAborted)
            case .postCopy: decision = .stop(.timeoutPostCopy)
            }
        }
        if decision == .continueRounds && precopy.round >= settings.roundGuard { decision = .stop(.roundGuard) }

        guard case .stop(let reason) = decision else { return beginRound(ctx) }
        record.stopReason = reason
        record.rounds = precopy.round
        record.throttle = precopy.maxThrottle
        switch reason {
        case .timeoutAborted:
            record.downtime = 0
            return .abort
        case .timeoutPostCopy:
            postCopyPages = precopy.pendingPages
            return stopAndCopy(ctx, pages: 0)
        default:
            return stopAndCopy(ctx, pages: precopy.pendingPages)
        }
    }

    /// Pauses the VM and sends `pages` plus the device state (and any disk
    /// tail), after the round latency when the preset says stop-and-copy pays it.
    private mutating func stopAndCopy(_ ctx: MigrationContext, pages: Double) -> Next {
        precopy.pendingPages = pages
        if ctx.settings.policy.stopAndCopyPaysLatency && ctx.roundLatency > 0 {
            phase = .stopCopyLatency(pausedAt: ctx.now)
            return .wait(ctx.roundLatency)
        }
        return sendStopAndCopy(ctx, pausedAt: ctx.now)
    }

    private mutating func sendStopAndCopy(_ ctx: MigrationContext, pausedAt: SimTime) -> Next {
        phase = .stopAndCopy(pausedAt: pausedAt)
        let bytes = precopy.pendingPages * precopy.pageSize + ctx.spec.deviceStateBytes + extraStopCopyBytes
        return .transfer(bytes: bytes, over: .network, cap: ctx.settings.rateLimit.stopAndCopyCap)
    }

    /// Moves disk ownership: nothing with Cluster Shared Volumes, a LUN failover otherwise.
    private mutating func switchStorage(_ ctx: MigrationContext, _ record: inout MigrationRecord, pausedAt: SimTime) -> Next {
        switch ctx.settings.storageSwitch {
        case .csv:
            return resume(ctx, pausedAt: pausedAt)
        case .lun:
            let failover = ctx.draw(ctx.settings.lunFailover, "lun-failover")
            record.failover = failover
            phase = .switchingStorage(pausedAt: pausedAt)
            return .wait(failover)
        }
    }

    private mutating func resume(_ ctx: MigrationContext, pausedAt: SimTime) -> Next {
        phase = .resuming(pausedAt: pausedAt)
        return .wait(ctx.settings.resumeDelay + ctx.settings.arpDelay)
    }

    /// Running on the target: done, or (after a switch to post-copy) pull what is left in the background.
    private mutating func resumed(_ ctx: MigrationContext, _ record: inout MigrationRecord, pausedAt: SimTime) -> Next {
        record.downtime = ctx.seconds(since: pausedAt)
        guard postCopyPages > 0 else { return .finish }
        phase = .pulling(resumedAt: ctx.now)
        return .transfer(bytes: postCopyPages * precopy.pageSize, over: .network)
    }
}
