import MigsimModel
import XCTest

/// The mean-field fidelity against the closed-form pre-copy series
/// (Liu et al., HPDC 2011; Akoush et al., MASCOTS 2010): with a constant dirty
/// rate D (bytes/s), bandwidth R and no saturation, round i (0-based) sends
/// M*lambda^i with lambda = D/R, the remainder after n rounds is M*lambda^n,
/// and pre-copy sends V = M(1 - lambda^n)/(1 - lambda). The expectations below
/// are computed from these formulas only. Tolerance: 1e-9 relative on bytes;
/// times also allow the 1 ns clock tick per transfer.
final class AnalyticPrecopyTests: XCTestCase {
    struct Case { let memGiB: Double; let pagesPerSecond: Double; let link: Double }

    let grid: [Case] = [
        Case(memGiB: 1, pagesPerSecond: 20_000, link: 1e9 / 8 * 1),   // 1 GbE, lambda 0.655
        Case(memGiB: 4, pagesPerSecond: 50_000, link: 1.25e9),        // 10 GbE, lambda 0.164
        Case(memGiB: 2, pagesPerSecond: 5_000, link: 1.25e8),         // lambda 0.164
        Case(memGiB: 8, pagesPerSecond: 250_000, link: 1.25e9),       // lambda 0.819
        Case(memGiB: 0.5, pagesPerSecond: 1_000, link: 3e8),          // lambda 0.0137
    ]

    /// Rounds n chosen by a remainder rule: the first k >= 1 with
    /// M*lambda^k <= threshold, capped at `cap`, i.e. ceil(log_lambda(thr/M)).
    func expectedRounds(M: Double, lambda: Double, threshold: Double, cap: Int) -> Int {
        let k = max(1, Int((log(threshold / M) / log(lambda)).rounded(.up)))
        return min(k, cap)
    }

    func check(_ c: Case, policy: PolicyPreset, threshold: (Double, Double) -> Double, cap: Int,
               file: StaticString = #filePath, line: UInt = #line) throws {
        let M = c.memGiB * Units.GiB
        let D = c.pagesPerSecond * 4096
        let R = c.link
        let lambda = D / R
        var s = Fixture.settings(policy)
        s.rateLimit = .unlimited
        let sim = try Fixture.migrate([Fixture.vm(memory: M, rate: c.pagesPerSecond)], cluster: Fixture.cluster(link: R), settings: s)
        let rec = try XCTUnwrap(sim.records.first)
        let n = expectedRounds(M: M, lambda: lambda, threshold: threshold(M, R), cap: cap)
        XCTAssertEqual(rec.rounds, n, "rounds for \(c) under \(policy.name)", file: file, line: line)
        let V = M * (1 - pow(lambda, Double(n))) / (1 - lambda)
        let remainder = M * pow(lambda, Double(n))
        XCTAssertLessThan(Fixture.relErr(rec.bytesSent, V + remainder), 1e-9, "bytes for \(c)", file: file, line: line)
        // Times live on the nanosecond clock: each transfer completes at the
        // first tick at or after its exact end, so allow 1 ns per transfer.
        XCTAssertEqual(rec.downtime!, remainder / R, accuracy: max(1e-9 * remainder / R, 1e-9), "downtime for \(c)", file: file, line: line)
        let expectedTotal = (V + remainder) / R
        XCTAssertEqual(rec.totalTime!, expectedTotal, accuracy: max(1e-9 * expectedTotal, Double(n + 1) * 1e-9),
                       "total time for \(c)", file: file, line: line)
        // Every round on its own: round i sends M*lambda^(i-1).
        let rounds = sim.rounds.filter { $0.vm == 0 }.sorted { $0.round < $1.round }
        XCTAssertEqual(rounds.count, n)
        for r in rounds {
            XCTAssertLessThan(Fixture.relErr(r.bytesSent, M * pow(lambda, Double(r.round - 1))), 1e-9, file: file, line: line)
        }
    }

    func testHyperV2008R2MatchesClosedForm() throws {
        for c in grid {
            try check(c, policy: .hyperV(.hyperV2008R2), threshold: { _, _ in 256 * 1024 }, cap: 10)
        }
    }

    func testQEMUMatchesClosedForm() throws {
        // Threshold = measured bandwidth (R) x 300 ms; no cap.
        for c in grid {
            try check(c, policy: .qemu(QEMUPolicy()), threshold: { _, R in R * 0.3 }, cap: .max)
        }
    }

    func testXenLegacyMatchesClosedForm() throws {
        // The round just sent covered fewer than 50 pages (strict): M lambda^(k-1)
        // < 50 pages, i.e. M lambda^k < 50 pages x lambda; 29 iterations; the
        // 3 x RAM rule cannot fire for lambda < 2/3 before the others, so use those cases.
        for c in grid where c.pagesPerSecond * 4096 / c.link < 0.66 {
            let lambda = c.pagesPerSecond * 4096 / c.link
            try check(c, policy: .xenLegacy(.released), threshold: { _, _ in 50 * 4096 * (1 - 1e-12) * lambda }, cap: 29)
        }
    }
}
