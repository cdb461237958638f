import Foundation
import MigsimSweep
import XCTest

/// What "done" means for a sweep's run directory: complete, and written by
/// the current spec. `status`, `--resume` and `merge` all read ``RunStore/census(_:_:)``.
final class RunStoreTests: XCTestCase {
    func tempDir() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("migsim-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: d) }
        return d
    }

    func plan(_ yaml: String) throws -> RunPlan { RunPlan(try SweepSpec.parse(yaml, path: "s.yaml")) }

    func testRunsOfAnEditedSpecAreStaleNotDone() throws {
        let store = RunStore(root: try tempDir())
        let a = try plan("replications: 2\ngrid: {vms.count: [2, 3]}")
        for r in a.runs { try store.execute(a, r) }
        XCTAssertEqual(store.census(a).done, [0, 1, 2, 3])
        XCTAssertNoThrow(try store.merge(a))
        // Another base seed: every seed differs. Another fixed value: every digest differs.
        for edited in ["seed: 2\nreplications: 2\ngrid: {vms.count: [2, 3]}",
                       "replications: 2\nset: {cluster.hosts: 9}\ngrid: {vms.count: [2, 3]}"] {
            let b = try plan(edited)
            let c = store.census(b)
            XCTAssertEqual(c.stale, [0, 1, 2, 3], edited)
            XCTAssertEqual(c.done, [], edited)
            XCTAssertThrowsError(try store.merge(b)) { XCTAssertTrue("\($0)".contains("(stale): 0-3"), "\($0)") }
        }
        // One grid value changed: only that point's runs are stale.
        let c = try plan("replications: 2\ngrid: {vms.count: [2, 4]}")
        XCTAssertEqual(store.census(c).stale, [2, 3])
        XCTAssertEqual(store.census(c).done, [0, 1])
    }

    func testAFileMissingMakesTheRunIncompleteEverywhere() throws {
        let store = RunStore(root: try tempDir())
        let p = try plan("grid: {vms.count: [2, 3]}")
        for r in p.runs { try store.execute(p, r) }
        for file in RunStore.files {
            let url = store.directory(1).appendingPathComponent(file)
            let saved = try Data(contentsOf: url)
            try FileManager.default.removeItem(at: url)
            let c = store.census(p)
            XCTAssertEqual(c.missing, [1], file)
            XCTAssertEqual(c.incomplete, [1], file)
            XCTAssertThrowsError(try store.merge(p), file) { XCTAssertTrue("\($0)".contains("missing: 1"), "\($0)") }
            try saved.write(to: url)
        }
        // A run.json that is not JSON: stale (not ours), not done.
        try "{".write(to: store.directory(0).appendingPathComponent("run.json"), atomically: true, encoding: .utf8)
        XCTAssertEqual(store.census(p).stale, [0])
    }

    func testTemporariesAreIgnoredByMergeAndRemovedOnlyForTheGivenIds() throws {
        let store = RunStore(root: try tempDir())
        let p = try plan("grid: {vms.count: [2, 3]}")
        for r in p.runs { try store.execute(p, r) }
        let fm = FileManager.default
        for name in [".tmp-0-999999", ".tmp-1-999998", ".tmp-7-1"] {
            try fm.createDirectory(at: store.runsDirectory.appendingPathComponent(name), withIntermediateDirectories: true)
        }
        try "partial".write(to: store.root.appendingPathComponent(".summary.csv.tmp.999999"), atomically: false, encoding: .utf8)
        XCTAssertNoThrow(try store.merge(p))
        XCTAssertFalse(fm.fileExists(atPath: store.root.appendingPathComponent(".summary.csv.tmp.999999").path), "a killed merge's temporary")
        XCTAssertEqual(store.temporaries(ids: [0, 1]).count, 2)
        XCTAssertEqual(store.removeTemporaries(ids: [0]), 1)
        let left = try fm.contentsOfDirectory(atPath: store.runsDirectory.path).filter { $0.hasPrefix(".") }.sorted()
        XCTAssertEqual(left, [".tmp-1-999998", ".tmp-7-1"], "other ids' temporaries may belong to a shard still running")
    }

    func testAFailedRunLeavesNoTemporary() throws {
        let store = RunStore(root: try tempDir())
        // Valid key by key, invalid as a whole: execute throws after creating its temporary.
        let p = try plan("set: {cluster.hosts: 2}\ngrid: {scenario.host: [5]}")
        XCTAssertThrowsError(try store.execute(p, p.runs[0]))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: store.runsDirectory.path), [])
    }
}
