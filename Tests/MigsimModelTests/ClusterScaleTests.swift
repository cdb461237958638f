import MigsimModel
import MigsimOutput
import XCTest

/// Cluster operations at scale.
final class ClusterScaleTests: XCTestCase {
    func testRollingMaintenanceMigratesEveryVMOnceAndUpdatesEveryHost() throws {
        let s = Scenario.rollingMaintenance(hosts: 11, vmsPerHost: 6)
        let run = try s.run()[0]
        XCTAssertEqual(run.records.count, 60)
        XCTAssertEqual(Set(run.records.map(\.vm)).count, 60, "every VM exactly once")
        for r in run.records {
            XCTAssertNil(r.refusedReason)
            XCTAssertEqual(r.target, r.source - 1, "host k drains into host k-1, emptied just before")
        }
        XCTAssertNotNil(run.maintenanceWindow)
        XCTAssertGreaterThanOrEqual(run.maintenanceWindow!, run.records.compactMap(\.endTime).max()!)
        // Drains do not overlap: host k+1 starts only after host k's last migration ended.
        for k in 1..<10 {
            let endK = run.records.filter { $0.source == k }.compactMap(\.endTime).max()!
            let startNext = run.records.filter { $0.source == k + 1 }.compactMap(\.startTime).min()!
            XCTAssertGreaterThanOrEqual(startNext, endK)
        }
    }

    func testTenThousandVMRunIsDeterministic() throws {
        let s = Scenario.rollingMaintenance(hosts: 501, vmsPerHost: 20, seed: 42)
        let a = ResultTables.migrations(try s.run()).text
        let b = ResultTables.migrations(try s.run()).text
        XCTAssertEqual(a.count, b.count)
        XCTAssertTrue(a == b, "same seed, same bytes for 10,000 VMs")
        XCTAssertEqual(a.split(separator: "\n").count, 10_001)
    }

    func testConcurrencyLimitHoldsAtEveryInstant() throws {
        var s = Scenario.builtinDefault()
        s.limits.perHost = 3
        for run in try s.run() {
            // Sweep over start/end instants: +1 at start, -1 at end (ends first at ties).
            var events: [(Double, Int)] = []
            for r in run.records where r.startTime != nil {
                events.append((r.startTime!, 1))
                events.append((r.endTime!, -1))
            }
            events.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
            var inFlight = 0
            for e in events {
                inFlight += e.1
                XCTAssertLessThanOrEqual(inFlight, 3, "\(run.kind) at \(e.0)")
            }
            XCTAssertGreaterThan(run.records.compactMap(\.queueTime).max()!, 0, "some waited")
        }
    }
}
