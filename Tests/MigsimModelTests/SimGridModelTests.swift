import MigsimModel
import XCTest

/// The `simgrid` preset against a hand-written copy of SimGrid 3.32's
/// `MigrationTx::operator()` (`src/plugins/vm/VmLiveMigration.cpp`) for one VM.
///
/// The recurrence, with payload rate r = min(0.97 x link, migration speed),
/// transfer latency L, dirty rate D (bytes/s) and working set W = 0.9 x RAM:
///
///     stage 1:  T1 = L + M / r;  threshold = floor(M / T1 * 0.03);  rem = min(floor(D * T1), W)
///     stage 2:  while threshold < rem:
///                   T = L + rem / r;  threshold = floor(rem / T * 0.03);  rem = min(floor(D * T), W)
///     stage 3:  T3 = L + rem / r   (the downtime)
///
/// migsim counts fractional pages and integer nanoseconds where SimGrid floors
/// bytes (under 1 byte per round, carried from round to round with the ratio
/// D/r), so times and bytes must agree to 1e-5 (relative) and rounds exactly.
/// With latency the loop need not end (the remainder tends to D L / (1 - D/r),
/// which can stay above the threshold); the copy gives up after 100,000 rounds.
final class SimGridModelTests: XCTestCase {
    struct Hand { var total = 0.0, downtime = 0.0, bytes = 0.0, rounds = 0 }
    static let tolerance = 1e-5

    /// The plugin's loop; `remeasure: false` is the old round-1-only rule, kept to
    /// show the cases below tell the two apart.
    static func plugin(memory m: Double, rate r: Double, latency l: Double, dirty d: Double, remeasure: Bool = true) -> Hand {
        let w = (0.9 * m).rounded(.down)
        var h = Hand()
        var t = l + m / r
        h.total = t
        h.bytes = m
        h.rounds = 1
        var threshold = (m / t * 0.03).rounded(.down)
        var rem = min((d * t).rounded(.down), w)
        while threshold < rem && h.rounds < 100_000 {
            t = l + rem / r
            h.total += t
            h.bytes += rem
            h.rounds += 1
            if remeasure { threshold = (rem / t * 0.03).rounded(.down) }
            rem = min((d * t).rounded(.down), w)
        }
        h.downtime = l + rem / r
        h.total += h.downtime
        h.bytes += rem
        return h
    }

    func migrate(memory: Double, link: Double, cap: Double, latency: Double, dirty: Double) throws -> MigrationRecord {
        let cluster = ClusterSpec(hosts: (0..<2).map { HostSpec(name: "h\($0)", memoryBytes: 64 * Units.GiB, nicBandwidth: link) },
                                  sharedStorage: SharedStorageSpec(), protocolEfficiency: 0.97, roundLatency: latency)
        var s = Fixture.settings(.simgrid(SimGridPolicy()))
        s.rateLimit = .fixed(cap)
        s.timeout = 1e6
        let vm = Fixture.vm(memory: memory, rate: dirty / 4096, counting: .linear, hotFraction: 0.9, hotShare: 1)
        let sim = try Fixture.migrate([vm], cluster: cluster, settings: s)
        return try XCTUnwrap(sim.records.first)
    }

    func check(memory: Double, link: Double, cap: Double, latency: Double, dirty: Double,
               file: StaticString = #filePath, line: UInt = #line) throws -> Hand {
        let want = Self.plugin(memory: memory, rate: min(0.97 * link, cap), latency: latency, dirty: dirty)
        let got = try migrate(memory: memory, link: link, cap: cap, latency: latency, dirty: dirty)
        XCTAssertEqual(got.rounds, want.rounds, "rounds", file: file, line: line)
        XCTAssertEqual(got.stopReason, .remainderBelowThreshold, file: file, line: line)
        XCTAssertLessThan(Fixture.relErr(try XCTUnwrap(got.totalTime), want.total), Self.tolerance, "total time", file: file, line: line)
        XCTAssertLessThan(Fixture.relErr(try XCTUnwrap(got.downtime), want.downtime), Self.tolerance, "downtime", file: file, line: line)
        XCTAssertLessThan(Fixture.relErr(got.bytesSent, want.bytes), Self.tolerance, "bytes sent", file: file, line: line)
        return want
    }

    /// 2.5 GiB (0.9 x 655,360 pages is a whole number of pages) over 1 Gbit/s,
    /// link-bound (121.25 MB/s < 125 MB/s cap), no latency, D = 0.3 x 125 MB/s:
    /// a geometric series of ratio 0.309.
    func testLinkBoundGeometricRounds() throws {
        let h = try check(memory: 2.5 * Units.GiB, link: 125e6, cap: 125e6, latency: 0, dirty: 0.3 * 125e6)
        XCTAssertGreaterThan(h.rounds, 3)
    }

    /// D = 0.95 x r: stage 1 dirties 0.95 x RAM, so the first stage-2 round is
    /// capped at the working set (90 %), and later rounds shrink by 0.95 each.
    /// A cumulative cap (all rounds together at most W) would end after one round.
    func testWorkingSetCapsEachRoundNotTheTotal() throws {
        let m = 2.5 * Units.GiB, r = 100e6
        let h = try check(memory: m, link: 125e6, cap: r, latency: 0, dirty: 0.95 * r)
        XCTAssertGreaterThan(h.bytes, m + 0.9 * m + 0.9 * 0.95 * 0.9 * m)
        XCTAssertGreaterThan(h.rounds, 20)
    }

    /// Rate-capped (100 MB/s < 121.25 MB/s) with 20 ms of latency per transfer:
    /// small late rounds measure a lower bandwidth, so the re-measured threshold
    /// shrinks and pre-copy runs one round longer (7) than with round 1's (6).
    func testThresholdIsRemeasuredEveryRound() throws {
        let m = 2.5 * Units.GiB, r = 100e6, l = 0.02, d = 0.3 * r
        let h = try check(memory: m, link: 125e6, cap: r, latency: l, dirty: d)
        let old = Self.plugin(memory: m, rate: r, latency: l, dirty: d, remeasure: false)
        XCTAssertGreaterThan(h.rounds, old.rounds)
        // Stop-and-copy pays the latency too.
        XCTAssertGreaterThan(h.downtime, l)
    }

    /// With 20 ms latency and D = 0.4 r the remainder settles near
    /// D L / (1 - D/r) = 1.33 MB while the threshold settles lower: the plugin
    /// never stops (it loops until its 1e7 s migration timeout); migsim stops
    /// at its round guard and reports it.
    func testLatencyCanPreventConvergence() throws {
        let m = 2.5 * Units.GiB, r = 100e6, l = 0.02, d = 0.4 * r
        XCTAssertEqual(Self.plugin(memory: m, rate: r, latency: l, dirty: d).rounds, 100_000)
        let cluster = ClusterSpec(hosts: (0..<2).map { HostSpec(name: "h\($0)", memoryBytes: 64 * Units.GiB, nicBandwidth: 125e6) },
                                  sharedStorage: SharedStorageSpec(), protocolEfficiency: 0.97, roundLatency: l)
        var s = Fixture.settings(.simgrid(SimGridPolicy()))
        s.rateLimit = .fixed(r)
        s.roundGuard = 500
        let vm = Fixture.vm(memory: m, rate: d / 4096, counting: .linear, hotFraction: 0.9, hotShare: 1)
        let got = try XCTUnwrap(try Fixture.migrate([vm], cluster: cluster, settings: s).records.first)
        XCTAssertEqual(got.stopReason, .roundGuard)
        XCTAssertEqual(got.rounds, 500)
    }
}
