import MigsimModel
import MigsimRandom
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// Page popularities as levels: the expected distinct pages against
/// page-exact sampling, the Zipf bucketing against the page-by-page sum, the
/// two-level model against its old formula, and working-set curves as levels.
final class PopularityTests: XCTestCase {
    /// The old two-level formula, written out: H(1 - e^{-w f/H}) + C(1 - e^{-(w - w f)/C}).
    func testTwoLevelIsTheOldFormulaBitForBit() {
        for (pages, hot, share) in [(1000, 0.1, 0.5), (262_144, 0.25, 0.8), (4096, 1.0, 0.3), (777, 0.02, 1.0)] {
            let set = PageSet(pages: pages, hotFraction: hot, hotShare: share, counting: .poisson)
            let h = Double(min(pages, max(1, Int((Double(pages) * hot).rounded()))))
            let c = Double(pages) - h
            let f = h == Double(pages) ? 1 : share
            for w in [1.0, 500, 12_345.5, 1e7] {
                let wh = w * f, wc = w - wh
                let old = h * -expm1(-wh / h) + (c > 0 ? c * -expm1(-wc / c) : 0)
                XCTAssertEqual(set.expectedDistinct(writes: w), old, "pages \(pages) hot \(hot) w \(w)")
                let lin = PageSet(pages: pages, hotFraction: hot, hotShare: share, counting: .linear)
                XCTAssertEqual(lin.expectedDistinct(writes: w), min(wh, h) + (c > 0 ? min(wc, c) : 0))
            }
        }
    }

    static func zipfProbabilities(_ n: Int, _ s: Double) -> [Double] {
        let raw = (1...n).map { pow(Double($0), -s) }
        let total = raw.reduce(0, +)
        return raw.map { $0 / total }
    }

    /// The bucket shares are sums of i^-s computed without visiting the
    /// pages (Euler-Maclaurin beyond 64 pages a bucket): equal to the direct
    /// sums to 1e-10 relative.
    func testZipfSharesEqualTheDirectSums() {
        let n = 1 << 18
        for s in [0.0, 0.5, 0.8, 1.0, 1.2, 2.0] {
            let p = Self.zipfProbabilities(n, s)
            var start = 0
            for l in PagePopularity.zipfLevels(pages: n, exponent: s) {
                let direct = p[start..<(start + l.pages)].reduce(0, +)
                XCTAssertEqual(l.share, direct, accuracy: direct * 1e-10, "s \(s) level at \(start)")
                start += l.pages
            }
            XCTAssertEqual(start, n)
        }
    }

    /// Bucketing error: against the page-by-page sum of 1 - exp(-n p_i) for
    /// 2^18 pages, the levels never undercount (Jensen) and overcount by less
    /// than the stated bound, from 1 write to 30 writes per page.
    func testZipfBucketingErrorIsWithinItsBound() {
        let n = 1 << 18
        for s in [0.8, 1.0, 1.2] {
            let p = Self.zipfProbabilities(n, s)
            let set = PageSet(levels: PagePopularity.zipfLevels(pages: n, exponent: s), counting: .poisson)
            var worst = 0.0
            for k in 0...40 {
                let w = pow(10, Double(k) / 40 * log10(30 * Double(n)))
                var exact = 0.0
                for q in p { exact += -expm1(-w * q) }
                let rel = (set.expectedDistinct(writes: w) - exact) / exact
                XCTAssertGreaterThan(rel, -1e-9, "s \(s) writes \(w)")
                worst = max(worst, rel)
            }
            XCTAssertLessThan(worst, PagePopularity.zipfBucketErrorBound, "s \(s)")
            print(String(format: "zipf s %.1f: %d levels for 2^18 pages, worst bucketing excess %.2e", s, set.levels.count, worst))
        }
        // O(log N) levels: 4 per doubling, so a 16 TiB VM (2^32 pages) has about 136.
        XCTAssertLessThanOrEqual(PagePopularity.zipfLevels(pages: 1 << 32 - 1, exponent: 1).count, 140)
    }

    /// Page-exact draws pages from the same levels: its mean over 1,000
    /// seeded replications matches the expectation within 1e-3 relative
    /// (about 3 standard errors at these sizes: the variance of a distinct
    /// count is below its mean, ~6,000, so the standard error of the mean of
    /// 1,000 is ~2.5, 4e-4 relative), for Zipf and a three-level table; the
    /// statistical draw too.
    func testZipfAndTableAgreeWithPageExact() {
        let pages = 16_384
        let popularities: [(String, PagePopularity)] = [
            ("zipf 0.8", .zipf(exponent: 0.8)), ("zipf 1.0", .zipf(exponent: 1.0)), ("zipf 1.2", .zipf(exponent: 1.2)),
            ("table", .table([PopularityRow(pages: 0.05, writes: 0.6), PopularityRow(pages: 0.15, writes: 0.3),
                              PopularityRow(pages: 0.8, writes: 0.1)])),
        ]
        for (name, pop) in popularities {
            let set = pop.pageSet(pages: pages, hotFraction: 1, hotShare: 1, counting: .poisson)
            let writes = 0.5 * Double(pages)
            let expected = set.expectedDistinct(writes: writes)
            let byLevel = set.expectedDistinctByLevel(writes: writes)
            for fidelity in [Fidelity.pageExact, .statistical] {
                let m = DirtyModel(set: set, fidelity: fidelity, key: StreamKey(seed: 11, purpose: "popularity-test"))
                var sum = 0.0
                var levelSums = [Double](repeating: 0, count: set.levels.count)
                for _ in 0..<1000 {
                    let d = m.distinctPagesByLevel(writes: writes)
                    for (i, x) in d.enumerated() { levelSums[i] += x }
                    sum += d.reduce(0, +)
                }
                let mean = sum / 1000
                XCTAssertLessThan(abs(mean - expected) / expected, 1e-3, "\(name) \(fidelity): \(mean) vs \(expected)")
                // The hottest level, which decides the last round, on its own (its pages are few: 3 % here).
                XCTAssertEqual(levelSums[0] / 1000, byLevel[0], accuracy: max(0.03 * byLevel[0], 0.05), "\(name) \(fidelity) level 0")
            }
        }
    }

    /// An exact small case: two pages, one written with probability 3/4, the
    /// other 1/4; after Poisson(2) writes the expected distinct count is
    /// (1 - e^{-1.5}) + (1 - e^{-0.5}).
    func testExactSmallTable() {
        let set = PagePopularity.table([PopularityRow(pages: 0.5, writes: 0.75), PopularityRow(pages: 0.5, writes: 0.25)])
            .pageSet(pages: 2, hotFraction: 1, hotShare: 1, counting: .poisson)
        XCTAssertEqual(set.levels, [PageLevel(pages: 1, share: 0.75), PageLevel(pages: 1, share: 0.25)])
        XCTAssertEqual(set.expectedDistinct(writes: 2), -expm1(-1.5) + -expm1(-0.5), accuracy: 1e-15)
        XCTAssertEqual(set.writes(forDistinct: set.expectedDistinct(writes: 2)), 2, accuracy: 1e-9)
    }

    /// A working-set curve becomes linear-filling levels whose sum is the
    /// interpolated curve: at the points (to half a page per level), between
    /// them linearly, past the last point on its slope until the pages in use.
    func testWorkingSetCurveAsLevels() throws {
        let curve = try WorkingSetCurve(name: "t", intervals: [1, 10, 60], distinct: [20_000, 80_000, 150_000])
        let pages = 262_144
        let set = PagePopularity.curve(curve).pageSet(pages: pages, hotFraction: 1, hotShare: 1, counting: .poisson)
        let rate = curve.initialSlope
        XCTAssertEqual(rate, 20_000)
        let tolerance = Double(set.levels.count) * 0.5 + 1e-6
        for (t, w) in [(0.5, 10_000.0), (1, 20_000), (5.5, 50_000), (10, 80_000), (35, 115_000), (60, 150_000),
                       (120, 150_000 + 1_400 * 60), (1000, Double(pages))] {
            XCTAssertEqual(curve.value(at: t, pages: pages), w, accuracy: 1e-6, "W(\(t))")
            XCTAssertEqual(set.expectedDistinct(writes: rate * t), w, accuracy: tolerance, "levels at \(t)")
        }
        XCTAssertEqual(set.pages, pages)
        // A dent (not concave) is bridged by the least concave majorant.
        let dented = try WorkingSetCurve(name: "d", intervals: [1, 2, 3], distinct: [100, 110, 300])
        XCTAssertEqual(dented.value(at: 2, pages: 1000), 200, accuracy: 1e-9)
        // Page-exact and statistical draw the same binomial per level: mean W(T).
        for f in [Fidelity.pageExact, .statistical] {
            let m = DirtyModel(set: set, fidelity: f, key: StreamKey(seed: 3, purpose: "curve"))
            var sum = 0.0
            for _ in 0..<200 { sum += m.distinctPages(writes: rate * 35) }
            XCTAssertEqual(sum / 200, 115_000, accuracy: 115_000 * 1e-3, "\(f)")
        }
    }

    /// A distinct-page measurement is replayed as the write rate that dirties
    /// that many distinct pages in its window: a round as long as the window
    /// gets exactly the measurement (not saturated again), a longer one the
    /// implied curve.
    func testDistinctTraceIsNotSaturatedAgain() throws {
        let set = PageSet(pages: 65_536, hotFraction: 0.1, hotShare: 0.9, counting: .poisson)
        let trace = try DirtyTrace(name: "q", ends: [10, 20], rates: [5_000, 20_000], measure: .distinct(windows: [1, 2]))
        let rates = trace.writeRates(for: set)
        XCTAssertEqual(set.expectedDistinct(writes: rates[0] * 1), 5_000, accuracy: 5_000 * 1e-9)
        XCTAssertEqual(set.expectedDistinct(writes: rates[1] * 2), 20_000, accuracy: 20_000 * 1e-9)
        // Read as a write rate (the old semantics), the same figure gives fewer distinct pages.
        XCTAssertLessThan(set.expectedDistinct(writes: 5_000), 5_000 * 0.9)
        var spec = WorkloadSpec(rate: try .constant(0))
        spec.trace = trace
        spec.cycleOffset = .fixed(0)
        var p = DirtyRateProcess(spec: spec, seed: 1, run: 0, vm: 0, set: set)
        XCTAssertEqual(set.expectedDistinct(writes: p.writes(from: 3, to: 4)), 5_000, accuracy: 5_000 * 1e-9)
    }

    /// Each VM starts its cycle at its own seeded offset in [0, cycle); a
    /// fixed offset of 0 is the old behaviour; the offset never moves the rate draw.
    func testCycleOffsetsAreSeededPerVM() throws {
        var spec = WorkloadSpec(rate: try .constant(0), phases: [
            WorkloadPhase(duration: 10, rate: try .constant(100)), WorkloadPhase(duration: 5, rate: try .constant(1000)),
        ])
        let offsets = (0..<8).map { DirtyRateProcess(spec: spec, seed: 4, run: 0, vm: UInt64($0)).offset }
        XCTAssertEqual(Set(offsets).count, 8)
        XCTAssertTrue(offsets.allSatisfy { $0 >= 0 && $0 < 15 })
        XCTAssertEqual(offsets, (0..<8).map { DirtyRateProcess(spec: spec, seed: 4, run: 0, vm: UInt64($0)).offset })
        let o = offsets[3]
        var p = DirtyRateProcess(spec: spec, seed: 4, run: 0, vm: 3)
        spec.cycleOffset = .fixed(0)
        var q = DirtyRateProcess(spec: spec, seed: 4, run: 0, vm: 3)
        XCTAssertEqual(p.writes(from: 0, to: 2), q.writes(from: o, to: o + 2), accuracy: 1e-9)
        XCTAssertEqual(q.writes(from: 0, to: 10), 1000, accuracy: 1e-9)
    }

    /// The hot set as a size keeps its pages whatever the VM's memory.
    func testHotSetAsASize() {
        var spec = WorkloadSpec(rate: try! .constant(1), hotSetFraction: 0.5, hotWriteShare: 0.9)
        spec.hotSetBytes = 256 * Units.MiB
        for gib in [1.0, 4, 64] {
            let pages = Int(gib * Units.GiB / 4096)
            XCTAssertEqual(spec.pageSet(pages: pages, inUse: pages / 2, pageSize: 4096).levels[0].pages, 65_536, "\(gib) GiB")
        }
    }
}
