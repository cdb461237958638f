import MigsimConfig
import MigsimSweep
import XCTest

/// Sweep specifications over scenario keys: bad specs name the spec file and
/// the key; run lists, shards and seeds are stable.
final class SweepSpecTests: XCTestCase {
    static let sweepCases: [(String, String)] = [
        ("seed: 1", "grid"),
        ("grid: {}", "grid"),
        ("grid: {migration.policy: []}", "grid.migration.policy"),
        ("grid: {migration.policy: qemu}", "grid.migration.policy"),
        ("grid: {migration.policy: [qemu, qemu]}", "distinct values"),
        ("grid: {migration.policy: [qemu, linux]}", "migration.policy"),
        ("grid: {migration.polcy: [qemu]}", "migration.polcy"),
        ("grid: {migration.policy: [qemu]}\ngrid: {vms.count: [1]}", "duplicate"),
        ("replications: 0\ngrid: {vms.count: [1]}", "replications"),
        ("seed: x\ngrid: {vms.count: [1]}", "seed"),
        ("colour: red\ngrid: {vms.count: [1]}", "colour"),
        ("grid: {vms.count: [1, [2]]}", "vms.count"),
        ("grid: [1, 2", "YAML"),
        ("replications: 1000000\ngrid: {seed: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]}", "more than 10000000 runs"),
    ]

    /// A grid whose run count wraps around Int (2^19 replications x 45 axes of
    /// 2 values = 2^64, i.e. 0) is refused; it used to pass the run limit and
    /// RunPlan never finished (Tests/fuzz/regressions/sweep/grid-2-pow-64-runs.yaml: 64 axes of 2).
    func testRunCountThatWrapsAroundIsRefused() throws {
        let keys = ScenarioConfig.knownKeys.filter { k in
            var c = ScenarioConfig()
            return (try? c.set(key: k, value: "1", source: "t")) != nil && (try? c.set(key: k, value: "2", source: "t")) != nil
        }
        XCTAssertGreaterThanOrEqual(keys.count, 45)
        let spec = "replications: 524288\ngrid:\n" + keys.prefix(45).map { "  \($0): [1, 2]\n" }.joined()
        XCTAssertThrowsError(try SweepSpec.parse(spec, path: "wrap.yaml")) { e in
            XCTAssertTrue("\(e)".contains("wrap.yaml: grid: more than 10000000 runs"), "\(e)")
        }
    }

    func testSweepSpecTable() {
        for (yaml, needle) in Self.sweepCases {
            XCTAssertThrowsError(try SweepSpec.parse(yaml, path: "sweep.yaml"), yaml) { e in
                let t = "\(e)"
                XCTAssertTrue(t.contains("sweep.yaml") && t.contains(needle), "\(yaml): \(t)")
            }
        }
        print("bad inputs: \(Self.sweepCases.count) sweep-spec cases name the spec file and the key")
    }

    func testShardAndRunSelections() throws {
        let plan = RunPlan(try SweepSpec.parse("replications: 3\ngrid: {migration.policy: [qemu, xen]}", path: "s"))
        XCTAssertEqual(plan.runs.count, 6)
        XCTAssertEqual(try plan.shard("1/4").map(\.id), [1, 5])
        XCTAssertEqual(try plan.select("0,2-3").map(\.id), [0, 2, 3])
        for bad in ["3/2", "-1/4", "1/0", "a/b", "1", "1/2/3"] {
            XCTAssertThrowsError(try plan.shard(bad)) { XCTAssertTrue("\($0)".contains("--shard \(bad)")) }
        }
        for bad in ["9", "3-1", "x", "", "1,,2"] {
            XCTAssertThrowsError(try plan.select(bad)) { XCTAssertTrue("\($0)".contains("--runs")) }
        }
    }

    func testRunSeedsDependOnParametersNotOrder() throws {
        let a = RunPlan(try SweepSpec.parse("seed: 3\nreplications: 2\ngrid: {migration.policy: [qemu, xen], vms.count: [4, 8]}", path: "a"))
        let b = RunPlan(try SweepSpec.parse("seed: 3\nreplications: 2\ngrid: {migration.policy: [xen, qemu], vms.count: [4, 8]}", path: "b"))
        // The same grid point gets the same seed whatever its position.
        for r in a.runs {
            let twin = b.runs.first { $0.parameters == r.parameters && $0.replication == r.replication }!
            XCTAssertEqual(twin.seed, r.seed)
        }
        XCTAssertEqual(Set(a.runs.map(\.seed)).count, a.runs.count, "distinct seeds")
    }
}
