import Foundation
import MigsimRandom
import XCTest

@testable import MigsimModel

/// Xen's `to_skip` page by page (``SkipWalk``, page-exact fidelity): a
/// hand-worked walk, the mean over seeds against the walk's exact
/// expectation, and the dirty pages at a round's end.
final class SkipWalkTests: XCTestCase {
    let page = 4096.0

    /// One level of `pages` pages; 16-page batches unless said otherwise.
    func walk(pages: Int = 64, zeroPages: Int = 0, batch: Int = 16) -> SkipWalk {
        SkipWalk(set: PageSet(pages: pages, hotFraction: 1, hotShare: 1, counting: .poisson), zeroPages: zeroPages,
                 key: StreamKey(seed: 1, purpose: "skip-walk-test"), batchPages: batch)
    }

    /// 1 s per page after a 0.5 s latency; the write clock is the time (one expected write a second).
    let oneSecondPerPage = SkipWalk.Timeline(latency: 0.5, secondsPerByte: 1 / 4096, pageBytes: 4096, zeroPageBytes: 4096)

    func pages(_ b: PageBitmap, below n: Int = 64) -> Set<Int> { Set((0..<n).filter { b.test($0) }) }

    /// 64 pages fit one bitmap word, so the walk goes 0, 1, ..., 63. Batches
    /// hold 16 sent pages, 1 s each, after 0.5 s of latency. Batch j is peeked
    /// at 0.5 + 16 j s, and a page is skipped when written before its batch's peek:
    /// - batch 0 (peek 0.5): page 3 written at 0.2 is skipped, so it takes
    ///   no slot; the batch is 0-2, 4-16. Page 10 (0.7) and page 16 (16.2,
    ///   before batch 1's peek, but page 16 is in batch 0) are sent;
    /// - batch 1 (peek 16.5) from page 17: 17 (16.4) and 25 (3.0) are skipped,
    ///   20 (16.6) is sent; the batch is 18-24, 26-34;
    /// - batch 2 (peek 32.5) from page 35: 35 (32.4) skipped, 36 (40) sent; 36-51;
    /// - batch 3 (peek 48.5) from page 52: 60 (48.0) skipped, 63 (100) sent.
    /// 59 pages go in 59 s, so the round ends at C = 59.5. The dirty pages are
    /// the skipped ones plus the sent ones written after their peek and before
    /// the end: 10, 16, 20, 36 (63's write at 100 comes after the round).
    /// If the round ended at C = 40 instead, before the last peek's 48.5 (a
    /// switch-over part-way), the writes at 40 and 48 would not count, but
    /// page 60, skipped for the write at 48, stays dirty: 8 pages.
    func testSkipsExactlyThePagesWrittenBeforeTheirBatchIsPeeked() {
        let w = walk()
        let writes: [(page: Int, clock: Double)] = [
            (3, 0.2), (10, 0.7), (16, 16.2), (17, 16.4), (20, 16.6), (25, 3.0), (35, 32.4), (36, 40), (60, 48.0), (63, 100),
        ]
        XCTAssertEqual(w.sendByLevel, [64])
        let skipped = w.begin(oneSecondPerPage, clock: { $0 }, writes: .given(writes))
        XCTAssertEqual(skipped, [5])
        XCTAssertEqual(pages(w.dirty), [3, 17, 25, 35, 60])
        XCTAssertEqual(w.peekClocks, [0.5, 16.5, 32.5, 48.5])
        XCTAssertEqual(w.batchStarts, [0, 17, 35, 52])
        XCTAssertEqual(pages(w.send), Set(0..<64).subtracting([3, 17, 25, 35, 60]))
        let dirty = w.end(given: writes, upTo: 59.5)
        XCTAssertEqual(dirty, [9])
        XCTAssertEqual(pages(w.dirty), [3, 10, 16, 17, 20, 25, 35, 36, 60])

        // Round 2 sends those 9 pages in one batch, peeked at 0.5: page 10
        // (0.1) is skipped, 16 (0.6) is sent, 5 (0.2) is outside the set, so
        // it is not skipped but is dirty at the end (8 pages: C = 8.5).
        XCTAssertEqual(w.sendByLevel, [9])
        let writes2: [(page: Int, clock: Double)] = [(10, 0.1), (16, 0.6), (5, 0.2)]
        XCTAssertEqual(w.begin(oneSecondPerPage, clock: { $0 }, writes: .given(writes2)), [1])
        XCTAssertEqual(w.peekClocks, [0.5])
        XCTAssertEqual(w.end(given: writes2, upTo: 8.5), [3])
        XCTAssertEqual(pages(w.dirty), [5, 10, 16])

        let cut = walk()
        _ = cut.begin(oneSecondPerPage, clock: { $0 }, writes: .given(writes))
        XCTAssertEqual(cut.end(given: writes, upTo: 40), [8])
        XCTAssertEqual(pages(cut.dirty), [3, 10, 16, 17, 20, 25, 35, 60])
    }

    /// Never-written pages are in round 1's set, are never skipped, and pace
    /// the walk at their own size: 48 pages in use and 16 zero pages (indices
    /// 48-63) of 1,024 bytes, so 0.25 s each. A page written at 40 is skipped
    /// only once the batch that reaches it was peeked after 40 s. With batches
    /// of 16, batch 3 starts at page 48, the zero pages, peeked at 0.5 + 48 =
    /// 48.5. Page 47 (batch 2, peek 32.5) written at 40 is sent.
    func testNeverWrittenPagesAreSentAndPaceTheWalk() {
        let w = walk(pages: 48, zeroPages: 16)
        let t = SkipWalk.Timeline(latency: 0.5, secondsPerByte: 1 / 4096, pageBytes: 4096, zeroPageBytes: 1024)
        XCTAssertEqual(w.sendZeroPages, 16)
        XCTAssertEqual(w.begin(t, clock: { $0 }, writes: .given([(47, 40)])), [0])
        XCTAssertEqual(w.peekClocks, [0.5, 16.5, 32.5, 48.5])
        XCTAssertEqual(w.end(given: [(47, 40)], upTo: 0.5 + 48 + 4), [1])
        XCTAssertEqual(w.sendZeroPages, 0, "zero pages are never dirty, so round 2 has none")
        // With 17-page batches the fourth peek moves to 0.5 + 48 + 0.25 x 3 = 49.25.
        let w17 = walk(pages: 48, zeroPages: 16, batch: 17)
        _ = w17.begin(t, clock: { $0 }, writes: .given([]))
        XCTAssertEqual(w17.peekClocks, [0.5, 17.5, 34.5, 49.25])
    }

    /// A switch-over after half the round's bytes, in the round of the first
    /// test: 59 pages were sent, so the cut is at 29.5 pages. The 30th sent
    /// page, page 32, was under way and counts as sent. Every sent page after
    /// it had not begun: 33-34, 36-59 without 60, 61-63, that is 29 pages.
    /// They join the 9 dirty pages (36 was both), 37 in all.
    func testSwitchOverPartWayCarriesTheUnsentPages() {
        let w = walk()
        let writes: [(page: Int, clock: Double)] = [
            (3, 0.2), (10, 0.7), (16, 16.2), (17, 16.4), (20, 16.6), (25, 3.0), (35, 32.4), (36, 40), (60, 48.0), (63, 100),
        ]
        _ = w.begin(oneSecondPerPage, clock: { $0 }, writes: .given(writes))
        _ = w.end(given: writes, upTo: 59.5)
        let tail = w.carryUnsent(share: 0.5)
        XCTAssertEqual(tail.pages, 29)
        XCTAssertEqual(tail.zeroPages, 0)
        XCTAssertEqual(tail.byLevel, [37])
        XCTAssertEqual(w.sendByLevel, [37])
        // A cut inside the first page still sends that page, so a run of
        // part-way rounds cannot carry the same pages for ever.
        let early = walk()
        _ = early.begin(oneSecondPerPage, clock: { $0 }, writes: .given(writes))
        _ = early.end(given: writes, upTo: 59.5)
        XCTAssertEqual(early.carryUnsent(share: 0.001).pages, 58)
    }

    /// The expectation the statistical and mean-field fidelities use
    /// (``Precopy/fluidSkips(_:perPageRates:seconds:latency:)``), for one
    /// level, against its closed form `n (1 - ln(1 + x e^{-a L}) / x)`,
    /// `x = a T`: relative error below 1e-6 from x = 0.001 to 10,000, with
    /// and without latency.
    func testFluidSkipsMatchTheClosedFormForOneLevel() {
        let n = 262_144.0, T = 2.0
        for x in [0.001, 0.1, 0.5, 3, 50, 10_000] {
            for L in [0, 0.02, 0.5] {
                let a = x / T
                let want = n * (1 - log1p(x * exp(-a * L)) / x)
                let got = Precopy.fluidSkips([n], perPageRates: [a], seconds: T, latency: L)[0]
                XCTAssertEqual(got, want, accuracy: 1e-6 * want, "x = \(x), latency \(L)")
            }
        }
        XCTAssertEqual(Precopy.fluidSkips([n, 0], perPageRates: [0, 5], seconds: T, latency: 0), [0, 0])
    }

    /// Two levels (hot 10 % of the pages taking 90 % of the writes), mixed
    /// evenly along the walk (page i is hot when floor((i + 1) h / n) >
    /// floor(i h / n)), as the fluid expectation assumes: against the walk's
    /// exact recursion with a peek before every page (batch 1), 4,096 pages,
    /// at x = 0.5 and 3 over the whole set, within 0.5 % (the fluid limit's
    /// error is of order a page per level). With Xen's 1,024-page batches the
    /// walk skips fewer (the fluid value is above it by more than 10 % here),
    /// as ``Precopy/expectedSkips(_:writeRate:seconds:latency:)`` states.
    /// (``PfnOrder`` visits 64-page words, so in a VM this small the hot
    /// pages come in a few clumps rather than evenly; in 1 GiB, 4,096 words,
    /// they are spread.)
    func testFluidSkipsMatchTheWalkForTwoLevels() {
        let n = 4096, hot = 410, tau = page / 1e8, T = Double(n) * tau
        for x in [0.5, 3.0] {
            let w = x * Double(n) / T
            let aHot = w * 0.9 / Double(hot), aCold = w * 0.1 / Double(n - hot)
            let rates = (0..<n).map { i in (i + 1) * hot / n > i * hot / n ? aHot : aCold }
            let fluid = Precopy.fluidSkips([Double(hot), Double(n - hot)], perPageRates: [aHot, aCold], seconds: T, latency: 0)
            let total = fluid[0] + fluid[1]
            let exact = walkExpectation(rates: rates, latency: 0, tau: tau, batch: 1)
            XCTAssertEqual(total, exact, accuracy: 0.005 * exact, "x = \(x)")
            let batched = walkExpectation(rates: rates, latency: 0, tau: tau, batch: SkipWalk.maxBatchSize)
            XCTAssertGreaterThan(total, 1.1 * batched, "x = \(x)")
        }
    }

    /// The expected skips of Xen's walk over `rates.count` pages sent at
    /// `tau` s each after `latency` s, in batches of `batch` sent pages: the
    /// i-th page visited (writes/s `rates[i]`) with `s` pages sent before it
    /// is peeked at `t(s) = latency + batch floor(s / batch) tau` and skipped
    /// with probability `q = 1 - exp(-rates[i] t(s))`. The pages' writes are
    /// independent, so the distribution of `s` follows exactly:
    /// `P_{i+1}(s) = P_i(s) q(s) + P_i(s - 1)(1 - q(s - 1))`. Returns
    /// `E[skipped] = n - E[s_n]`.
    func walkExpectation(rates: [Double], latency: Double, tau: Double, batch: Int) -> Double {
        let n = rates.count
        var p = [Double](repeating: 0, count: n + 2)
        p[0] = 1
        for (i, r) in rates.enumerated() {
            // Downwards in s, so p[s] is still P_i(s) when p[s + 1] is updated.
            for s in stride(from: i, through: 0, by: -1) where p[s] > 0 {
                let t = latency + Double(batch * (s / batch)) * tau
                let q = -expm1(-r * t)
                p[s + 1] += p[s] * (1 - q)
                p[s] *= q
            }
        }
        var sent = 0.0
        for s in 0...n { sent += Double(s) * p[s] }
        return Double(n) - sent
    }

    /// Round 1 of a 16 MiB VM (4,096 pages, one level) over 1e8 B/s (tau =
    /// 40.96 us a page, T = 0.168 s for all) after 20 ms of latency, in
    /// Xen's 1,024-page batches, over 1,000 seeds each:
    /// - the mean of the skipped pages agrees with ``walkExpectation`` within
    ///   4 standard errors of the mean (the sample SD / sqrt(1000));
    /// - it does not agree with the expectation the other fidelities use,
    ///   `n (1 - (1 - e^-x) / x)`, x = w T / n, which lets every page of the
    ///   set take its time (Xen gives skipped pages none), nor with it after
    ///   adding the latency;
    /// - the dirty pages at the round's end (duration D) match their
    ///   expectation given the walk: each of the b_j pages sent in batch j,
    ///   not written before its peek t_j, is written in (t_j, D] with
    ///   probability `1 - exp(-r (D - t_j))`, and the skipped ones are dirty.
    ///   The mean of (dirty - that) is 0 within 4 standard errors.
    /// x = 0.5 draws write by write (expected writes below the pages), x = 3
    /// page by page; both are checked.
    func testMeanSkipsOverSeedsMatchTheWalksExactExpectation() throws {
        let n = 4096, link = 1e8, latency = 0.02, B = SkipWalk.maxBatchSize
        let tau = page / link, T = Double(n) * tau
        var cluster = Fixture.cluster(link: link)
        cluster.roundLatency = latency
        var s = Fixture.settings(.xenLegacy(.released), fidelity: .pageExact)
        s.mechanisms.skipRedirtied = true
        s.roundGuard = 1
        for x in [0.5, 3.0] {
            let w = x * Double(n) / T, r = w / Double(n)
            let vm = Fixture.vm(memory: Double(n) * page, rate: w, counting: .poisson)
            let runs = 1000
            var skips: [Double] = [], residuals: [Double] = []
            for seed in 1...runs {
                let sim = try Fixture.migrate([vm], cluster: cluster, settings: s, seed: UInt64(seed))
                let round = try XCTUnwrap(sim.rounds.first)
                let k = try XCTUnwrap(round.skippedPages)
                XCTAssertEqual(k, k.rounded(), "page-exact skips whole pages")
                skips.append(k)
                // Dirty pages expected given the walk's outcome.
                let sent = n - Int(k)
                var expected = k
                for j in 0...(sent / B) {
                    let b = min(B, sent - j * B)
                    guard b > 0 else { break }
                    let t = latency + Double(j * B) * tau
                    expected += Double(b) * -expm1(-r * (round.duration - t))
                }
                residuals.append(round.dirtyPagesEnd - expected)
            }
            let (mean, se) = meanAndStandardError(skips)
            let exact = walkExpectation(rates: [Double](repeating: r, count: n), latency: latency, tau: tau, batch: B)
            XCTAssertEqual(mean, exact, accuracy: 4 * se, "x = \(x)")
            let formula = Double(n) * Precopy.writtenBeforeSent(x)
            let withLatency = Double(n) * (1 - exp(-r * latency) * -expm1(-x) / x)
            XCTAssertGreaterThan(abs(mean - formula), 10 * se, "x = \(x): the walk is not the expectation formula")
            XCTAssertGreaterThan(abs(mean - withLatency), 10 * se, "x = \(x)")
            let (rm, rse) = meanAndStandardError(residuals)
            XCTAssertEqual(rm, 0, accuracy: 4 * rse, "x = \(x): dirty pages at the round's end")
        }
    }

    /// Two levels (hot 10 % of 4,096 pages taking 90 % of the writes): the
    /// walk visits them in ``PfnOrder``'s interleaving, so the i-th page
    /// visited has its own level's rate, and the same recursion gives the
    /// exact expectation. 1,000 seeds, 4 standard errors.
    func testHotAndColdPagesSkipAsTheirOwnRatesSay() throws {
        let n = 4096, link = 1e8, latency = 0.0, B = SkipWalk.maxBatchSize
        let tau = page / link, T = Double(n) * tau, w = 2 * Double(n) / T
        var s = Fixture.settings(.xenLegacy(.released), fidelity: .pageExact)
        s.mechanisms.skipRedirtied = true
        s.roundGuard = 1
        let vm = Fixture.vm(memory: Double(n) * page, rate: w, counting: .poisson, hotFraction: 0.1, hotShare: 0.9)
        let hot = 410  // round(4096 x 0.1)
        let order = PfnOrder(pages: n)
        var rates: [Double] = []
        for k in 0..<order.words {
            for b in 0..<64 {
                let p = order.word(at: k) << 6 | b
                rates.append(p < hot ? w * 0.9 / Double(hot) : w * 0.1 / Double(n - hot))
            }
        }
        var skips: [Double] = []
        for seed in 1...1000 {
            let sim = try Fixture.migrate([vm], cluster: Fixture.cluster(link: link), settings: s, seed: UInt64(seed))
            skips.append(try XCTUnwrap(sim.rounds.first?.skippedPages))
        }
        let (mean, se) = meanAndStandardError(skips)
        XCTAssertEqual(mean, walkExpectation(rates: rates, latency: latency, tau: tau, batch: B), accuracy: 4 * se)
    }

    /// The walk places a round's writes before the round has run, on a
    /// look-ahead copy of the write process. On an on/off process the copy
    /// sees the sojourns the process sees when it gets there, and looking
    /// ahead does not move the process: it answers what a process never
    /// looked ahead answers.
    func testLookaheadSeesTheSojournsTheProcessWillSee() throws {
        let spec = WorkloadSpec(rate: try .constant(1000), onOff: OnOffSpec(meanOn: 2, meanOff: 6, offFactor: 0))
        var p = DirtyRateProcess(spec: spec, seed: 5, run: 0, vm: 3)
        var untouched = DirtyRateProcess(spec: spec, seed: 5, run: 0, vm: 3)
        _ = p.writes(from: 0, to: 10)
        _ = untouched.writes(from: 0, to: 10)
        var ahead = p.lookahead()
        var pieces = 0.0
        for k in 0..<30 { pieces += ahead.writes(from: 10 + 3 * Double(k), to: 13 + 3 * Double(k)) }
        let later = p.writes(from: 10, to: 100)
        XCTAssertEqual(pieces, later, accuracy: 1e-9 * later)
        XCTAssertEqual(untouched.writes(from: 10, to: 100), later)
        XCTAssertGreaterThan(later, 0, "premise: some on time")
        XCTAssertLessThan(later, 90_000, "premise: some off time")
    }

    /// ``PfnOrder`` is a permutation, and position inverts word.
    func testPfnOrderVisitsEveryPageOnce() {
        for pages in [1, 64, 65, 4096, 100_000] {
            let o = PfnOrder(pages: pages)
            var seen = Set<Int>()
            for k in 0..<o.words {
                let w = o.word(at: k)
                XCTAssertTrue(seen.insert(w).inserted, "\(pages): word \(w) twice")
                XCTAssertEqual(o.position(of: w << 6 | 5), k << 6 | 5)
            }
            XCTAssertEqual(seen.count, o.words)
        }
    }

    /// QEMU's continuous switch-over with page-exact skipping on: a round
    /// that ends part-way carries its unsent pages as whole pages, so every
    /// count in rounds.csv stays a whole number and every page is sent (debug
    /// builds check the latter when the migration ends).
    func testPartWayRoundsWithSkippingKeepWholePages() throws {
        var s = Fixture.settings(.qemu(QEMUPolicy(downtimeLimit: 0.05)), fidelity: .pageExact)
        s.mechanisms.continuousSwitchover = true
        s.mechanisms.skipRedirtied = true
        s.mechanisms.zeroPageBytes = 9
        var vm = Fixture.vm(memory: 64 * Units.MiB, rate: 2000, counting: .poisson, hotFraction: 0.1, hotShare: 0.9)
        vm.memoryInUse = 0.5
        let sim = try Fixture.migrate([vm], cluster: Fixture.cluster(link: 1e8), settings: s)
        XCTAssertNotNil(sim.records.first?.downtime)
        XCTAssertFalse(sim.rounds.isEmpty)
        // A part-way round is charged with the writes up to its end only, not
        // with a whole round's: this VM converges in a few rounds.
        XCTAssertEqual(sim.records.first?.stopReason, .downtimeTarget)
        XCTAssertLessThan(sim.rounds.count, 10)
        for r in sim.rounds {
            XCTAssertEqual(r.dirtyPagesEnd, r.dirtyPagesEnd.rounded())
            XCTAssertEqual(r.skippedPages!, r.skippedPages!.rounded())
        }
    }

    func meanAndStandardError(_ xs: [Double]) -> (Double, Double) {
        let n = Double(xs.count)
        let mean = xs.reduce(0, +) / n
        let variance = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        return (mean, (variance / n).squareRoot())
    }
}
