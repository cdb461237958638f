import Foundation
import MigsimKernel
import MigsimNetwork
import MigsimRandom

/// Live migration by iterative pre-copy (Hyper-V live migration, VMotion, KVM, Xen).
///
/// Phases, each a span of simulated time (DESIGN.md section 1; seeds 000, 002, 003):
/// 1. **setup**: copy the configuration and create the paused VM on the target
///    (``MigrationSettings/setupDelay``);
/// 2. **round 1** sends all pages while the VM runs;
/// 3. **round k > 1** sends the distinct pages dirtied during round k-1;
/// 4. after each round the stop policy, the timeout and the round guard decide;
///    with a continuous switch-over test (QEMU), the round ends part-way when
///    its unsent pages plus those dirtied since it began fit the downtime limit;
/// 5. **stop-and-copy**: pause, send the remaining pages plus device state;
/// 6. **switch** disk ownership (CSV: nothing; LUN: a failover delay);
/// 7. **resume** on the target and update ARP (``MigrationSettings/resumeDelay`` +
///    ``MigrationSettings/arpDelay``);
/// 8. after a timeout that switched to post-copy, **pull** the pages left.
///
/// Pages are tracked (dirty logging) through every pre-copy round, latency
/// included: ``MigrationSettings/dirtyLoggingOverhead`` of the vCPU time the
/// throttle leaves is lost then (`dirty_logging_s`); setup and stop-and-copy
/// (paused) are not counted.
///
/// Downtime runs from the pause to the end of the ARP update. Each round adds
/// the cluster's round latency before its transfer. Dirtying during a round
/// uses the transfer's exact (unrounded) duration, so the mean-field fidelity
/// reproduces `M * (D/R)^i` to rounding error with every mechanism off.
///
/// The preset's ``Mechanisms`` (sources in ``PolicyPreset/defaultMechanisms``)
/// change what goes on the wire: zero pages cost a header in round 1; a round
/// skips the pages written again before it reaches them (they are in the
/// next round's set anyway; Xen `xc_domain_save.c` `to_skip`): page by page
/// in page-exact fidelity (``SkipWalk``), in expectation otherwise; page
/// data is compressed at a ratio drawn per migration, at most as fast as the
/// sender's cores allow; stop-and-copy may ignore the pre-copy rate cap.
struct LiveMigration: MigrationStrategy {
    enum Phase {
        /// Copying the configuration; the paused VM is created on the target.
        case setup
        /// Waiting the round latency before the round that began at `roundStart` is sent.
        case roundLatency(roundStart: SimTime)
        /// Sending a round that began (latency included) at `roundStart`; with
        /// `switchoverAt`, only that share of it, then the switch-over test passes.
        case sending(roundStart: SimTime, switchoverAt: Double?)
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
    private let mechanisms: Mechanisms
    /// Wire bytes per raw byte of page data, drawn for this migration; `nil` without compression.
    private let compressionRatio: Double?
    /// Payload capacity of the network path (its narrowest resource), bytes/s:
    /// round 1's bandwidth estimate for skipping.
    private let pathCapacity: Double
    /// Bytes stop-and-copy carries besides pages and device state (live storage's disk tail).
    var extraStopCopyBytes = 0.0
    /// Pages left on the source when a timeout switched to post-copy, and the same by level.
    private var postCopyPages = 0.0, postCopyByLevel: [Double] = []
    /// Pages the current round skips, by level.
    private var roundSkipped: [Double] = []
    /// The statistical skip draws' stream, made at the first round that
    /// skips and kept: a stream made anew each round drew the same numbers
    /// in every round.
    private var skipStream: RandomStream?
    /// Pages the current round sends, by level (skipped pages excluded).
    private var roundSendByLevel: [Double] = []
    /// Zero pages a part-way round 1 left unsent: the next transfer (a round
    /// or stop-and-copy) carries them as headers. And the zero pages of the
    /// current round.
    private var carriedZeroPages = 0.0, roundZeroPages = 0.0
    /// XBZRLE: the share of the current transfer's pages that hit the cache,
    /// and the pages (by level) the last round sent through the cache (none
    /// before the second pass).
    private var xbzrleHitShare = 0.0
    private var cachedByLevel: [Double] = [], cachedPages = 0.0
    /// Wire bytes of the current round (after compression).
    private var roundWireBytes = 0.0
    /// Bytes/s of page data achieved by the last round.
    private var lastBandwidth = 0.0
    /// vCPU seconds lost to throttling so far.
    private var throttledSeconds = 0.0
    /// Equivalent seconds lost to dirty-page tracking so far (``MigrationSettings/dirtyLoggingOverhead``).
    private var dirtyLoggingSeconds = 0.0
    /// Stop-and-copy's wire bytes and page payload.
    private var stopCopyWireBytes = 0.0, stopCopyPayloadBytes = 0.0

    init(_ ctx: MigrationContext) {
        precopy = Precopy(ctx, skips: ctx.settings.mechanisms.skipRedirtied)
        mechanisms = ctx.settings.mechanisms
        compressionRatio = mechanisms.compression.map { min(1, max(1e-6, ctx.draw($0.ratio, "compression-ratio"))) }
        pathCapacity = ctx.pathCapacity
    }

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
        case (.sending(let roundStart, let share), .transferred(let done)):
            return endRound(ctx, &record, roundStart: roundStart, done: done, switchoverAt: share)
        case (.stopCopyLatency(let pausedAt), .waited):
            return sendStopAndCopy(ctx, pausedAt: pausedAt)
        case (.stopAndCopy(let pausedAt), .transferred(let done)):
            let seconds = done.exactDuration
            record.stopCopyBitsPerSecond = seconds > 0 ? stopCopyWireBytes * 8 / seconds : nil
            note(&record, wire: stopCopyWireBytes - ctx.spec.deviceStateBytes - extraStopCopyBytes,
                 payload: stopCopyPayloadBytes, round: precopy.round + 1)
            return switchStorage(ctx, &record, pausedAt: pausedAt)
        case (.switchingStorage(let pausedAt), .waited):
            return resume(ctx, pausedAt: pausedAt)
        case (.resuming(let pausedAt), .waited):
            return resumed(ctx, &record, pausedAt: pausedAt)
        case (.pulling(let resumedAt), .transferred(let done)):
            record.degraded = ctx.seconds(since: resumedAt)
            precopy.pagesSent += postCopyPages
            let start = resumedAt.seconds
            let accesses = precopy.rate.writes(from: start, to: start + done.exactDuration) * (1 - precopy.throttle.throttle)
                * ctx.spec.workload.accessesPerWrite
            PostCopyMigration.recordFaults(&record, ctx, remote: postCopyByLevel,
                                           set: precopy.model.set, accesses: accesses, pageSize: precopy.pageSize, push: done)
            return finished(ctx)
        default:
            ctx.unexpected(event, in: phase, of: "live")
        }
    }

    /// Starts the next round: round 1 sends all memory, later rounds the pages
    /// dirtied during the previous one; the round latency comes first.
    mutating func beginRound(_ ctx: MigrationContext) -> Next {
        precopy.round += 1
        precopy.roundCap = ctx.settings.rateLimit.cap(round: precopy.round, previousCap: precopy.roundCap,
                                                      previousDirtyRate: precopy.lastDirtyRate)
        // The send set: every page in use (round 1), else the pages pending.
        // Bound as an array only where one is needed (skipping, the continuous
        // switch-over, XBZRLE): this runs once per round of every migration,
        // and a binding or a for-in loop cost a retain and a release.
        let first = precopy.round == 1
        let levelCount = first ? precopy.model.set.levels.count : precopy.pendingByLevel.count
        if mechanisms.skipRedirtied {
            roundSkipped = skips(ctx, first ? precopy.model.set.levelPages : precopy.pendingByLevel)
        } else if roundSkipped.count != levelCount {
            roundSkipped = [Double](repeating: 0, count: levelCount)  // once: no skipping, no array per round
        }
        if mechanisms.continuousSwitchover || mechanisms.compression?.xbzrleCacheBytes != nil {
            let send = first ? precopy.model.set.levelPages : precopy.pendingByLevel
            roundSendByLevel = zip(send, roundSkipped).map { $0 - $1 }
        }
        var pages = 0.0
        if first {
            let levels = precopy.model.set.levels
            for i in levels.indices { pages += Double(levels[i].pages) }
        } else {
            for i in precopy.pendingByLevel.indices { pages += precopy.pendingByLevel[i] }
        }
        for i in roundSkipped.indices { pages -= roundSkipped[i] }
        roundZeroPages = first ? precopy.zeroPages : carriedZeroPages
        carriedZeroPages = 0
        let zeroBytes = roundZeroPages * (mechanisms.zeroPageBytes ?? precopy.pageSize)
        precopy.roundBytes = pages * precopy.pageSize + zeroBytes
        precopy.roundPages = pages + roundZeroPages
        precopy.pagesSent += precopy.roundPages
        xbzrleHitShare = xbzrleHits(send: roundSendByLevel, pages: pages)
        roundWireBytes = precopy.roundBytes * compression(round: precopy.round)
        if ctx.roundLatency > 0 {
            phase = .roundLatency(roundStart: ctx.now)
            return .wait(ctx.roundLatency)
        }
        return sendRound(ctx, roundStart: ctx.now)
    }

    private mutating func sendRound(_ ctx: MigrationContext, roundStart: SimTime) -> Next {
        // Tested here, not in the callee: calling it copied the whole state to test one flag.
        let share = mechanisms.continuousSwitchover ? switchoverPoint(ctx) : nil
        phase = .sending(roundStart: roundStart, switchoverAt: share)
        return .transfer(bytes: roundWireBytes * (share ?? 1), over: .network, cap: wireCap(ctx, round: precopy.round),
                         streams: mechanisms.channels, streamCeiling: mechanisms.streamCeiling)
    }

    /// The share of the round sent when QEMU's switch-over test first passes
    /// part-way through it, or `nil` when it does not (the round-end test decides).
    ///
    /// QEMU (`migration/migration.c`, `migration_iteration_run`) compares the
    /// pending estimate (every dirty page in the bitmap at full page size,
    /// zero pages too) with `threshold_size` = bandwidth x downtime limit on
    /// every pass of the migration thread; below it, it syncs the dirty
    /// bitmap and completes if the exact pending is still below. Here: the
    /// first share φ of the round at which the pages still to send, united
    /// with the pages dirtied since the round began (expected, at the last
    /// round's write rate; independent within a level, as at the round's
    /// end), are at most the threshold, in page-size bytes; the bandwidth is
    /// the last round's (round 1: the path's, under the cap), as for skipping.
    /// Only with ``Mechanisms/continuousSwitchover`` (its caller tests it).
    private func switchoverPoint(_ ctx: MigrationContext) -> Double? {
        guard let limit = ctx.settings.policy.switchoverDowntime(elapsed: ctx.seconds(since: ctx.startedAt),
                                                                 dataGB: NovaPolicy.dataGB(memoryBytes: precopy.memoryBytes))
        else { return nil }
        let round = precopy.round
        let bandwidth = min(round == 1 ? pathCapacity : lastBandwidth, wireCap(ctx, round: round) / compression(round: round))
        guard bandwidth > 0, bandwidth.isFinite, precopy.roundBytes > 0 else { return nil }
        // QEMU's threshold comes from the wire rate (payload rate x the
        // compression ratio); aimed a hair (1e-9) inside it, so the test at the
        // round's end, on the pages really pending, passes despite rounding.
        let threshold = bandwidth * compression(round: round) * limit * (1 - 1e-9)
        let estimate = precopy.roundPages * precopy.pageSize
        guard estimate > threshold else { return nil }
        let seconds = precopy.roundBytes / bandwidth
        let writeRate = round == 1 ? precopy.rate.rate(at: ctx.seconds) * (1 - precopy.throttle.throttle) : precopy.lastWriteRate
        let set = precopy.model.set
        let zero = roundZeroPages, latency = ctx.roundLatency
        func pending(_ share: Double) -> Double {
            let dirty = set.expectedDistinctByLevel(writes: writeRate * (latency + share * seconds))
            var pages = (1 - share) * zero
            for (i, level) in set.levels.enumerated() {
                let unsent = (1 - share) * roundSendByLevel[i]
                pages += unsent + dirty[i] - dirty[i] * min(1, unsent / Double(level.pages))
            }
            return pages * precopy.pageSize
        }
        // pending need not fall monotonically (dirtying can outpace sending late
        // in a round): scan 64 steps for the first share at or below the
        // threshold, then bisect inside that step.
        let start = max(0, 1 - threshold / estimate)
        if pending(start) <= threshold { return start < 1 ? start : nil }
        var lo = start, hi = -1.0
        for i in 1...64 {
            let u = start + (1 - start) * Double(i) / 64
            if pending(u) <= threshold { hi = u; break }
            lo = u
        }
        guard hi >= 0 else { return nil }
        for _ in 0..<60 {
            let mid = (lo + hi) / 2
            if pending(mid) <= threshold { hi = mid } else { lo = mid }
        }
        return hi < 1 ? hi : nil
    }

    /// Wire bytes per payload byte in `round` (1 without compression, or before its first round).
    ///
    /// This and the other small helpers of every round are inlined: a call
    /// from a mutating method to one that does not mutate copied the whole
    /// state first (about 650 bytes, and a retain and release of each array in it).
    @inline(__always) private func compression(round: Int) -> Double {
        guard let r = compressionRatio, let c = mechanisms.compression, round >= c.fromRound else { return 1 }
        if c.xbzrleCacheBytes != nil { return 1 - xbzrleHitShare * (1 - r) }
        return r
    }

    /// The share of `pages` (by level, `send`) that hit QEMU's XBZRLE cache:
    /// those the last round also sent (independent within a level) and that
    /// kept their slot. The cache is direct-mapped by page address and an
    /// entry younger than two generations is not replaced
    /// (`migration/page_cache.c`, `cache_insert`, `CACHED_PAGE_LIFETIME`), so
    /// of `m` pages inserted into `s` slots about `s (1 - exp(-m/s))` stay:
    /// each hits with probability `(s / m)(1 - exp(-m / s))`.
    @inline(__always) private func xbzrleHits(send: [Double], pages: Double) -> Double {
        guard let cache = mechanisms.compression?.xbzrleCacheBytes, cachedPages > 0, pages > 0 else { return 0 }
        let slots = (cache / precopy.pageSize).rounded(.down)
        let kept = slots / cachedPages * -expm1(-cachedPages / slots)
        var hits = 0.0
        for (i, level) in precopy.model.set.levels.enumerated() where i < send.count && i < cachedByLevel.count {
            hits += send[i] * min(1, cachedByLevel[i] / Double(level.pages))
        }
        return min(1, hits * kept / pages)
    }

    /// The cap on the wire rate of a round: the rate limit (on payload
    /// bytes, as QEMU and Xen count them) and the compressing cores' speed,
    /// both turned into wire bytes.
    @inline(__always) private func wireCap(_ ctx: MigrationContext, round: Int) -> Double {
        let r = compression(round: round)
        var cap = precopy.roundCap * r
        if r < 1, let c = mechanisms.compression { cap = min(cap, c.rawRateCeiling * r) }
        return cap
    }

    /// Pages of the send set (by level) written again before the round
    /// reaches them (Xen `to_skip`), at the last round's bandwidth (round 1:
    /// the path's capacity) under the rate cap.
    ///
    /// Page-exact: Xen's walk page by page (``SkipWalk``; on a working-set
    /// curve, which has no page identity, the binomial below). Mean-field:
    /// the walk's expectation ``Precopy/expectedSkips(_:writeRate:seconds:latency:)``
    /// (skipped pages take no time; the round latency counts), at the last
    /// round's write rate. Statistical: a binomial draw per level with that probability,
    /// from one stream for the whole migration (``skipStream``).
    private mutating func skips(_ ctx: MigrationContext, _ send: [Double]) -> [Double] {
        let round = precopy.round
        let r = compression(round: round)
        let bandwidth = min(round == 1 ? pathCapacity : lastBandwidth, wireCap(ctx, round: round) / r)
        if let walk = precopy.skipWalk { return walkSkips(ctx, walk, send, bandwidth: bandwidth) }
        guard bandwidth > 0, bandwidth.isFinite else { return [Double](repeating: 0, count: send.count) }
        var all = 0.0
        for p in send { all += p }
        let seconds = all * precopy.pageSize / bandwidth
        let writeRate = round == 1 ? precopy.rate.rate(at: ctx.seconds) * (1 - precopy.throttle.throttle) : precopy.lastWriteRate
        let e = precopy.expectedSkips(send, writeRate: writeRate, seconds: seconds, latency: ctx.roundLatency)
        guard ctx.settings.fidelity != .meanField else { return e }
        if skipStream == nil { skipStream = ctx.stream("skip-pages") }
        let s = skipStream!
        func draw(_ n: Double, _ expected: Double) -> Double {
            guard n >= 1, expected > 0 else { return 0 }
            return Double(s.binomial(p: min(1, expected / n), n: UInt32(min(n, 4e9))))
        }
        return zip(send, e).map { draw($0, $1) }
    }

    /// Page-exact skipping: Xen's walk over the round's send set, paced at
    /// `bandwidth` (payload bytes/s) after the round latency, with the
    /// VM's writes (throttled as in the round) placed ahead of time on a
    /// look-ahead copy of its write process. With no usable bandwidth
    /// estimate every peek comes at the round's start, so nothing is
    /// skipped, as in the expectation.
    private func walkSkips(_ ctx: MigrationContext, _ walk: SkipWalk, _ send: [Double], bandwidth: Double) -> [Double] {
        let zeroPages = precopy.round == 1 ? precopy.zeroPages : carriedZeroPages
        #if DEBUG
        precondition(walk.sendByLevel.map(Double.init) == send && Double(walk.sendZeroPages) == zeroPages,
                     "VM \(ctx.vm): the skip walk's send set is not the round's")
        #endif
        let paced = bandwidth > 0 && bandwidth.isFinite
        let zeroBytes = mechanisms.zeroPageBytes ?? precopy.pageSize
        let timeline = SkipWalk.Timeline(latency: ctx.roundLatency, secondsPerByte: paced ? 1 / bandwidth : 0,
                                         pageBytes: precopy.pageSize, zeroPageBytes: zeroBytes)
        var process = precopy.rate.lookahead()
        let start = ctx.seconds, unthrottled = 1 - precopy.throttle.throttle
        var t = 0.0, writes = 0.0
        func clock(_ t1: Double) -> Double {
            guard paced else { return 0 }
            writes += process.writes(from: start + t, to: start + t1) * unthrottled
            t = t1
            return writes
        }
        // Only to choose between drawing write by write and page by page.
        var pages = 0.0
        for p in send { pages += p }
        let seconds = paced ? ctx.roundLatency + (pages * precopy.pageSize + zeroPages * zeroBytes) / bandwidth : 0
        let writeRate = precopy.round == 1 ? precopy.rate.rate(at: ctx.seconds) * unthrottled : precopy.lastWriteRate
        return walk.begin(timeline, clock: clock, writes: .sampled(estimated: writeRate * seconds)).map(Double.init)
    }

    /// Counts the pages dirtied during the round, logs it, and lets the stop
    /// policy, the timeout and the round guard decide.
    private mutating func endRound(_ ctx: MigrationContext, _ record: inout MigrationRecord, roundStart: SimTime,
                                   done: TransferDone, switchoverAt share: Double?) -> Next {
        let duration = ctx.roundLatency + done.exactDuration
        let start = roundStart.seconds
        let throttleInRound = precopy.throttle.throttle
        var dirtyByLevel = precopy.dirtied(from: start, duration: duration)
        // A switch-over part-way: only `share` of the round went; the rest
        // (zero pages as headers) goes with stop-and-copy.
        var unsentByLevel: [Double] = []
        var walkedPending: [Double]?
        if let share {
            let unsent = 1 - share
            if let walk = precopy.skipWalk {
                // Page by page: the pages of the send set not wholly sent join the next set.
                let tail = walk.carryUnsent(share: share)
                walkedPending = tail.byLevel.map(Double.init)
                carriedZeroPages = Double(tail.zeroPages)
                precopy.pagesSent -= Double(tail.pages)
            } else {
                unsentByLevel = roundSendByLevel.map { $0 * unsent }
                carriedZeroPages = roundZeroPages * unsent
                precopy.pagesSent -= precopy.roundPages * unsent
            }
            precopy.roundBytes *= share
            precopy.roundPages *= share
            roundWireBytes *= share
        }
        var dirty = 0.0
        for i in dirtyByLevel.indices { dirty += dirtyByLevel[i] }  // index loops: a for-in retains the array
        let atMaximum = ctx.settings.rateLimit.isAtMaximum(precopy.roundCap)
        precopy.totalSent += precopy.roundBytes
        if precopy.round == 1 { precopy.firstRoundBandwidth = duration > 0 ? precopy.roundBytes / duration : 0 }
        precopy.lastDirtyRate = duration > 0 ? dirty * precopy.pageSize / duration : 0
        precopy.throttle.update(mode: ctx.settings.throttle, sent: precopy.roundBytes, dirtied: dirty * precopy.pageSize,
                                duration: duration)
        precopy.maxThrottle = max(precopy.maxThrottle, precopy.throttle.throttle)
        // Skipped pages were written during the round, so they are dirty now
        // (max guards the sampled fidelities against drawing fewer dirty than
        // skipped; the page-exact walk marks them dirty itself).
        // After a switch-over part-way, pending is the union of the unsent
        // pages and the dirtied ones (independent within a level; the walk's bitmaps exactly).
        if var walkedPending {
            precopy.setPending(&walkedPending)
        } else if unsentByLevel.isEmpty {
            // In place: the array is this round's own (no allocation per round).
            for i in 0..<min(dirtyByLevel.count, roundSkipped.count) { dirtyByLevel[i] = max(dirtyByLevel[i], roundSkipped[i]) }
            if dirtyByLevel.count > roundSkipped.count { dirtyByLevel.removeLast(dirtyByLevel.count - roundSkipped.count) }
            precopy.setPending(&dirtyByLevel)
        } else {
            let levels = precopy.model.set.levels
            var pending = zip(dirtyByLevel, roundSkipped).enumerated().map { i, d in
                let dirty = max(d.0, d.1), unsent = unsentByLevel[i]
                return unsent + dirty - dirty * min(1, unsent / Double(levels[i].pages))
            }
            precopy.setPending(&pending)
        }
        precopy.pendingPages += carriedZeroPages
        lastBandwidth = duration > 0 ? precopy.roundBytes / duration : 0
        if mechanisms.compression?.xbzrleCacheBytes != nil {
            // From the second pass on, every page sent passes through the cache.
            cachedByLevel = precopy.round >= 2 ? roundSendByLevel.map { $0 * (share ?? 1) } : []
            cachedPages = cachedByLevel.reduce(0, +)
        }
        note(&record, wire: roundWireBytes, payload: precopy.roundBytes, round: precopy.round)
        var skipped = 0.0
        for i in roundSkipped.indices { skipped += roundSkipped[i] }
        if mechanisms.skipRedirtied { record.skippedBytes = (record.skippedBytes ?? 0) + skipped * precopy.pageSize }
        throttledSeconds += throttleInRound * duration
        // Pages are tracked for the whole round; the overhead slows only the vCPU time the throttle left.
        dirtyLoggingSeconds += ctx.settings.dirtyLoggingOverhead * (1 - throttleInRound) * duration
        ctx.log(RoundRecord(vm: ctx.vm, kind: record.kind, stage: "memory", round: precopy.round, start: start,
                            duration: duration, bytesSent: precopy.roundBytes, dirtyPagesEnd: dirty,
                            throttle: throttleInRound, skippedPages: mechanisms.skipRedirtied ? skipped : nil,
                            encodedBytes: compressionRatio == nil ? nil : roundWireBytes))
        let sentPages = precopy.roundBytes == 0 ? 0 : precopy.roundPages
        let observation = RoundObservation(
            round: precopy.round, memoryBytes: precopy.memoryBytes, pageSize: precopy.pageSize,
            roundBytes: precopy.roundBytes, roundDuration: duration, dirtyPages: share == nil ? dirty : precopy.pendingPages,
            totalSentBytes: precopy.totalSent, elapsed: ctx.seconds(since: ctx.startedAt),
            firstRoundBandwidth: precopy.firstRoundBandwidth, previousRoundBytes: precopy.previousRoundBytes,
            rateAtMaximum: atMaximum, sentPages: sentPages, skippedPages: skipped, wireBytes: roundWireBytes)
        precopy.previousRoundBytes = precopy.roundBytes

        // After a part-way round the test runs again on what is really pending
        // (unsent and dirtied) at the bandwidth really achieved, as QEMU's exact
        // pending after its bitmap sync: still above the threshold, pre-copy
        // goes on, and the next round sends that set.
        var decision = ctx.settings.policy.decide(observation)
        if decision == .continueRounds && observation.elapsed >= ctx.settings.timeout {
            switch ctx.settings.timeoutOutcome {
            case .force: decision = .stop(.timeoutForced)
            case .abort: decision = .stop(.timeoutAborted)
            case .postCopy: decision = .stop(.timeoutPostCopy)
            }
        }
        if decision == .continueRounds && precopy.round >= ctx.settings.roundGuard { decision = .stop(.roundGuard) }

        guard case .stop(let reason) = decision else { return beginRound(ctx) }
        record.stopReason = reason
        record.rounds = precopy.round
        record.throttle = precopy.maxThrottle
        if ctx.settings.throttle != .none { record.throttleSeconds = throttledSeconds }
        if ctx.settings.dirtyLoggingOverhead > 0 { record.dirtyLoggingSeconds = dirtyLoggingSeconds }
        switch reason {
        case .timeoutAborted:
            record.downtime = 0
            return .abort
        case .timeoutPostCopy:
            postCopyPages = precopy.pendingPages
            postCopyByLevel = precopy.pendingByLevel
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
        let pageBytes = (precopy.pendingPages - carriedZeroPages) * precopy.pageSize
            + carriedZeroPages * (mechanisms.zeroPageBytes ?? precopy.pageSize)
        precopy.pagesSent += precopy.pendingPages
        let round = precopy.round + 1
        xbzrleHitShare = xbzrleHits(send: precopy.pendingByLevel, pages: precopy.pendingPages)
        let r = compression(round: round)
        stopCopyWireBytes = pageBytes * r + ctx.spec.deviceStateBytes + extraStopCopyBytes
        stopCopyPayloadBytes = pageBytes
        // Capped: at the rate the next round would get (Xen's 2005 build writes
        // the last iteration through `ratewrite` at the current adaptive rate).
        let payloadCap = ctx.settings.rateLimit.cap(round: round, previousCap: precopy.roundCap,
                                                    previousDirtyRate: precopy.lastDirtyRate)
        var cap = mechanisms.uncappedStopAndCopy ? .infinity : payloadCap * r
        if r < 1, let c = mechanisms.compression { cap = min(cap, c.rawRateCeiling * r) }
        return .transfer(bytes: stopCopyWireBytes, over: .network, cap: cap, streams: mechanisms.channels,
                         streamCeiling: mechanisms.streamCeiling)
    }

    /// Adds a transfer's savings to the record: zero pages (round 1), compression.
    @inline(__always) private func note(_ record: inout MigrationRecord, wire: Double, payload: Double, round: Int) {
        if round == 1, let z = mechanisms.zeroPageBytes {
            record.zeroPageBytesSaved = precopy.zeroPages * (precopy.pageSize - z)
        }
        if compressionRatio != nil, let c = mechanisms.compression {
            let compressed = compression(round: round) < 1
            record.compressionBytesSaved = (record.compressionBytesSaved ?? 0) + (payload - wire)
            record.compressionCPUSeconds = (record.compressionCPUSeconds ?? 0) + (compressed ? payload / c.bytesPerCoreSecond : 0)
        }
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
        guard postCopyPages > 0 else { return finished(ctx) }
        phase = .pulling(resumedAt: ctx.now)
        return .transfer(bytes: postCopyPages * precopy.pageSize, over: .network)
    }

    /// The VM runs on the target. Debug builds check that every page was sent
    /// at least once (zero pages as headers count; skipped pages were sent
    /// later, as pages dirty since), which holds with every mechanism on.
    private func finished(_ ctx: MigrationContext) -> Next {
        #if DEBUG
        let pages = precopy.inUsePages + precopy.zeroPages
        precondition(precopy.pagesSent >= pages * (1 - 1e-9),
                     "live migration of VM \(ctx.vm) sent \(precopy.pagesSent) of its \(pages) pages")
        #endif
        return .finish
    }
}
