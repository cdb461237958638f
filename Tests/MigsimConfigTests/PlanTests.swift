import Foundation
import MigsimConfig
import MigsimModel
import MigsimOutput
import XCTest

/// Migration plans, evacuations and scheduling orders from scenario files (issue 16).
final class PlanTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("migsim-plan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func scenario(_ yaml: String, plan: String? = nil) throws -> Scenario {
        if let p = plan { try p.write(to: dir.appendingPathComponent("plan.csv"), atomically: true, encoding: .utf8) }
        let file = dir.appendingPathComponent("s.yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        return try ScenarioFile.load(path: file.path).scenario()
    }

    /// The plan in data/plans/drain-default.csv replays the built-in drain:
    /// migrations.csv is byte-identical for every kind.
    func testPlanOfTheDrainIsByteIdentical() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let plan = root.appendingPathComponent("data/plans/drain-default.csv").path
        let s = try scenario("scenario: {action: plan, plan: '\(plan)', kinds: [live, quick, storage, post-copy]}")
        var drain = Scenario.builtinDefault()
        drain.kinds = [.live, .quick, .storage, .postCopy]
        let a = ResultTables.migrations(try s.run()).text, b = ResultTables.migrations(try drain.run()).text
        XCTAssertEqual(a, b)
        XCTAssertGreaterThan(a.split(separator: "\n").count, 4 * 40)
    }

    /// Explicit targets, a later row, a per-row kind and policy.
    func testRowsKeepTheirTimesTargetsKindsAndPolicies() throws {
        let plan = "time_s,vm,target,kind,policy\n0,0,3,,\n0,1,auto,post-copy,\n100,2,5,live,qemu\n"
        let s = try scenario("scenario: {action: plan, plan: plan.csv, kinds: [live]}\nvms: {count: 4}", plan: plan)
        let r = try XCTUnwrap(s.run().first).records.sorted { $0.vm < $1.vm }
        XCTAssertEqual(r.count, 3, "one record per row; VM 3 is not in the plan")
        XCTAssertEqual(r[0].target, 3)
        XCTAssertEqual(r[0].policy, "hyperv-2008r2")
        XCTAssertEqual(r[1].kind, .postCopy)
        XCTAssertEqual(r[2].requestTime, 100)
        XCTAssertEqual(r[2].target, 5)
        XCTAssertEqual(r[2].policy, "qemu")
        // The qemu row runs with QEMU's own mechanisms: stop-and-copy at line rate, not the 128 MiB/s cap.
        XCTAssertGreaterThan(try XCTUnwrap(r[2].stopCopyBitsPerSecond), 128 * 1024 * 1024 * 8 * 1.5)
    }

    /// Bad plans: one line naming the plan file, the line and the column.
    func testBadPlansNameFileLineAndColumn() throws {
        let cases: [(plan: String, column: String, accepted: String, extra: String)] = [
            ("time_s,vm,target\n0,40,auto\n", "vm", "a VM index in 0...39", ""),
            ("time_s,vm,target\n0,1,8\n", "target", "auto, or a host index in 0...7", ""),
            ("time_s,vm,target\n5,1,auto\n4,2,auto\n", "time_s", "times that never decrease", ""),
            ("time_s,vm,target\n0,1,0\n", "target", "a host other than the VM's", ""),
            ("time_s,vm,target\n0,1,2\n10,1,2\n", "target", "a host other than the VM's", ""),
            ("time_s,vm,target,kind\n0,1,2,quick\n", "kind", "a kind this cluster can do", "cluster: {shared_storage: false}"),
            ("time_s,vm,target,kind\n0,1,2,storage\n", "kind", "a kind the VM can do", "vms: {disks: []}"),
            ("time_s,vm,target,kind\n0,1,2,failover-restart\n", "kind", "one of live", ""),
            ("time_s,vm,target,policy\n0,1,2,qemu9\n", "policy", "one of hyperv-2008r2", ""),
            ("time_s,vm,target\nnan,1,2\n", "time_s", "seconds >= 0", ""),
            ("time_s,vm,target\n-1,1,2\n", "time_s", "seconds >= 0", ""),
            ("time_s,vm\n0,1\n", "(header)", "time_s,vm,target", ""),
            ("time_s,vm,target\n0,1\n", "(row)", "a value for every column", ""),
            ("", "(file)", "time_s,vm,target", ""),
            ("time_s,vm,target\n0,\"1\",2\n", "(row)", "plain comma-separated fields", ""),
        ]
        for c in cases {
            XCTAssertThrowsError(try scenario("scenario: {action: plan, plan: plan.csv}\n" + c.extra, plan: c.plan), c.plan) { e in
                let text = "\(e)"
                XCTAssertTrue(text.contains("plan.csv"), text)
                XCTAssertTrue(text.contains(": \(c.column): "), "\(c.column) in \(text)")
                XCTAssertTrue(text.contains(c.accepted), "\(c.accepted) in \(text)")
                XCTAssertFalse(text.contains("\n"))
            }
        }
        XCTAssertThrowsError(try scenario("scenario: {action: plan}")) { XCTAssertTrue("\($0)".contains("scenario.plan")) }
        print("bad inputs: \(cases.count + 1) plan cases rejected with file, line, column and accepted values")
    }

    /// A 100,000-row plan replays row by row (the reader holds one row ahead).
    func testLongPlanStreams() throws {
        var text = "time_s,vm,target\n"
        for i in 0..<100_000 { text += "\(i / 100),\(i % 40),\(1 + (i % 7))\n" }
        let s = try scenario("scenario: {action: plan, plan: plan.csv, kinds: [offline]}\nmigration: {register_delay: 0s}\n"
                             + "vms: {disks: [1MiB]}\noutput: {rounds: false}\nconcurrency: {per_host: 64}", plan: text)
        let run = try XCTUnwrap(s.run().first)
        XCTAssertEqual(run.records.count, 100_000)
        XCTAssertEqual(run.records.filter { $0.refusedReason == nil }.count + run.records.filter { $0.refusedReason != nil }.count, 100_000)
    }

    /// Evacuating hosts 0 and 1: their VMs (laid out on them in turn) all leave, and none goes to either.
    func testEvacuateEmptiesEveryListedHost() throws {
        let s = try scenario("scenario: {action: evacuate, hosts: [0, 1], kinds: [live]}\nvms: {count: 20}")
        let r = try XCTUnwrap(s.run().first).records
        XCTAssertEqual(r.count, 20)
        XCTAssertEqual(Set(r.map(\.source)), [0, 1])
        XCTAssertTrue(r.allSatisfy { ($0.target ?? 0) >= 2 && $0.endTime != nil })
        XCTAssertThrowsError(try scenario("scenario: {action: evacuate, hosts: [0, 9]}")) { XCTAssertTrue("\($0)".contains("scenario.hosts")) }
    }

    /// One host, one slot: smallest-first starts the queued VMs in increasing
    /// memory (FIFO among equals), largest-first in decreasing.
    func testSchedulingOrdersServeTheQueueByTheirKey() throws {
        for (order, increasing) in [("smallest-first", true), ("largest-first", false)] {
            let s = try scenario("scenario: {kinds: [live], order: \(order)}\nvms: {count: 12}\nconcurrency: {per_host: 1}")
            let r = try XCTUnwrap(s.run().first).records.sorted { $0.startTime! < $1.startTime! }
            let sizes = r.map { s.vms[$0.vm].memoryBytes }
            XCTAssertEqual(sizes, sizes.sorted(by: increasing ? (<) : (>)), order)
            // Among equal sizes, arrival (VM index) order.
            for (a, b) in zip(r, r.dropFirst()) where s.vms[a.vm].memoryBytes == s.vms[b.vm].memoryBytes {
                XCTAssertLessThan(a.vm, b.vm)
            }
        }
        // Shortest expected first follows SchedulingOrder.expectedSeconds.
        let s = try scenario("scenario: {kinds: [live], order: shortest-expected-first}\nvms: {count: 12}\nconcurrency: {per_host: 1}")
        let r = try XCTUnwrap(s.run().first).records.sorted { $0.startTime! < $1.startTime! }
        let bandwidth = s.cluster.hosts[0].nicBandwidth * s.cluster.protocolEfficiency
        let expected = r.map { rec -> Double in
            let v = s.vms[rec.vm]
            return SchedulingOrder.expectedSeconds(memory: v.memoryBytes, dirtyBytesPerSecond: (v.workload.rate.mean ?? 0) * 4096,
                                                   bandwidth: bandwidth)
        }
        // The first VM starts before the queue forms; the rest are served by their estimate.
        XCTAssertEqual(Array(expected.dropFirst(2)), Array(expected.dropFirst(2)).sorted())
    }
}
