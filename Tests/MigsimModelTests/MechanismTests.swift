import Foundation
import MigsimModel
import XCTest

/// The real systems' mechanisms (issue 13), each on a hand-derived case.
final class MechanismTests: XCTestCase {
    let GiB = Units.GiB
    let page = 4096.0

    func migrate(_ vm: VMSpec, _ s: MigrationSettings, link: Double = 1e9) throws -> (MigrationRecord, [RoundRecord]) {
        let sim = try Fixture.migrate([vm], cluster: Fixture.cluster(link: link), settings: s)
        return (try XCTUnwrap(sim.records.first), sim.rounds)
    }

    /// QEMU lifts `max-bandwidth` for stop-and-copy: the remainder R goes at
    /// the link's rate L instead of the cap C, so downtime is R / L, not R / C.
    func testUncappedStopAndCopySendsTheRemainderAtLineRate() throws {
        let C = 100e6, L = 1e9
        var s = Fixture.settings(.qemu(QEMUPolicy(downtimeLimit: 0.05)))
        s.rateLimit = .fixed(C)
        let vm = Fixture.vm(memory: GiB, rate: 0.3 * C / page)  // lambda = 0.3 under the cap
        let (capped, rounds) = try migrate(vm, s, link: L)
        s.mechanisms.uncappedStopAndCopy = true
        let (uncapped, rounds2) = try migrate(vm, s, link: L)
        XCTAssertEqual(rounds.count, rounds2.count, "the rounds do not change")
        let remainder = try XCTUnwrap(rounds.last).dirtyPagesEnd * page
        XCTAssertGreaterThan(remainder, 0)
        XCTAssertEqual(capped.downtime!, remainder / C, accuracy: 1e-9 * remainder / C + 2e-9)
        XCTAssertEqual(uncapped.downtime!, remainder / L, accuracy: 1e-9 * remainder / L + 2e-9)
        XCTAssertEqual(uncapped.stopCopyBitsPerSecond!, L * 8, accuracy: L * 8 * 1e-6)
        XCTAssertEqual(capped.bytesSent, uncapped.bytesSent, accuracy: 1e-6)
    }

    /// A quarter of memory in use: round 1 sends the used pages whole and each
    /// never-written page as QEMU's 9-byte zero-page record; quick migration
    /// saves the same used memory.
    func testZeroPagesCostAHeaderInRoundOne() throws {
        var s = Fixture.settings()
        s.mechanisms.zeroPageBytes = 9
        var vm = Fixture.vm(memory: GiB, rate: 0)
        vm.memoryInUse = 0.25
        let (r, rounds) = try migrate(vm, s)
        let pages = GiB / page, used = (pages * 0.25).rounded(), zero = pages - used
        XCTAssertEqual(rounds.count, 1)
        XCTAssertEqual(rounds[0].bytesSent, used * page + zero * 9)
        XCTAssertEqual(r.bytesSent, used * page + zero * 9, accuracy: 1e-6)
        XCTAssertEqual(r.zeroPageBytesSaved!, zero * (page - 9))
        // Off: every page whole, and no saving reported.
        let (off, _) = try migrate(vm, Fixture.settings())
        XCTAssertEqual(off.bytesSent, GiB)
        XCTAssertNil(off.zeroPageBytesSaved)
        // memory_in_use means the same for quick migration: it saves the used memory.
        let quick = try Fixture.migrate([vm], kind: .quick, settings: s).records[0]
        XCTAssertEqual(quick.bytesSent, 2 * 0.25 * GiB, accuracy: 1)
        // Post-copy pushes every page once, zero pages as headers.
        let post = try Fixture.migrate([vm], kind: .postCopy, settings: s).records[0]
        XCTAssertEqual(post.bytesSent, used * page + zero * 9, accuracy: 1e-6)
    }

    /// Xen's `to_skip`: round 1 of a VM writing w pages/s uniformly over N
    /// pages, sent over a link of L bytes/s in T = N x 4096 / L if nothing
    /// were skipped, skips the pages written before the walk reached them,
    /// and a skipped page takes no time: N (1 - ln(1 + x) / x) with
    /// x = w T / N, in expectation (mean-field; the walk's fluid limit, to the
    /// numerical integration's 1e-6).
    func testSkippedPagesInRoundOneFollowTheFormula() throws {
        var s = Fixture.settings(.xenLegacy(.released))
        s.mechanisms.skipRedirtied = true
        let w = 50_000.0, L = 1e9
        let vm = Fixture.vm(memory: GiB, rate: w, counting: .poisson)
        let (r, rounds) = try migrate(vm, s, link: L)
        let N = GiB / page, T = GiB / L, x = w * T / N
        let skipped = N * (1 - log1p(x) / x)
        XCTAssertEqual(rounds[0].skippedPages!, skipped, accuracy: 1e-6 * skipped)
        XCTAssertEqual(rounds[0].bytesSent, (N - skipped) * page, accuracy: 1e-6 * page)
        XCTAssertLessThan(rounds[0].bytesSent, GiB, "a busy VM's round 1 sends less than its memory")
        // Skipped pages were written during round 1, so round 2 carries them.
        XCTAssertGreaterThanOrEqual(rounds[0].dirtyPagesEnd, skipped)
        XCTAssertEqual(r.skippedBytes!, rounds.compactMap(\.skippedPages).reduce(0, +) * page, accuracy: 1e-3)
        // Every page is still sent at least once (debug builds also check this at the end).
        let sentPages = rounds.reduce(0) { $0 + $1.bytesSent } / page + rounds.last!.dirtyPagesEnd
        XCTAssertGreaterThanOrEqual(sentPages, N * (1 - 1e-9))
    }

    /// The statistical fidelity draws the skipped pages binomially around the
    /// mean-field expectation: over 400 seeds, round 1's mean is within 1 %
    /// (about 10 standard errors of the mean at these counts). Page-exact
    /// walks Xen's batches page by page instead, and its mean is the walk's
    /// (`SkipWalkTests`), below this expectation.
    func testSampledSkipsAverageToTheExpectation() throws {
        var s = Fixture.settings(.xenLegacy(.released), fidelity: .meanField)
        s.mechanisms.skipRedirtied = true
        let vm = Fixture.vm(memory: 256 * Units.MiB, rate: 20_000, counting: .poisson, hotFraction: 0.1, hotShare: 0.9)
        let expected = try XCTUnwrap(migrate(vm, s, link: 1e8).1.first?.skippedPages)
        XCTAssertGreaterThan(expected, 1000)
        for fidelity in [Fidelity.statistical] {
            s.fidelity = fidelity
            var sum = 0.0
            for seed in 1...400 {
                let sim = try Fixture.migrate([vm], cluster: Fixture.cluster(link: 1e8), settings: s, seed: UInt64(seed))
                sum += try XCTUnwrap(sim.rounds.first?.skippedPages)
            }
            XCTAssertEqual(sum / 400, expected, accuracy: 0.01 * expected, "\(fidelity)")
        }
    }

    /// Statistical skipping draws each round's skips from the continuing
    /// stream of the migration. A VM that writes 1e6 pages/s into its hot set
    /// (6,553 pages) dirties almost all of it in every round; with the skip
    /// stream made anew each round (the same numbers each time), rounds 2-7
    /// sent exactly the same bytes (606,208 each at seed 3). Drawn from one
    /// stream, the rounds' bytes differ.
    func testStatisticalSkipsDrawNewNumbersEachRound() throws {
        var s = Fixture.settings(.custom(CustomPolicy(maxRounds: 8)), fidelity: .statistical)
        s.mechanisms.skipRedirtied = true
        s.rateLimit = .unlimited
        let vm = Fixture.vm(memory: 256 * Units.MiB, rate: 1e6, counting: .linear, hotFraction: 0.1, hotShare: 1)
        let sim = try Fixture.migrate([vm], cluster: Fixture.cluster(link: 1e8), settings: s, seed: 3)
        let later = sim.rounds.filter { $0.round >= 2 && $0.round <= 7 }
        XCTAssertEqual(later.count, 6)
        XCTAssertGreaterThan(Set(later.map(\.bytesSent)).count, 1, "bytes per round \(later.map(\.bytesSent))")
        for r in later { XCTAssertGreaterThan(r.skippedPages ?? 0, 0) }
    }

    /// Compression at ratio 0.5 with one core compressing 100 MB/s on a
    /// 1 GB/s link: the wire carries M / 2, but the core caps the raw rate at
    /// 100 MB/s, so an idle VM takes M / 100 MB/s, ten times the uncompressed time.
    func testCompressionCanMakeAMigrationSlowerOnAFastLink() throws {
        var s = Fixture.settings()
        s.mechanisms.compression = Compression(method: "test", ratio: try .constant(0.5), bytesPerCoreSecond: 100e6, cores: 1)
        let vm = Fixture.vm(memory: GiB, rate: 0)
        let (r, rounds) = try migrate(vm, s)
        XCTAssertEqual(rounds[0].encodedBytes!, GiB / 2)
        XCTAssertEqual(r.bytesSent, GiB / 2, accuracy: 1e-6)
        XCTAssertEqual(r.totalTime!, GiB / 100e6, accuracy: 1e-6)
        XCTAssertEqual(r.compressionBytesSaved!, GiB / 2, accuracy: 1e-6)
        XCTAssertEqual(r.compressionCPUSeconds!, GiB / 100e6, accuracy: 1e-9)
        let (plain, _) = try migrate(vm, Fixture.settings())
        XCTAssertEqual(plain.totalTime!, GiB / 1e9, accuracy: 1e-8)
        XCTAssertNil(plain.compressionBytesSaved)
    }

    /// Post-copy faults from reads and writes: with half the accesses reads,
    /// a VM writing w pages/s accesses 2w pages/s; over a push of T = M / L
    /// the expected faults are N (1 - (1 - e^-x) / x), x = 2 w T / N; each
    /// costs a round trip (2 x 1 ms) plus a page at L.
    /// QEMU's continuous switch-over on an idle VM with a quarter of memory in
    /// use and 9-byte zero pages: round 1 ends at the share φ = 1 - θ/E where
    /// the pending estimate E (every page at 4 KiB, zero pages too) falls to
    /// θ = R x 0.3 s; stop-and-copy carries the rest, its zero pages still as
    /// headers. Every page goes once: bytes = used x 4096 + zero x 9 exactly,
    /// one round, and downtime = (1 - φ) x round 1's bytes / R.
    func testContinuousSwitchOverCarriesZeroPagesIntoStopAndCopy() throws {
        let R = 1e9
        var s = Fixture.settings(.qemu(QEMUPolicy()))
        s.mechanisms.zeroPageBytes = 9
        s.mechanisms.continuousSwitchover = true
        var vm = Fixture.vm(memory: GiB, rate: 0)
        vm.memoryInUse = 0.25
        let (r, rounds) = try migrate(vm, s, link: R)
        let pages = GiB / page, used = (pages * 0.25).rounded(), zero = pages - used
        let roundBytes = used * page + zero * 9
        XCTAssertEqual(r.bytesSent, roundBytes, accuracy: 1e-6)
        XCTAssertEqual(r.rounds, 1)
        let theta = R * 0.3 * (1 - 1e-9), estimate = pages * page
        XCTAssertEqual(rounds[0].bytesSent, (1 - theta / estimate) * roundBytes, accuracy: 1e-3)
        XCTAssertEqual(try XCTUnwrap(r.downtime), theta / estimate * roundBytes / R, accuracy: 2e-9)
        XCTAssertLessThan(try XCTUnwrap(r.downtime), 0.3)
        XCTAssertEqual(r.stopReason, .downtimeTarget)
    }

    /// XBZRLE: a 1 % hot set rewritten every round. Round 2 fills the cache
    /// (no hits); from round 3 each hot page was sent last round and kept its
    /// slot with probability `(s/m)(1 - exp(-m/s))` (m pages into s = 64 MiB /
    /// 4 KiB slots), and then costs 0.1 of a page: the round's wire bytes are
    /// `bytes x (1 - kept x 0.9)`, to 1e-9. Round 1 is never encoded.
    func testXBZRLEEncodesHitsFromTheThirdRound() throws {
        var s = Fixture.settings()
        s.mechanisms.compression = try Compression.xbzrle(cacheBytes: 64 * 1_048_576, deltaShare: 0.1)
        let vm = Fixture.vm(memory: GiB, rate: 1e6, hotFraction: 0.01)
        let (record, rounds) = try migrate(vm, s)
        XCTAssertGreaterThanOrEqual(rounds.count, 4)
        let m = (GiB / page * 0.01).rounded(.down), slots = 64 * 1_048_576 / page
        let kept = slots / m * -expm1(-m / slots)
        XCTAssertEqual(rounds[0].encodedBytes ?? -1, rounds[0].bytesSent, "round 1 is sent whole")
        XCTAssertEqual(rounds[1].encodedBytes ?? -1, rounds[1].bytesSent, "round 2 only fills the cache")
        for r in rounds.dropFirst(2) {
            XCTAssertEqual(r.bytesSent, m * page, accuracy: 1e-6)
            XCTAssertEqual(try XCTUnwrap(r.encodedBytes), r.bytesSent * (1 - kept * 0.9), accuracy: 1e-9 * r.bytesSent)
        }
        XCTAssertGreaterThan(try XCTUnwrap(record.compressionBytesSaved), 0)
        // A cache too small for the hot set keeps fewer of its pages.
        s.mechanisms.compression = try Compression.xbzrle(cacheBytes: 1_048_576, deltaShare: 0.1)
        let small = try migrate(vm, s).1
        let keptSmall = 256 / m * -expm1(-m / 256)
        XCTAssertEqual(try XCTUnwrap(small[2].encodedBytes), small[2].bytesSent * (1 - keptSmall * 0.9), accuracy: 1e-9 * small[2].bytesSent)
        XCTAssertLessThan(keptSmall, kept)
    }

    func testPostCopyFaultsCountReadsAndCostARoundTripEach() throws {
        let L = 1e9, w = 20_000.0
        var vm = Fixture.vm(memory: GiB, rate: w, counting: .poisson)
        vm.workload.readShare = 0.5
        var cluster = Fixture.cluster(link: L)
        cluster.roundLatency = 0.001
        let r = try Fixture.migrate([vm], kind: .postCopy, cluster: cluster, settings: Fixture.settings()).records[0]
        let N = GiB / page, T = GiB / L, x = 2 * w * T / N
        let faults = N * (1 - (-expm1(-x)) / x)
        XCTAssertEqual(r.remoteFaults!, faults, accuracy: 1e-9 * faults)
        // Without postcopy-preempt a request also waits for half the page in flight.
        XCTAssertEqual(r.faultServiceSeconds!, 0.002 + 1.5 * page / L, accuracy: 1e-12)
        XCTAssertEqual(r.postCopyStallSeconds!, faults * (0.002 + 1.5 * page / L), accuracy: 1e-9 * faults)
        var preempt = Fixture.settings()
        preempt.mechanisms.postcopyPreempt = true
        let p = try Fixture.migrate([vm], kind: .postCopy, cluster: cluster, settings: preempt).records[0]
        XCTAssertEqual(p.faultServiceSeconds!, 0.002 + page / L, accuracy: 1e-12)
        XCTAssertEqual(p.remoteFaults!, r.remoteFaults!, "the push is the same")
        // Writes only: fewer faults.
        vm.workload.readShare = 0
        let writesOnly = try Fixture.migrate([vm], kind: .postCopy, cluster: cluster, settings: Fixture.settings()).records[0]
        XCTAssertLessThan(writesOnly.remoteFaults!, r.remoteFaults!)
    }

    /// Multifd channels are flows of their own: with 3 channels a live
    /// migration sharing a 1 GB/s NIC with one offline disk copy gets 3 of the
    /// 4 max-min shares (0.75 GB/s); each channel is also held to its ceiling.
    func testChannelsTakeOneShareEachAndHonourTheirCeiling() throws {
        var s = Fixture.settings()
        s.mechanisms.channels = 3
        let cluster = Fixture.cluster(link: 1e9, diskRead: 1e12, diskWrite: 1e12)
        let live = Fixture.vm(memory: GiB, rate: 0)
        let offline = Fixture.vm(memory: GiB, rate: 0, disks: [10 * GiB])
        let sim = try ClusterSimulation(cluster: cluster, vms: [live, offline], settings: s, limits: ConcurrencyLimits(perHost: 8), seed: 1)
        try sim.submit(MigrationRequest(vm: 0, kind: .live, target: 1))
        try sim.submit(MigrationRequest(vm: 1, kind: .offline, target: 1))
        sim.run()
        let round1 = try XCTUnwrap(sim.rounds.first { $0.vm == 0 })
        XCTAssertEqual(round1.duration, GiB / 0.75e9, accuracy: 1e-8)
        XCTAssertEqual(sim.records.first { $0.vm == 0 }!.bytesSent, GiB, accuracy: 1e-3)
        // Alone, 4 channels of at most 100 MB/s each: 400 MB/s on a 1 GB/s link.
        s.mechanisms.channels = 4
        s.mechanisms.streamCeiling = 100e6
        let (_, rounds) = try migrate(live, s)
        XCTAssertEqual(rounds[0].duration, GiB / 4e8, accuracy: 1e-8)
    }

    /// The working set is local when its last page arrives, pushed or
    /// faulted in. Without accesses that is the last of n uniform push times,
    /// T n / (n + 1) (Simpson on 400 intervals: within 0.5 % of T); the more
    /// the VM touches its working set, the sooner it is local.
    func testWorkingSetLocalTime() throws {
        let cluster = Fixture.cluster(link: 1e9)
        func local(_ rate: Double) throws -> Double {
            let vm = Fixture.vm(memory: GiB, rate: rate, counting: .poisson, hotFraction: 0.1, hotShare: 0.9)
            let r = try Fixture.migrate([vm], kind: .postCopy, cluster: cluster, settings: Fixture.settings()).records[0]
            return try XCTUnwrap(r.workingSetLocalSeconds)
        }
        let T = GiB / 1e9, n = (GiB / page * 0.1).rounded()
        XCTAssertEqual(try local(0), T * n / (n + 1), accuracy: 0.005 * T)
        let busy = try local(50_000), busier = try local(500_000)
        XCTAssertLessThan(busy, try local(0))
        XCTAssertLessThan(busier, busy)
        XCTAssertGreaterThan(busier, 0)
    }

    /// Presets carry their systems' mechanisms; scenario keys switch each one.
    func testPresetsCarryTheirMechanisms() {
        let qemu = PolicyPreset(name: "qemu")!.defaultMechanisms
        XCTAssertTrue(qemu.uncappedStopAndCopy)
        XCTAssertEqual(qemu.zeroPageBytes, 9)
        XCTAssertFalse(qemu.skipRedirtied)
        let xen = PolicyPreset(name: "xen-legacy")!
        XCTAssertTrue(xen.defaultMechanisms.skipRedirtied)
        XCTAssertTrue(xen.defaultMechanisms.uncappedStopAndCopy)
        XCTAssertEqual(xen.defaultRateLimit, .unlimited, "released Xen has no rate limiter")
        let paper = PolicyPreset(name: "xen-2005")!
        XCTAssertFalse(paper.defaultMechanisms.uncappedStopAndCopy)
        if case .adaptive = paper.defaultRateLimit {} else { XCTFail("xen-2005 uses the adaptive limit") }
        XCTAssertFalse(PolicyPreset(name: "simgrid")!.defaultMechanisms.uncappedStopAndCopy)
    }
}

/// OpenStack Nova's stepped downtime and memory-scaled completion timeout.
final class NovaPolicyTests: XCTestCase {
    /// The docstring of `downtime_steps` in nova/virt/libvirt/migration.py:
    /// 10 steps, 30 s delay per GiB, 3 GB and 400 ms: 0 s -> 40 ms, 90 -> 76,
    /// 180 -> 112, 810 -> 364, 900 -> 400 (a step applies once elapsed is past it).
    func testDowntimeStepsFollowNovasExample() {
        var p = NovaPolicy()
        p.maxDowntime = 0.4
        p.stepDelayPerGiB = 30
        let table: [(Double, Double)] = [(0, 0.040), (90, 0.040), (90.5, 0.076), (180.5, 0.112), (810.5, 0.364),
                                         (900.5, 0.400), (5000, 0.400)]
        for (elapsed, limit) in table {
            XCTAssertEqual(p.downtimeLimit(elapsed: elapsed, dataGB: 3), limit, accuracy: 1e-12, "at \(elapsed) s")
        }
        // Nova's defaults: 50 ms, then +45 ms every 75 s x data_gb, up to 500 ms; data_gb is at least 2.
        let d = NovaPolicy()
        XCTAssertEqual(NovaPolicy.dataGB(memoryBytes: Units.GiB), 2)
        XCTAssertEqual(d.downtimeLimit(elapsed: 1, dataGB: 4), 0.050, accuracy: 1e-12)
        XCTAssertEqual(d.downtimeLimit(elapsed: 301, dataGB: 4), 0.095, accuracy: 1e-12)
        XCTAssertEqual(d.downtimeLimit(elapsed: 1e6, dataGB: 4), 0.5, accuracy: 1e-12)
    }

    /// A 4 GiB VM that never fits the downtime limit is aborted after
    /// 800 s x 4 = 3200 s (the default action); force-complete pauses it instead.
    func testCompletionTimeoutScalesWithMemory() {
        var p = NovaPolicy()
        func obs(_ elapsed: Double) -> RoundObservation {
            RoundObservation(round: 40, memoryBytes: 4 * Units.GiB, pageSize: 4096, roundBytes: 1e9, roundDuration: 10,
                             dirtyPages: 1e6, totalSentBytes: 1e11, elapsed: elapsed, firstRoundBandwidth: 1e8)
        }
        XCTAssertEqual(p.decide(obs(3200)), .continueRounds)
        XCTAssertEqual(p.decide(obs(3200.5)), .stop(.timeoutAborted))
        p.timeoutAction = .forceComplete
        XCTAssertEqual(p.decide(obs(3200.5)), .stop(.timeoutForced))
        p.permitPostCopy = true
        XCTAssertEqual(p.decide(obs(3200.5)), .stop(.timeoutPostCopy))
    }

    /// End to end: a VM whose remainder fits 500 ms but not 50 ms at the link
    /// rate converges only once Nova has raised the limit far enough.
    func testRaisedDowntimeLetsAMigrationConverge() throws {
        // 2 GiB at 1 Gbit/s (125 MB/s, no rate cap here), a 40 MiB hot set always dirty:
        // 40 MiB takes 0.34 s, above 50 ms and below 500 ms.
        var s = Fixture.settings(.nova(NovaPolicy()))
        s.roundGuard = 100_000
        let vm = Fixture.vm(memory: 2 * Units.GiB, rate: 1e6, counting: .poisson, hotFraction: 40.0 / 2048, hotShare: 1)
        let sim = try Fixture.migrate([vm], cluster: Fixture.cluster(link: 1.25e8), settings: s)
        let r = try XCTUnwrap(sim.records.first)
        XCTAssertEqual(r.stopReason, .downtimeTarget)
        let bandwidth = 1.25e8, remainder = r.downtime! * bandwidth
        let limitAtEnd = NovaPolicy().downtimeLimit(elapsed: r.totalTime! - r.downtime!, dataGB: 2)
        XCTAssertLessThanOrEqual(remainder, bandwidth * limitAtEnd * (1 + 1e-6))
        XCTAssertGreaterThan(limitAtEnd, 0.3, "converged only after the limit passed the hot set's 0.34 s")
        XCTAssertGreaterThan(r.totalTime!, 150 * 6, "the 0.35 s step starts after 6 steps of 150 s (75 s x 2 GiB)")
    }
}
