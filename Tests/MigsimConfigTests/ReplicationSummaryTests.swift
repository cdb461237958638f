import Foundation
import MigsimSweep
import XCTest

/// `migsim sweep summarize`: statistics across replications, checked against
/// numbers worked out by hand (the t quantiles from tables: t(0.975, 1) =
/// 12.706204736, t(0.975, 3) = 3.182446305).
final class ReplicationSummaryTests: XCTestCase {
    func tempDir() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("migsim-replications-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: d) }
        return d
    }

    /// x = 1, 2, 3, 4: mean 2.5; squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5,
    /// sd = sqrt(5 / 3) = 1.290994449; half-width t(0.975, 3) x sd / sqrt(4)
    /// = 3.182446305 x 1.290994449 / 2 = 2.054260257.
    func testEstimateMatchesAHandComputation() throws {
        let e = try XCTUnwrap(ReplicationEstimate([1, 2, 3, 4]))
        XCTAssertEqual(e.n, 4)
        XCTAssertEqual(e.mean, 2.5)
        XCTAssertEqual(try XCTUnwrap(e.sd), 1.290994449, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(e.ci95), 2.054260257, accuracy: 1e-9)
        // Two values 0.5, 0.7: sd = 0.1 x sqrt(2) = 0.141421356; half-width 12.706204736 x 0.141421356 / sqrt(2) = 1.270620474.
        let two = try XCTUnwrap(ReplicationEstimate([0.5, 0.7]))
        XCTAssertEqual(two.mean, 0.6, accuracy: 1e-15)
        XCTAssertEqual(try XCTUnwrap(two.ci95), 1.270620474, accuracy: 1e-9)
        // One replication: a mean, no spread; none: no estimate.
        let one = try XCTUnwrap(ReplicationEstimate([7]))
        XCTAssertEqual(one.mean, 7)
        XCTAssertNil(one.sd)
        XCTAssertNil(one.ci95)
        XCTAssertNil(ReplicationEstimate([]))
    }

    /// A real sweep (2 grid points x 2 replications) whose summary.csv files are
    /// then replaced by hand-written figures: replications.csv is the table
    /// worked out by hand below, byte for byte.
    func testReplicationsCSVIsTheHandComputedTable() throws {
        let dir = try tempDir()
        let plan = RunPlan(try SweepSpec.parse("replications: 2\nset: {scenario.kinds: [live]}\ngrid: {vms.count: [2, 3]}", path: "s.yaml"))
        let store = RunStore(root: dir)
        XCTAssertThrowsError(try ReplicationSummary.write(plan, store)) { XCTAssertTrue("\($0)".contains("cannot summarize: 4 of 4 runs are missing"), "\($0)") }
        for r in plan.runs { try store.execute(plan, r) }
        let header = "run_id,seed,kind,downtime_mean_s,downtime_p95_s,total_time_mean_s,makespan_s,bytes_sent_total\n"
        let summaries = [
            // point vms.count=2: live and quick; quick has no p95 (an empty cell: no completed migration).
            "0,1,live,1,2,10,100,1000\n0,1,quick,3,,5,50,4000\n",
            "1,1,live,3,4,14,104,3000\n1,1,quick,5,,7,60,4001\n",
            // point vms.count=3: live only.
            "2,1,live,0.5,1,2,3,10\n",
            "3,1,live,0.7,1,2,3,10\n",
        ]
        for (id, rows) in summaries.enumerated() {
            try (header + rows).write(to: store.directory(id).appendingPathComponent("summary.csv"), atomically: true, encoding: .utf8)
        }
        try ReplicationSummary.write(plan, store)
        let text = try String(contentsOf: dir.appendingPathComponent("replications.csv"), encoding: .utf8)
        // By hand, two values a, b: mean (a + b) / 2, sd |a - b| / sqrt(2), half-width t(0.975, 1) x sd / sqrt(2) = 12.706204736 x |a - b| / 2.
        // live at 2: downtime 1, 3 -> 2, 1.414213562, 12.706204736; p95 2, 4 -> 3; total 10, 14 -> 12, 2.828427125, 25.412409472;
        // makespan 100, 104 -> 102; bytes 1000, 3000 -> 2000, 1414.214, 12706.205 (bytes: three decimals when not whole).
        // quick at 2: p95 from no replication -> n 0 and empty cells; makespan 50, 60 -> 55, 7.071067812, 63.531023681; bytes 4000, 4001 -> 4000.5, 0.707, 6.353.
        // live at 3: downtime 0.5, 0.7 -> 0.6, 0.141421356, 1.270620474; equal values -> sd 0, half-width 0.
        let expected = """
            vms.count,kind,n,\(ReplicationSummary.figures.map { f in ReplicationSummary.statistics.map { "\(f.column)_\($0)" }.joined(separator: ",") }.joined(separator: ","))
            2,live,2,2,2.000000000,1.414213562,12.706204736,2,3.000000000,1.414213562,12.706204736,2,12.000000000,2.828427125,25.412409472,2,102.000000000,2.828427125,25.412409472,2,2000,1414.214,12706.205
            2,quick,2,2,4.000000000,1.414213562,12.706204736,0,,,,2,6.000000000,1.414213562,12.706204736,2,55.000000000,7.071067812,63.531023681,2,4000.500,0.707,6.353
            3,live,2,2,0.600000000,0.141421356,1.270620474,2,1.000000000,0.000000000,0.000000000,2,2.000000000,0.000000000,0.000000000,2,3.000000000,0.000000000,0.000000000,2,10,0,0

            """
        XCTAssertEqual(text, expected)
        XCTAssertTrue(text.hasPrefix("vms.count,kind,n,downtime_mean_s_n,downtime_mean_s_mean,downtime_mean_s_sd,downtime_mean_s_ci95,downtime_p95_s_n,"))
        // A summary without a figure's column is refused naming the file.
        try (header.replacingOccurrences(of: ",makespan_s", with: "") + "3,1,live,0.7,1,2,10\n")
            .write(to: store.directory(3).appendingPathComponent("summary.csv"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ReplicationSummary.write(plan, store)) { XCTAssertTrue("\($0)".contains("000003/summary.csv: no makespan_s column"), "\($0)") }
    }

    /// On real runs, every row's mean is the mean of the runs' own summary rows.
    func testRealRunsAgreeWithTheirSummaries() throws {
        let dir = try tempDir()
        let plan = RunPlan(try SweepSpec.parse("replications: 3\nset: {vms.count: 3, scenario.kinds: [live, quick]}\ngrid: {cluster.host.nic: [1Gbps, 10Gbps]}", path: "s.yaml"))
        let store = RunStore(root: dir)
        for r in plan.runs { try store.execute(plan, r) }
        let rows = try ReplicationSummary.rows(plan, store)
        XCTAssertEqual(rows.map(\.kind), ["live", "quick", "live", "quick"])
        XCTAssertEqual(rows.map(\.parameters), [["1Gbps"], ["1Gbps"], ["10Gbps"], ["10Gbps"]])
        XCTAssertEqual(rows.map(\.replications), [3, 3, 3, 3])
        for (point, row) in [(0, rows[0]), (1, rows[2])] {
            var makespans: [Double] = []
            for run in plan.runs[(point * 3)..<(point * 3 + 3)] {
                let text = try String(contentsOf: store.directory(run.id).appendingPathComponent("summary.csv"), encoding: .utf8)
                let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
                let m = try XCTUnwrap(lines[0].firstIndex(of: "makespan_s")), k = try XCTUnwrap(lines[0].firstIndex(of: "kind"))
                makespans.append(try XCTUnwrap(Double(try XCTUnwrap(lines.first { $0[k] == "live" })[m])))
            }
            let est = try XCTUnwrap(row.estimates[3])
            XCTAssertEqual(est.mean, makespans.reduce(0, +) / 3, accuracy: 1e-9 * est.mean)
            XCTAssertGreaterThan(try XCTUnwrap(est.sd), 0, "replications differ in their seeds")
        }
    }
}
