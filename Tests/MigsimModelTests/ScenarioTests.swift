import MigsimModel
import XCTest

/// The built-in default scenario: quick, live and storage on the same VMs.
final class ScenarioTests: XCTestCase {
    func testDowntimeOrderingLiveQuickStorage() throws {
        let runs = try Scenario.builtinDefault().run()
        func meanDowntime(_ k: MigrationKind) -> Double {
            let r = runs.first { $0.kind == k }!.records
            XCTAssertEqual(r.count, 40)
            XCTAssertTrue(r.allSatisfy { $0.refusedReason == nil && $0.downtime != nil })
            return r.map { $0.downtime! }.reduce(0, +) / Double(r.count)
        }
        let live = meanDowntime(.live), quick = meanDowntime(.quick), storage = meanDowntime(.storage)
        XCTAssertLessThan(live * 1000, quick, "live is far below quick")
        XCTAssertLessThan(quick, storage, "quick is below storage for 40 GiB disks")
    }

    func testDrainEmptiesTheHost() throws {
        let s = Scenario.builtinDefault()
        for run in try s.run() {
            XCTAssertTrue(run.records.allSatisfy { $0.target != nil && $0.target != 0 && !$0.aborted }, "\(run.kind)")
            XCTAssertEqual(Set(run.records.map(\.vm)).count, s.vms.count)
        }
    }

    func testHostFailureRestartsEverywhereElse() throws {
        var s = Scenario.builtinDefault()
        s.action = .hostFailure(host: 0)
        let run = try s.run()[0]
        XCTAssertEqual(run.records.count, 40)
        for r in run.records {
            XCTAssertEqual(r.kind, .failoverRestart)
            XCTAssertEqual(r.bytesSent, 0)
            XCTAssertNotEqual(r.target, 0)
            XCTAssertGreaterThanOrEqual(r.downtime!, s.settings.detectionDelay)
        }
    }
}
