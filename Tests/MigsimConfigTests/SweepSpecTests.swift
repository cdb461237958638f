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
        // Issue 19: a duplicate grid key printed eight lines of YAML context; duplicate kinds gave identical rows.
        ("grid:\n  vms.count: [2]\n  vms.count: [3]", "line 2, column 3: (syntax): duplicate key 'vms.count'"),
        ("grid: {scenario.kinds: [[live, live]]}", "appears twice"),
        ("grid: {scenario.horizon: [0.1ns, 1h]}", "1 ns"),
    ]

    /// Grid points that are valid key by key but not as a whole: found by
    /// ``RunPlan/validate()`` before the first run (and by `sweep list`).
    static let gridPointCases: [(String, String)] = [
        ("set: {cluster.hosts: 2}\ngrid: {scenario.host: [0, 5]}", "grid point scenario.host=5 (run 1) is invalid"),
        ("set: {cluster.hosts: 2}\ngrid: {vms.host: [1, 0, 7]}", "grid point vms.host=7 (run 2) is invalid"),
        ("set: {cluster.hosts: 1}\ngrid: {scenario.action: [drain, rolling]}", "scenario.action=rolling"),
        ("grid: {vms.dirty_trace: [[/no/such/trace.csv]]}", "no such file"),
        ("grid: {cluster.hosts: [8, 1], scenario.action: [rolling]}", "cluster.hosts=1, scenario.action=rolling"),
    ]

    func testInvalidGridPointsAreFoundBeforeAnyRun() throws {
        for (yaml, needle) in Self.gridPointCases {
            let plan = RunPlan(try SweepSpec.parse(yaml, path: "sweep.yaml"))
            XCTAssertThrowsError(try plan.validate(), yaml) { e in
                XCTAssertTrue("\(e)".hasPrefix("sweep.yaml: grid point ") && "\(e)".contains(needle), "\(yaml): \(e)")
                XCTAssertFalse("\(e)".contains("\n"))
            }
        }
        XCTAssertNoThrow(try RunPlan(try SweepSpec.parse("grid: {vms.count: [2, 3]}", path: "ok.yaml")).validate())
        print("bad inputs: \(Self.gridPointCases.count) invalid grid points found before the first run")
    }

    /// A grid over `seed` used to give the header run_id,replication,seed,seed.
    func testIndexHeaderNamesAGridOverSeedApart() throws {
        let spec = try SweepSpec.parse("grid: {seed: [1, 2], vms.count: [2]}", path: "s")
        XCTAssertEqual(RunStore.indexHeader(spec), ["run_id", "replication", "seed", "grid.seed", "vms.count"])
    }

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
