import Foundation
import MigsimConfig
import MigsimOutput

/// `migsim sweep sensitivity`: how much each sampled parameter moves each
/// figure of `summary.csv`, per kind, from a sweep run with `sample:`.
///
/// Saltelli designs give Sobol indices with the estimators of Saltelli et
/// al., Computer Physics Communications 181(2):259-270, 2010, table 2: the
/// first-order index `S_i = mean(f_B (f_ABi - f_A)) / V` (estimator b) and
/// the total index `S_Ti = mean((f_A - f_ABi)^2) / (2 V)` (estimator f,
/// Jansen's), with `V` the variance of f over the A and B points together.
/// OAT designs give each parameter's range of the figure over its levels.
/// Each design point's figure is its mean over the sweep's replications.
public enum SensitivityAnalysis {
    /// The figures analysed, as `summary.csv` names them.
    public static let figures = ["downtime_mean_s", "makespan_s", "total_time_mean_s"]

    /// One output row: a kind, a figure and a parameter.
    public struct Row: Sendable {
        public let kind: String
        public let figure: String
        public let parameter: String
        /// Saltelli: first-order and total indices; OAT: `nil`.
        public let s1: Double?
        public let st: Double?
        /// OAT: the figure at the low and high end and its range over the levels; Saltelli: `nil`.
        public let atLow: Double?
        public let atHigh: Double?
        public let range: Double?
        /// Variance of the figure over the design (Saltelli: A and B points; OAT: all points).
        public let variance: Double
        /// Design points that gave the figure.
        public let points: Int
    }

    /// Saltelli's first-order and total indices from the A, B and AB_i values.
    public static func sobol(fA: [Double], fB: [Double], fAB: [[Double]]) -> (s1: [Double], st: [Double], variance: Double) {
        let n = Double(fA.count)
        let all = fA + fB
        let mean = all.reduce(0, +) / Double(all.count)
        let v = all.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(all.count - 1)
        var s1: [Double] = [], st: [Double] = []
        for ab in fAB {
            var first = 0.0, total = 0.0
            for j in fA.indices {
                first += fB[j] * (ab[j] - fA[j])
                total += (fA[j] - ab[j]) * (fA[j] - ab[j])
            }
            s1.append(v > 0 ? first / n / v : 0)
            st.append(v > 0 ? total / n / (2 * v) : 0)
        }
        return (s1, st, v)
    }

    /// Per kind (first-seen order), per figure, per design point: the mean over replications.
    static func outputs(_ plan: RunPlan, _ store: RunStore, points: Int) throws -> [(kind: String, values: [[Double?]])] {
        try store.requireComplete(plan, for: "sensitivity")
        var kinds: [String] = []
        var sums: [String: [[Double]]] = [:], counts: [String: [[Int]]] = [:]
        let reps = plan.spec.replications
        for run in plan.runs {
            let p = run.id / reps
            for row in try ReplicationSummary.summaryRows(store, run: run.id, columns: figures) {
                if sums[row.kind] == nil {
                    kinds.append(row.kind)
                    sums[row.kind] = Array(repeating: Array(repeating: 0, count: points), count: figures.count)
                    counts[row.kind] = Array(repeating: Array(repeating: 0, count: points), count: figures.count)
                }
                for (f, x) in row.values.enumerated() {
                    guard let x else { continue }
                    sums[row.kind]![f][p] += x
                    counts[row.kind]![f][p] += 1
                }
            }
        }
        return kinds.map { kind in
            (kind, zip(sums[kind]!, counts[kind]!).map { s, c in zip(s, c).map { $1 == reps ? $0 / Double(reps) : nil } })
        }
    }

    /// The rows for every kind, figure and parameter.
    public static func rows(_ plan: RunPlan, _ store: RunStore) throws -> [Row] {
        guard let design = plan.spec.sample else {
            throw SweepError("\(plan.spec.path): sample: no sample design; accepted: a spec with sample: (method saltelli or oat)")
        }
        let layout = design.unitPoints()
        let k = design.parameters.count
        var rows: [Row] = []
        for (kind, values) in try outputs(plan, store, points: layout.count) {
            for (f, figure) in figures.enumerated() {
                let y = values[f]
                switch design.method {
                case .saltelli:
                    var fA: [Double] = [], fB: [Double] = [], fAB = [[Double]](repeating: [], count: k)
                    for j in 0..<design.points {
                        let base = j * (k + 2)
                        // A base point counts only when every one of its k + 2 runs gave the figure.
                        guard (base..<(base + k + 2)).allSatisfy({ y[$0] != nil }) else { continue }
                        fA.append(y[base]!)
                        fB.append(y[base + 1]!)
                        for i in 0..<k { fAB[i].append(y[base + 2 + i]!) }
                    }
                    guard fA.count >= 2 else { continue }
                    let (s1, st, v) = sobol(fA: fA, fB: fB, fAB: fAB)
                    for i in 0..<k {
                        rows.append(Row(kind: kind, figure: figure, parameter: design.parameters[i].key, s1: s1[i], st: st[i], atLow: nil,
                                        atHigh: nil, range: nil, variance: v, points: fA.count))
                    }
                case .oat:
                    let given = y.compactMap { $0 }
                    guard given.count >= 2 else { continue }
                    let mean = given.reduce(0, +) / Double(given.count)
                    let v = given.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(given.count - 1)
                    for i in 0..<k {
                        let levels = (0..<design.points).compactMap { y[1 + i * design.points + $0] }
                        rows.append(Row(kind: kind, figure: figure, parameter: design.parameters[i].key, s1: nil, st: nil,
                                        atLow: y[1 + i * design.points], atHigh: y[i * design.points + design.points],
                                        range: levels.isEmpty ? nil : levels.max()! - levels.min()!, variance: v, points: levels.count))
                    }
                }
            }
        }
        return rows
    }

    /// The columns of `sensitivity.csv`.
    public static let columns: [CSVColumn<Row>] = [
        .text("kind") { $0.kind }, .text("figure") { $0.figure }, .text("parameter") { $0.parameter },
        .number("s1", unit: "share") { $0.s1 }, .number("st", unit: "share") { $0.st },
        .number("at_low") { $0.atLow }, .number("at_high") { $0.atHigh }, .number("range") { $0.range },
        .number("variance") { $0.variance }, .integer("points") { $0.points },
    ]

    /// Writes `DIR/sensitivity.csv` (atomically) and returns its rows.
    @discardableResult
    public static func write(_ plan: RunPlan, _ store: RunStore) throws -> [Row] {
        let r = try rows(plan, store)
        try CSVTable(columns, rows: r).write(to: store.root.appendingPathComponent("sensitivity.csv"))
        return r
    }
}
