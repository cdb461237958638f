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
/// bytes, so times and bytes must agree to 1e-6 (relative) and rounds exactly.
final class SimGridModelTests: XCTestCase {
    struct Hand { var total = 0.0, downtime = 0.0, bytes = 0.0, rounds = 0 }

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
        while threshold < rem {
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
        XCTAssertLessThan(Fixture.relErr(try XCTUnwrap(got.totalTime), want.total), 1e-6, "total time", file: file, line: line)
        XCTAssertLessThan(Fixture.relErr(try XCTUnwrap(got.downtime), want.downtime), 1e-6, "downtime", file: file, line: line)
        XCTAssertLessThan(Fixture.relErr(got.bytesSent, want.bytes), 1e-6, "bytes sent", file: file, line: line)
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

    /// Rate-capped (100 MB/s < 121.25 MB/s) with 50 ms of latency per transfer:
    /// small late rounds measure a lower bandwidth, so the re-measured threshold
    /// shrinks and pre-copy runs longer than with round 1's threshold.
    func testThresholdIsRemeasuredEveryRound() throws {
        let m = 2.5 * Units.GiB, r = 100e6, l = 0.05, d = 0.5 * r
        let h = try check(memory: m, link: 125e6, cap: r, latency: l, dirty: d)
        let old = Self.plugin(memory: m, rate: r, latency: l, dirty: d, remeasure: false)
        XCTAssertGreaterThan(h.rounds, old.rounds)
        // Stop-and-copy pays the latency too.
        XCTAssertGreaterThan(h.downtime, l)
    }
}
