import Foundation
import MigsimConfig
import MigsimRandom
import MigsimSweep
import XCTest

/// Sweep specs with `sample:`, Saltelli's and the OAT design, and the Sobol
/// estimators of `migsim sweep sensitivity`.
final class SensitivityTests: XCTestCase {
    // MARK: - Estimators against the Ishigami function

    /// Ishigami and Homma's function, f = sin x1 + a sin^2 x2 + b x3^4 sin x1,
    /// x_i uniform on [-pi, pi], with its partial variances in closed form
    /// (Sobol' and Levitan 1999; Saltelli et al. 2010 use a = 7, b = 0.1):
    ///
    ///     V1  = (1 + b pi^4 / 5)^2 / 2      V2 = a^2 / 8      V3 = 0
    ///     V13 = b^2 pi^8 (1/18 - 1/50)       V  = V1 + V2 + V13
    ///     S_i = V_i / V;  ST1 = (V1 + V13) / V,  ST2 = V2 / V,  ST3 = V13 / V
    struct Ishigami {
        let a = 7.0, b = 0.1
        func f(_ x: [Double]) -> Double {
            let s1: Double = sin(x[0]), s2: Double = sin(x[1])
            let x34: Double = pow(x[2], 4)
            return s1 + a * s2 * s2 + b * x34 * s1
        }
        var v1: Double {
            let pi4: Double = pow(Double.pi, 4)
            let c: Double = 1 + b * pi4 / 5
            return 0.5 * c * c
        }
        var v2: Double { a * a / 8 }
        var v13: Double {
            let pi8: Double = pow(Double.pi, 8)
            return b * b * pi8 * (1.0 / 18 - 1.0 / 50)
        }
        var v: Double { v1 + v2 + v13 }
        var first: [Double] { [v1 / v, v2 / v, 0] }
        var total: [Double] { [(v1 + v13) / v, v2 / v, v13 / v] }
    }

    /// The closed forms above give the published four-decimal values
    /// (S1 = 0.3139, S2 = 0.4424, ST1 = 0.5576, ST3 = 0.2437), so they are transcribed right.
    func testIshigamiClosedFormsMatchThePublishedValues() {
        let g = Ishigami()
        XCTAssertEqual((g.first[0] * 1e4).rounded(), 3139)
        XCTAssertEqual((g.first[1] * 1e4).rounded(), 4424)
        XCTAssertEqual((g.total[0] * 1e4).rounded(), 5576)
        XCTAssertEqual((g.total[2] * 1e4).rounded(), 2437)
    }

    /// The outputs of a Saltelli design, split into f_A, f_B and f_AB^(i) by the points' roles.
    func split(_ design: SampleDesign, _ f: [Double]) -> (fA: [Double], fB: [Double], fAB: [[Double]]) {
        var fA: [Double] = [], fB: [Double] = [], fAB = [[Double]](repeating: [], count: design.parameters.count)
        for (role, y) in zip(design.roles, f) {
            switch role {
            case .a: fA.append(y)
            case .b: fB.append(y)
            case .ab(_, let i): fAB[i].append(y)
            case .base, .level: XCTFail("an OAT role in a Saltelli design")
            }
        }
        return (fA, fB, fAB)
    }

    func ishigamiDesign(_ n: Int) -> SampleDesign {
        let ps = (1...3).map { SampledParameter(key: "x\($0)", low: -.pi, high: .pi, unit: "") }
        return SampleDesign(method: .saltelli(basePoints: n), parameters: ps, baseTexts: ["0", "0", "0"])
    }

    /// Saltelli's design with N = 2^13 rows (5 x 8192 = 40,960 evaluations)
    /// and the estimators (b) and Jansen (f) recover the analytic indices to
    /// within 0.02 (absolute); the bootstrap 95 % intervals cover them.
    func testEstimatorsRecoverIshigamiIndices() throws {
        let g = Ishigami()
        let design = ishigamiDesign(8192)
        XCTAssertEqual(design.roles.count, 8192 * 5)
        let f = design.units.map { u in g.f(u.enumerated().map { design.parameters[$0].value($1!) }) }
        let (fA, fB, fAB) = split(design, f)
        let est = SobolEstimator.indices(fA: fA, fB: fB, fAB: fAB)
        XCTAssertEqual(SobolEstimator.variance(fA, fB), g.v, accuracy: 0.02 * g.v)
        for i in 0..<3 {
            XCTAssertEqual(try XCTUnwrap(est[i].first), g.first[i], accuracy: 0.02, "S\(i + 1)")
            XCTAssertEqual(try XCTUnwrap(est[i].total), g.total[i], accuracy: 0.02, "ST\(i + 1)")
        }
        let ci = SobolEstimator.bootstrap(fA: fA, fB: fB, fAB: fAB, resamples: 200,
                                          stream: RandomStream(StreamKey(seed: 1, purpose: "test-bootstrap")))
        for i in 0..<3 {
            let s = try XCTUnwrap(ci[i].first), t = try XCTUnwrap(ci[i].total)
            XCTAssertTrue(s.contains(g.first[i]), "S\(i + 1) = \(g.first[i]) outside \(s)")
            XCTAssertTrue(t.contains(g.total[i]), "ST\(i + 1) = \(g.total[i]) outside \(t)")
            XCTAssertLessThan(s.upperBound - s.lowerBound, 0.1)
        }
        // Keyed stream: the same key gives the same intervals.
        let again = SobolEstimator.bootstrap(fA: fA, fB: fB, fAB: fAB, resamples: 200,
                                             stream: RandomStream(StreamKey(seed: 1, purpose: "test-bootstrap")))
        XCTAssertEqual(again.map(\.first), ci.map(\.first))
    }

    /// A linear model y = sum c_i x_i of independent uniforms on [0, 1] has
    /// S_i = ST_i = c_i^2 / sum c^2 (no interactions): both estimators agree
    /// with it to 0.01 at N = 4096; a constant output gives no index (V = 0).
    func testLinearModelAndConstantOutput() throws {
        let c = [1.0, 2.0, 3.0]
        let ps = (0..<3).map { SampledParameter(key: "x\($0)", low: 0, high: 1, unit: "") }
        let design = SampleDesign(method: .saltelli(basePoints: 4096), parameters: ps, baseTexts: ["0", "0", "0"])
        let f = design.units.map { u in zip(c, u).reduce(0) { $0 + $1.0 * $1.1! } }
        let (fA, fB, fAB) = split(design, f)
        let est = SobolEstimator.indices(fA: fA, fB: fB, fAB: fAB)
        let sum = c.reduce(0) { $0 + $1 * $1 }
        for i in 0..<3 {
            XCTAssertEqual(try XCTUnwrap(est[i].first), c[i] * c[i] / sum, accuracy: 0.01)
            XCTAssertEqual(try XCTUnwrap(est[i].total), c[i] * c[i] / sum, accuracy: 0.01)
        }
        let flat = SobolEstimator.indices(fA: [2, 2], fB: [2, 2], fAB: [[2, 2]])
        XCTAssertNil(flat[0].first)
        XCTAssertNil(flat[0].total)
    }

    // MARK: - Designs

    /// Saltelli 2010, section 3: blocks A_j, A_B^(1)_j ... A_B^(k)_j, B_j; A_B^(i)
    /// is A with column i from B. The first Sobol point (all 0.5) is skipped,
    /// so row 0 of A is the sequence's second point.
    func testSaltelliDesignLayout() {
        let k = 4, n = 16
        let ps = (0..<k).map { SampledParameter(key: "x\($0)", low: 0, high: 1, unit: "") }
        let d = SampleDesign(method: .saltelli(basePoints: n), parameters: ps, baseTexts: Array(repeating: "0", count: k))
        XCTAssertEqual(d.roles.count, n * (k + 2))
        XCTAssertEqual(SampleDesign.pointCount(d.method, parameters: k), n * (k + 2))
        let sobol = SobolSequence(dimension: 2 * k)
        _ = sobol.next()
        for j in 0..<n {
            let p = sobol.next()
            let base = j * (k + 2)
            XCTAssertEqual(d.roles[base], .a(row: j))
            XCTAssertEqual(d.roles[base + k + 1], .b(row: j))
            XCTAssertEqual(d.units[base].map { $0! }, Array(p[0..<k]))
            XCTAssertEqual(d.units[base + k + 1].map { $0! }, Array(p[k...]))
            for i in 0..<k {
                XCTAssertEqual(d.roles[base + 1 + i], .ab(row: j, parameter: i))
                var expected = Array(p[0..<k])
                expected[i] = p[k + i]
                XCTAssertEqual(d.units[base + 1 + i].map { $0! }, expected)
            }
        }
    }

    /// Every sampled text reads back (as a scenario value would) as exactly the
    /// value computed, in the bounds' unit, and lies within the bounds; log
    /// values are spread evenly in the logarithm; integers cover low...high.
    func testSampledTextsAreExactAndWithinBounds() throws {
        let spec = try SweepSpec.parse("""
            sample:
              method: saltelli
              base_points: 64
              parameters:
                cluster.host.nic: {low: 1Gbps, high: 40Gbps, scale: log}
                cluster.protocol_efficiency: [0.85, 0.98]
                concurrency.per_host: {low: 1, high: 4, integer: true}
                migration.setup_delay: {low: 10ms, high: 1000ms, scale: log}
            """, path: "s.yaml")
        let d = try XCTUnwrap(spec.sample)
        var integers: Set<String> = []
        for (u, texts) in zip(d.units, d.texts) {
            for (i, p) in d.parameters.enumerated() {
                let (x, unit) = try XCTUnwrap(NumberWithUnit.split(texts[i]))
                XCTAssertEqual(x, p.value(u[i]!), texts[i])
                XCTAssertEqual(unit, p.unit)
                XCTAssertTrue(x >= p.low && x <= p.high, texts[i])
                if p.integer { integers.insert(texts[i]) }
            }
        }
        XCTAssertEqual(integers, ["1", "2", "3", "4"])
        let nic = d.parameters[0]
        XCTAssertEqual(nic.value(0.5), (1.0 * 40).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(nic.value(1), 40)
        XCTAssertEqual(nic.text(12.5), "12.5Gbps")
    }

    /// OAT: the base point, then each parameter at its levels (low, middle,
    /// high by default) with every other key at the base scenario's text.
    func testOATDesign() throws {
        let spec = try SweepSpec.parse("""
            set: {cluster.host.nic: 25Gbps}
            sample:
              method: oat
              parameters:
                cluster.protocol_efficiency: [0.75, 1]
                migration.lun_failover: [2s, 10s]
            """, path: "s.yaml")
        let plan = RunPlan(spec)
        XCTAssertEqual(plan.runs.map(\.parameters), [
            ["0.94", "uniform(3s, 7s)"],
            ["0.75", "uniform(3s, 7s)"], ["0.875", "uniform(3s, 7s)"], ["1", "uniform(3s, 7s)"],
            ["0.94", "2s"], ["0.94", "6s"], ["0.94", "10s"],
        ])
        XCTAssertEqual(spec.sample?.roles.first, .base)
        XCTAssertEqual(spec.sample?.roles[5], .level(parameter: 1, level: 1))
        XCTAssertEqual(RunStore.indexHeader(spec), ["run_id", "replication", "seed", "cluster.protocol_efficiency", "migration.lun_failover"])
        // The base point is the base scenario itself: setting its own texts changes nothing.
        var base = spec.base
        try base.set(key: "seed", value: String(plan.runs[0].seed), source: "t")
        XCTAssertEqual(try plan.config(for: plan.runs[0]).canonicalText, base.canonicalText)
        let five = try SweepSpec.parse("sample: {method: oat, levels: 5, parameters: {concurrency.per_host: {low: 1, high: 3, integer: true}}}", path: "s")
        XCTAssertEqual(RunPlan(five).runs.map { $0.parameters[0] }, ["2", "1", "1", "2", "3", "3"])
    }

    /// The run list is a function of the spec: the same twice, shards partition
    /// it, and every point of one replication shares its seed (common random numbers).
    func testSampledRunListIsDeterministicAndShardable() throws {
        let yaml = """
            seed: 5
            replications: 3
            sample:
              method: saltelli
              base_points: 8
              parameters:
                cluster.host.nic: [1Gbps, 40Gbps]
                vms.memory_in_use: [0.25, 1]
            """
        let a = RunPlan(try SweepSpec.parse(yaml, path: "s.yaml")), b = RunPlan(try SweepSpec.parse(yaml, path: "s.yaml"))
        XCTAssertEqual(a.runs, b.runs)
        XCTAssertEqual(a.runs.count, 8 * 4 * 3)
        XCTAssertEqual(a.runs.map(\.id), Array(0..<a.runs.count))
        let shards = try (0..<5).flatMap { try a.shard("\($0)/5") }.sorted { $0.id < $1.id }
        XCTAssertEqual(shards, a.runs)
        for r in 0..<3 {
            XCTAssertEqual(Set(a.runs.filter { $0.replication == r }.map(\.seed)).count, 1, "replication \(r)")
        }
        XCTAssertEqual(Set(a.runs.map(\.seed)).count, 3)
        let other = RunPlan(try SweepSpec.parse(yaml.replacingOccurrences(of: "seed: 5", with: "seed: 6"), path: "s.yaml"))
        XCTAssertEqual(other.runs.map(\.parameters), a.runs.map(\.parameters))
        XCTAssertNotEqual(other.runs.map(\.seed), a.runs.map(\.seed))
        XCTAssertNoThrow(try a.validate())
    }

    // MARK: - Bad specs

    /// Each bad `sample:` section gives one line naming the spec file and the key.
    static let sampleCases: [(String, String)] = [
        ("sample: 3", "sample (line 1): not a mapping"),
        ("sample: {parameters: {vms.count: [1, 2]}}", "sample.method (line 1): missing"),
        ("sample: {method: morris, parameters: {vms.count: [1, 2]}}", "sample.method (line 1): 'morris' is not a method; accepted: saltelli or oat"),
        ("sample: {method: saltelli, parameters: {vms.count: [1, 2]}}", "sample.base_points (line 1): missing"),
        ("sample: {method: saltelli, base_points: 1, parameters: {vms.count: [1, 2]}}", "sample.base_points (line 1): '1' is out of range; accepted: an integer in 2...1000000"),
        ("sample: {method: oat, base_points: 8, parameters: {vms.count: [1, 2]}}", "sample.base_points (line 1): given with method oat"),
        ("sample: {method: saltelli, base_points: 8, levels: 3, parameters: {vms.count: [1, 2]}}", "sample.levels (line 1): given with method saltelli"),
        ("sample: {method: oat, levels: 1, parameters: {vms.count: [1, 2]}}", "sample.levels (line 1): '1' is out of range"),
        ("sample: {method: oat, parameters: {}}", "sample.parameters (line 1): missing or empty"),
        ("sample: {method: oat, colour: red, parameters: {vms.count: [1, 2]}}", "sample.colour (line 1): unknown key"),
        ("sample: {method: oat, parameters: {vms.count: [1]}}", "sample.parameters.vms.count (line 1): a list of 1 items"),
        ("sample: {method: oat, parameters: {vms.count: 4}}", "sample.parameters.vms.count (line 1): not a range"),
        ("sample: {method: oat, parameters: {cluster.host.nic: [1Gbps, 25000Mbps]}}", "bounds in different units ('1Gbps' and '25000Mbps')"),
        ("sample: {method: oat, parameters: {cluster.host.nic: [25Gbps, 1Gbps]}}", "low 25Gbps is not below high 1Gbps"),
        ("sample: {method: oat, parameters: {cluster.host.nic: [fast, 1Gbps]}}", "'fast' is not a number"),
        ("sample: {method: oat, parameters: {cluster.round_latency: {low: 0ms, high: 1ms, scale: log}}}", "log scale from 0ms; accepted: low > 0"),
        ("sample: {method: oat, parameters: {cluster.round_latency: {low: 0.5ms, high: 2ms, integer: true}}}", "integer range with bounds 0.5ms and 2ms"),
        ("sample: {method: oat, parameters: {vms.count: {low: 1, high: 2, scale: cubic}}}", "sample.parameters.vms.count.scale (line 1): 'cubic' is not a scale; accepted: linear or log"),
        ("sample: {method: oat, parameters: {vms.count: {low: 1, high: 2, integer: yes}}}", "sample.parameters.vms.count.integer (line 1): 'yes' is not a boolean"),
        ("sample: {method: oat, parameters: {vms.count: {low: 1}}}", "sample.parameters.vms.count (line 1): low or high missing"),
        ("sample: {method: oat, parameters: {vms.count: {low: 1, high: 2, step: 1}}}", "sample.parameters.vms.count.step (line 1): unknown key"),
        ("grid: {vms.count: [1]}\nsample: {method: oat, parameters: {vms.count: [1, 2]}}", "grid (line 1): given together with sample"),
        ("set: {vms.count: 3}\nsample: {method: oat, parameters: {vms.count: [1, 2]}}", "sample.parameters.vms.count (line 2): also fixed in set"),
        ("sample: {method: oat, parameters: {seed: [1, 2]}}", "sample.parameters.seed (line 1): not a model parameter"),
        ("sample: {method: oat, parameters: {vms.colour: [1, 2]}}", "vms.colour"),
        ("sample: {method: oat, parameters: {cluster.protocol_efficiency: [0.5, 1.5]}}", "cluster.protocol_efficiency"),
        ("sample: {method: saltelli, base_points: 8, parameters: {"
            + (1...21).map { "p\($0): [1, 2]" }.joined(separator: ", ") + "}}", "21 parameters; accepted: at most 20 with method saltelli"),
        ("replications: 100\nsample: {method: saltelli, base_points: 1000000, parameters: {vms.count: [1, 2]}}", "sample (line 2): more than 10000000 runs"),
    ]

    func testSampleSpecTable() {
        for (yaml, needle) in Self.sampleCases {
            XCTAssertThrowsError(try SweepSpec.parse(yaml, path: "sweep.yaml"), yaml) { e in
                let t = "\(e)"
                XCTAssertTrue(t.hasPrefix("sweep.yaml") && t.contains(needle), "\(yaml): \(t)")
                XCTAssertFalse(t.contains("\n"), t)
            }
        }
        print("bad inputs: \(Self.sampleCases.count) sample-section cases name the spec file and the key")
    }

    /// A sample point valid key by key but not as a whole fails before any run, naming the point.
    func testInvalidSamplePointIsFoundBeforeAnyRun() throws {
        let plan = RunPlan(try SweepSpec.parse("set: {cluster.hosts: 2}\nsample: {method: oat, levels: 2, parameters: {scenario.host: {low: 0, high: 5, integer: true}}}",
                                               path: "sweep.yaml"))
        XCTAssertThrowsError(try plan.validate()) { e in
            XCTAssertTrue("\(e)".hasPrefix("sweep.yaml: sample point scenario.host=5 (run 2) is invalid"), "\(e)")
        }
    }

    // MARK: - End to end

    func tempDir() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("migsim-sensitivity-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: d) }
        return d
    }

    /// A small Saltelli sweep of the default drain: quick migration moves
    /// memory through shared storage, never the network, so its downtime has
    /// S1 = ST = 0 for the NIC exactly; live migration's does depend on it. The
    /// file has a row per kind, figure and parameter, and is the same when written twice.
    func testSaltelliSweepEndToEnd() throws {
        let store = RunStore(root: try tempDir())
        let plan = RunPlan(try SweepSpec.parse("""
            set: {vms.count: 3, output.rounds: false}
            sample:
              method: saltelli
              base_points: 6
              parameters:
                cluster.host.nic: {low: 1Gbps, high: 40Gbps, scale: log}
                migration.lun_failover: [2s, 10s]
            """, path: "s.yaml"))
        XCTAssertThrowsError(try SensitivityAnalysis.write(plan, store)) { XCTAssertTrue("\($0)".contains("runs are missing"), "\($0)") }
        for r in plan.runs { try store.execute(plan, r) }
        let rows = try SensitivityAnalysis.write(plan, store, resamples: 50)
        XCTAssertEqual(rows.count, 3 * ReplicationSummary.figures.count * 2)
        let url = store.root.appendingPathComponent("sensitivity.csv")
        let first = try Data(contentsOf: url)
        try SensitivityAnalysis.write(plan, store, resamples: 50)
        XCTAssertEqual(try Data(contentsOf: url), first)
        func row(_ kind: String, _ figure: String, _ key: String) throws -> SensitivityAnalysis.Row {
            try XCTUnwrap(rows.first { $0.kind == kind && $0.figure.column == figure && $0.parameter.key == key })
        }
        let quickNIC = try row("quick", "downtime_mean_s", "cluster.host.nic")
        XCTAssertEqual(quickNIC.n, 6)
        XCTAssertEqual(quickNIC.first, 0)
        XCTAssertEqual(quickNIC.total, 0)
        XCTAssertGreaterThan(try XCTUnwrap(try row("quick", "downtime_mean_s", "migration.lun_failover").total), 0)
        XCTAssertGreaterThan(try XCTUnwrap(try row("live", "downtime_mean_s", "cluster.host.nic").total), 0)
        let header = String(decoding: first, as: UTF8.self).split(separator: "\n")[0]
        XCTAssertEqual(header, Substring(SensitivityAnalysis.columns.map(\.name).joined(separator: ",")))
    }

    /// OAT: the base row's output is the base scenario's, and the range spans the levels.
    func testOATSweepEndToEnd() throws {
        let store = RunStore(root: try tempDir())
        let plan = RunPlan(try SweepSpec.parse("""
            set: {vms.count: 2, output.rounds: false}
            sample: {method: oat, parameters: {cluster.host.nic: [1Gbps, 10Gbps]}}
            """, path: "s.yaml"))
        for r in plan.runs { try store.execute(plan, r) }
        let rows = try SensitivityAnalysis.rows(plan, store)
        let live = try XCTUnwrap(rows.first { $0.kind == "live" && $0.figure.column == "makespan_s" })
        let base = try ReplicationSummary.figureValues(of: plan.runs[0], store).first { $0.kind == "live" }
        let makespan = try XCTUnwrap(ReplicationSummary.figures.firstIndex { $0.column == "makespan_s" })
        XCTAssertEqual(live.base, base?.values[makespan])
        XCTAssertEqual(live.n, 3)
        XCTAssertNil(live.first)
        XCTAssertGreaterThan(try XCTUnwrap(live.atLow), try XCTUnwrap(live.atHigh), "a faster NIC drains sooner")
        XCTAssertEqual(live.maximum, live.atLow)
        let grid = RunPlan(try SweepSpec.parse("grid: {vms.count: [2]}", path: "g.yaml"))
        XCTAssertThrowsError(try SensitivityAnalysis.rows(grid, store)) { XCTAssertTrue("\($0)".contains("g.yaml: no sample section"), "\($0)") }
    }
}
