import MigsimModel
import MigsimOutput
import MigsimTestSupport
import XCTest

/// Every run terminates and says when work was left unfinished.
final class TerminationTests: XCTestCase {
    func defaultScenario(vms: Int) -> Scenario {
        var s = Scenario.builtinDefault()
        s.vms = Array(s.vms.prefix(vms))
        return s
    }

    func testHorizonCutsAMigrationShortAndTheRecordSaysSo() throws {
        // A 2 GiB VM over 10 GbE takes about 2 s; the horizon is 0.5 s.
        var s = defaultScenario(vms: 1)
        s.kinds = [.live]
        s.horizon = 0.5
        let run = try s.run()[0]
        XCTAssertTrue(run.hitHorizon)
        XCTAssertLessThanOrEqual(run.endTime, 0.5)
        let r = try XCTUnwrap(run.records.first)
        XCTAssertTrue(r.unfinished)
        XCTAssertNil(r.endTime)
        XCTAssertNotNil(r.startTime)
        let summary = try CSVRows(ResultTables.summary([run]).text)
        XCTAssertEqual(summary.rows.count, 1)
        XCTAssertEqual(summary.rows[0]["horizon_reached"], "true")
        XCTAssertEqual(summary.rows[0]["unfinished"], "1")
        let migrations = try CSVRows(ResultTables.migrations([run]).text)
        XCTAssertEqual(migrations.rows.count, 1)
        XCTAssertEqual(migrations.rows[0]["unfinished"], "true")
    }

    func testTransfersBeyondTheTimeRangeEndTheRunAsUnfinished() throws {
        // 2 GiB at 0.01 B/s would take about 6,800 years, beyond Int64 nanoseconds
        // (about 292 years): the run must still end, and report the migration.
        let vm = Fixture.vm(memory: 2 * Units.GiB, rate: 0)
        let sim = try ClusterSimulation(cluster: Fixture.cluster(link: 0.01), vms: [vm], settings: Fixture.settings(),
                                        limits: ConcurrencyLimits(perHost: 1), seed: 1)
        try sim.submit(MigrationRequest(vm: 0, kind: .live, target: 1))
        XCTAssertTrue(sim.run(), "unfinished work counts as cut short")
        XCTAssertTrue(sim.hasUnfinishedWork)
        XCTAssertTrue(sim.records.isEmpty)
        sim.recordUnfinished()
        XCTAssertEqual(sim.records.count, 1)
        XCTAssertEqual(sim.records[0].unfinished, true)
    }

    func testQueuedRequestsAreReportedToo() throws {
        // Two VMs, one migration at a time, horizon during the first: the
        // second request is still queued.
        var s = defaultScenario(vms: 2)
        s.kinds = [.live]
        s.limits = ConcurrencyLimits(perHost: 1)
        s.horizon = 0.5
        let run = try s.run()[0]
        XCTAssertEqual(run.records.count, 2)
        XCTAssertEqual(run.records.filter(\.unfinished).count, 2)
        XCTAssertEqual(run.records.filter { $0.startTime == nil }.count, 1, "one never started")
    }

    func testFinishedRunsHaveNoUnfinishedRecords() throws {
        let run = try defaultScenario(vms: 6).run()
        for r in run {
            XCTAssertFalse(r.hitHorizon)
            XCTAssertFalse(r.records.contains(where: \.unfinished))
        }
    }
}
