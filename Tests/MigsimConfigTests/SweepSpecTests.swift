import MigsimConfig
import MigsimRandom
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
        // Sampled designs (issue 18).
        ("sample: {method: saltelli, points: 4, parameters: {vms.count: [1, 2]}}\ngrid: {vms.count: [1]}", "sample (line 1): given with grid"),
        ("sample: {method: morris, points: 4, parameters: {vms.count: [1, 2]}}", "sample.method"),
        ("sample: {method: saltelli, points: 0, parameters: {vms.count: [1, 2]}}", "sample.points"),
        ("sample: {method: oat, points: 1, parameters: {vms.count: [1, 2]}}", "levels per parameter, 2...1000"),
        ("sample: {method: oat, points: 3, parameters: {}}", "sample.parameters"),
        ("sample: {method: oat, points: 3, parameters: {vms.dirty_rate: [5, 1]}}", "sample.parameters.vms.dirty_rate"),
        ("sample: {method: oat, points: 3, parameters: {vms.dirty_rate: [0, 10, \"\", log]}}", "low > 0 for log"),
        ("sample: {method: oat, points: 3, parameters: {cluster.host.nic: [1, 10, furlongs]}}", "cluster.host.nic"),
        ("sample: {method: oat, points: 3, colour: red, parameters: {vms.dirty_rate: [1, 2]}}", "sample.colour"),
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

    /// The Saltelli design: N (k + 2) points, A and B from the Sobol sequence,
    /// AB_i = A with column i from B; values inside each range; the run list
    /// is the same on every parse (no seed, no system RNG).
    func testSaltelliDesignLayout() throws {
        let yaml = "sample: {method: saltelli, points: 8, parameters: {vms.dirty_rate: [100, 10000, \"\", log], cluster.host.nic: [1, 10, Gbps]}}"
        let spec = try SweepSpec.parse(yaml, path: "s.yaml")
        let design = try XCTUnwrap(spec.sample)
        let points = design.unitPoints()
        XCTAssertEqual(points.count, 8 * 4)
        let sobol = SobolSequence.points(dimension: 4, count: 8)
        for j in 0..<8 {
            XCTAssertEqual(points[4 * j].u, Array(sobol[j][0..<2]))
            XCTAssertEqual(points[4 * j + 1].u, Array(sobol[j][2..<4]))
            XCTAssertEqual(points[4 * j + 2].u, [sobol[j][2], sobol[j][1]])
            XCTAssertEqual(points[4 * j + 3].u, [sobol[j][0], sobol[j][3]])
        }
        let plan = RunPlan(spec)
        XCTAssertEqual(plan.runs.count, 32)
        for run in plan.runs {
            let rate = try XCTUnwrap(Double(run.parameters[0]))
            XCTAssertTrue((100...10000).contains(rate))
            XCTAssertTrue(run.parameters[1].hasSuffix("Gbps"))
        }
        XCTAssertEqual(plan.runs, RunPlan(try SweepSpec.parse(yaml, path: "s.yaml")).runs)
        XCTAssertNoThrow(try plan.validate())
    }

    /// The 1-D Sobol sequence is the base-2 van der Corput sequence in Gray-code
    /// order: its first 2^m points, counting the all-zero point GSL omits,
    /// are exactly {k / 2^m} (a (0, m, 1)-net).
    func testSobolFirstDimensionIsVanDerCorput() {
        let p = SobolSequence.points(dimension: 1, count: 15).map { $0[0] }
        XCTAssertEqual(p[0], 0.5)
        for m in 1...4 {
            let n = 1 << m
            XCTAssertEqual(Set([0] + p[0..<(n - 1)]), Set((0..<n).map { Double($0) / Double(n) }), "first \(n) points")
        }
        XCTAssertEqual(SobolSequence.points(dimension: 1, count: 3, skip: 1).map { $0[0] }, Array(p[1..<4]), "skip drops points")
    }

    /// Saltelli's estimators on the Ishigami function f = sin x1 + a sin^2 x2
    /// + b x3^4 sin x1 (x_i uniform on [-pi, pi], a = 7, b = 0.1), whose
    /// indices are known in closed form (Sobol' and Levitan 1999; Saltelli et
    /// al. 2010): V1 = (1 + b pi^4 / 5)^2 / 2, V2 = a^2 / 8,
    /// V13 = b^2 pi^8 (1/18 - 1/50), V = V1 + V2 + V13. 2^14 base points;
    /// tolerance 0.02 on each index.
    func testSobolIndicesOfTheIshigamiFunction() {
        let a = 7.0, b = 0.1, pi = Double.pi
        let v1 = pow(1 + b * pow(pi, 4) / 5, 2) / 2, v2 = a * a / 8, v13 = b * b * pow(pi, 8) * (1.0 / 18 - 1.0 / 50)
        let v = v1 + v2 + v13
        let s1 = [v1 / v, v2 / v, 0], st = [(v1 + v13) / v, v2 / v, v13 / v]
        func f(_ u: [Double]) -> Double {
            let x = u.map { -pi + 2 * pi * $0 }
            return sin(x[0]) + a * pow(sin(x[1]), 2) + b * pow(x[2], 4) * sin(x[0])
        }
        let n = 1 << 14
        var fA: [Double] = [], fB: [Double] = [], fAB = [[Double]](repeating: [], count: 3)
        for s in SobolSequence.points(dimension: 6, count: n) {
            let A = Array(s[0..<3]), B = Array(s[3..<6])
            fA.append(f(A))
            fB.append(f(B))
            for i in 0..<3 {
                var ab = A
                ab[i] = B[i]
                fAB[i].append(f(ab))
            }
        }
        let r = SensitivityAnalysis.sobol(fA: fA, fB: fB, fAB: fAB)
        XCTAssertEqual(r.variance, v, accuracy: 0.02 * v)
        for i in 0..<3 {
            XCTAssertEqual(r.s1[i], s1[i], accuracy: 0.02, "S\(i + 1)")
            XCTAssertEqual(r.st[i], st[i], accuracy: 0.02, "ST\(i + 1)")
        }
    }
}
