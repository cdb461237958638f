import Foundation
import MigsimConfig
import MigsimOutput
import MigsimRandom

/// Sobol sensitivity indices from Saltelli's design: the estimators and their
/// bootstrap intervals.
///
/// With f_A, f_B and f_AB^(i) the outputs at the rows of A, B and A_B^(i)
/// (``SampleDesign``) and V their variance, Saltelli et al. 2010 (Computer
/// Physics Communications 181(2):259-270), Table 2:
///
/// - first order, estimator (b): `S_i  = mean_j(f_B(j) (f_AB^(i)(j) - f_A(j))) / V`
/// - total, Jansen's estimator (f): `S_Ti = mean_j((f_A(j) - f_AB^(i)(j))^2) / (2 V)`
///
/// V is the population variance (divisor 2N) of the 2N outputs of A and B
/// together, as SALib's `sobol.analyze` takes it. Both estimators cost O(N k).
public enum SobolEstimator {
    /// One parameter's indices; `nil` when the output does not vary (V = 0).
    public struct Indices: Equatable, Sendable {
        public var first: Double?
        public var total: Double?
    }

    /// The population variance of `fA` and `fB` together, summed in order.
    public static func variance(_ fA: [Double], _ fB: [Double]) -> Double {
        let all = fA + fB
        guard !all.isEmpty else { return 0 }
        let m = all.reduce(0, +) / Double(all.count)
        return all.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(all.count)
    }

    /// S_i and S_Ti of each parameter, in `fAB` order.
    /// - Precondition: `fA`, `fB` and every `fAB[i]` have the same length N >= 1.
    public static func indices(fA: [Double], fB: [Double], fAB: [[Double]]) -> [Indices] {
        let n = fA.count
        precondition(n >= 1 && fB.count == n && fAB.allSatisfy { $0.count == n }, "Saltelli design: A, B and every AB^(i) need the same N >= 1 rows")
        let v = variance(fA, fB)
        return fAB.map { fi in
            guard v > 0 else { return Indices(first: nil, total: nil) }
            var first = 0.0, total = 0.0
            for j in 0..<n {
                first += fB[j] * (fi[j] - fA[j])
                total += (fA[j] - fi[j]) * (fA[j] - fi[j])
            }
            return Indices(first: first / Double(n) / v, total: total / Double(n) / (2 * v))
        }
    }

    /// A 95 % percentile interval of each index: `resamples` bootstrap
    /// replicates (Efron and Tibshirani 1993, ch. 13), each drawing N rows j
    /// with replacement from `stream` and recomputing V and both indices; the
    /// bounds are the 2.5th and 97.5th percentiles (Hyndman and Fan type 7).
    /// Deterministic: the rows come from the keyed stream only.
    public static func bootstrap(fA: [Double], fB: [Double], fAB: [[Double]], resamples: Int,
                                 stream: RandomStream) -> [(first: ClosedRange<Double>?, total: ClosedRange<Double>?)] {
        let n = fA.count, k = fAB.count
        guard resamples >= 2, n >= 2 else { return Array(repeating: (nil, nil), count: k) }
        var firsts = [[Double]](repeating: [], count: k), totals = [[Double]](repeating: [], count: k)
        var rows = [Int](repeating: 0, count: n)
        for _ in 0..<resamples {
            for j in 0..<n { rows[j] = Int(stream.index(below: UInt32(n))) }
            let est = indices(fA: rows.map { fA[$0] }, fB: rows.map { fB[$0] }, fAB: fAB.map { f in rows.map { f[$0] } })
            for i in 0..<k {
                if let s = est[i].first { firsts[i].append(s) }
                if let s = est[i].total { totals[i].append(s) }
            }
        }
        func interval(_ xs: [Double]) -> ClosedRange<Double>? {
            guard xs.count >= 2 else { return nil }
            let s = xs.sorted()
            return quantile7(s, 0.025)...quantile7(s, 0.975)
        }
        return (0..<k).map { (interval(firsts[$0]), interval(totals[$0])) }
    }

    /// The type-7 quantile (linear interpolation, Hyndman and Fan 1996) of sorted values.
    static func quantile7(_ sorted: [Double], _ p: Double) -> Double {
        let h = Double(sorted.count - 1) * p
        let lo = Int(h.rounded(.down)), hi = Swift.min(lo + 1, sorted.count - 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }
}

/// `migsim sweep sensitivity`: Sobol indices (Saltelli design) or one-at-a-time
/// ranges (OAT) of every ``ReplicationSummary/figures`` figure, per kind and
/// sampled parameter, from every run's `summary.csv` (`sensitivity.csv`).
///
/// A point's output is the mean of the figure over the point's replications.
/// Saltelli: rows j where the figure is empty at A_j, B_j or any A_B^(i)_j
/// (no completed migration of the kind) are left out of every index of that
/// kind and figure; `n` says how many rows remain.
public enum SensitivityAnalysis {
    /// One output row: a kind, a figure and a parameter.
    public struct Row: Sendable {
        public let method: String
        public let kind: String
        public let figure: ReplicationSummary.Figure
        public let parameter: SampledParameter
        /// Saltelli: rows used; OAT: levels with a value.
        public let n: Int
        /// Mean and population standard deviation of the outputs used (Saltelli: A and B; OAT: the levels).
        public let mean: Double?
        public let sd: Double?
        public var first: Double? = nil, firstInterval: ClosedRange<Double>? = nil
        public var total: Double? = nil, totalInterval: ClosedRange<Double>? = nil
        /// OAT: the output of the base scenario, and the least and greatest output over the levels.
        public var base: Double? = nil, minimum: Double? = nil, maximum: Double? = nil
        /// OAT: the output at the lowest and the highest level.
        public var atLow: Double? = nil, atHigh: Double? = nil
    }

    /// Bootstrap replicates of each Saltelli index, for its interval.
    public static let defaultResamples = 1000

    /// The columns of `sensitivity.csv` (README, "Sensitivity").
    public static let columns: [CSVColumn<Row>] = {
        func figure(_ name: String, _ value: @escaping @Sendable (Row) -> Double?) -> CSVColumn<Row> {
            CSVColumn(name) { row, bytes in
                let x = value(row)
                row.figure.isBytes ? CSVCell.bytes(x, to: &bytes) : CSVCell.seconds(x, to: &bytes)
            }
        }
        return [
            .text("method") { $0.method }, .text("kind") { $0.kind }, .text("figure") { $0.figure.column },
            .text("parameter") { $0.parameter.key },
            .text("low") { $0.parameter.text($0.parameter.low) }, .text("high") { $0.parameter.text($0.parameter.high) },
            .text("scale") { $0.parameter.scale.rawValue + ($0.parameter.integer ? " integer" : "") },
            .integer("n") { $0.n },
            figure("output_mean") { $0.mean }, figure("output_sd") { $0.sd },
            .number("s1") { $0.first }, .number("s1_ci_low") { $0.firstInterval?.lowerBound }, .number("s1_ci_high") { $0.firstInterval?.upperBound },
            .number("st") { $0.total }, .number("st_ci_low") { $0.totalInterval?.lowerBound }, .number("st_ci_high") { $0.totalInterval?.upperBound },
            figure("oat_base") { $0.base }, figure("oat_at_low") { $0.atLow }, figure("oat_at_high") { $0.atHigh },
            figure("oat_min") { $0.minimum }, figure("oat_max") { $0.maximum },
            figure("oat_range") { r in r.maximum.flatMap { mx in r.minimum.map { mx - $0 } } },
        ]
    }()

    /// Each design point's output: per kind (in the order the first run lists
    /// them), per figure, the mean over the point's replications (`nil` if none gave it).
    static func pointOutputs(_ plan: RunPlan, _ store: RunStore) throws -> (kinds: [String], values: [String: [[Double?]]]) {
        let reps = plan.spec.replications
        let points = plan.runs.count / reps
        var kinds: [String] = []
        var values: [String: [[Double?]]] = [:]
        for p in 0..<points {
            var sums: [String: [(Double, Int)]] = [:]
            for run in plan.runs[(p * reps)..<((p + 1) * reps)] {
                for (kind, xs) in try ReplicationSummary.figureValues(of: run, store) {
                    if values[kind] == nil {
                        kinds.append(kind)
                        values[kind] = Array(repeating: Array(repeating: nil, count: points), count: ReplicationSummary.figures.count)
                    }
                    var s = sums[kind] ?? Array(repeating: (0, 0), count: xs.count)
                    for (i, x) in xs.enumerated() { if let x { s[i].0 += x; s[i].1 += 1 } }
                    sums[kind] = s
                }
            }
            for kind in kinds {
                guard let s = sums[kind] else { continue }
                for (i, (sum, count)) in s.enumerated() where count > 0 { values[kind]![i][p] = sum / Double(count) }
            }
        }
        return (kinds, values)
    }

    /// The rows for every kind, figure and parameter (in that nesting order).
    /// - Throws: ``SweepError`` when the spec has no `sample:` section, or a run is missing or stale.
    public static func rows(_ plan: RunPlan, _ store: RunStore, resamples: Int = defaultResamples) throws -> [Row] {
        guard let design = plan.spec.sample else {
            throw SweepError("\(plan.spec.path): no sample section; accepted: a sweep spec with sample: (method saltelli or oat)")
        }
        try store.requireComplete(plan, for: "analyse sensitivity")
        let (kinds, outputs) = try pointOutputs(plan, store)
        var rows: [Row] = []
        for kind in kinds {
            for (fi, figure) in ReplicationSummary.figures.enumerated() {
                let f = outputs[kind]![fi]
                switch design.method {
                case .saltelli:
                    rows += saltelliRows(design, f, kind: kind, figure: figure, resamples: resamples, seed: plan.spec.seed)
                case .oat:
                    rows += oatRows(design, f, kind: kind, figure: figure)
                }
            }
        }
        return rows
    }

    static func saltelliRows(_ design: SampleDesign, _ f: [Double?], kind: String, figure: ReplicationSummary.Figure,
                             resamples: Int, seed: UInt64) -> [Row] {
        let k = design.parameters.count
        var fA: [Double] = [], fB: [Double] = [], fAB = [[Double]](repeating: [], count: k)
        // Blocks of k + 2 points: A_j, A_B^(1)_j ... A_B^(k)_j, B_j (SampleDesign).
        var start = 0
        while start + k + 1 < f.count {
            let block = f[start..<(start + k + 2)]
            start += k + 2
            guard block.allSatisfy({ $0 != nil }) else { continue }
            let b = block.map { $0! }
            fA.append(b[0]); fB.append(b[k + 1])
            for i in 0..<k { fAB[i].append(b[i + 1]) }
        }
        let n = fA.count
        let all = fA + fB
        let mean = n > 0 ? all.reduce(0, +) / Double(all.count) : nil
        let sd = n > 0 ? SobolEstimator.variance(fA, fB).squareRoot() : nil
        let est = n > 0 ? SobolEstimator.indices(fA: fA, fB: fB, fAB: fAB) : Array(repeating: .init(first: nil, total: nil), count: k)
        let stream = RandomStream(StreamKey(seed: seed, purpose: StreamPurpose("sensitivity-bootstrap/\(kind)/\(figure.column)")))
        let ci = SobolEstimator.bootstrap(fA: fA, fB: fB, fAB: fAB, resamples: resamples, stream: stream)
        return design.parameters.enumerated().map { i, p in
            var r = Row(method: "saltelli", kind: kind, figure: figure, parameter: p, n: n, mean: mean, sd: sd)
            r.first = est[i].first
            r.total = est[i].total
            r.firstInterval = ci[i].first
            r.totalInterval = ci[i].total
            return r
        }
    }

    static func oatRows(_ design: SampleDesign, _ f: [Double?], kind: String, figure: ReplicationSummary.Figure) -> [Row] {
        let base = design.roles.indices.first { design.roles[$0] == .base }.flatMap { f[$0] }
        return design.parameters.enumerated().map { i, p in
            var levels: [(level: Int, value: Double)] = []
            for (pt, role) in design.roles.enumerated() {
                if case .level(let pi, let l) = role, pi == i, let x = f[pt] { levels.append((l, x)) }
            }
            let xs = levels.map(\.value)
            let mean = xs.isEmpty ? nil : xs.reduce(0, +) / Double(xs.count)
            let sd = mean.map { m in (xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count)).squareRoot() }
            var r = Row(method: "oat", kind: kind, figure: figure, parameter: p, n: xs.count, mean: mean, sd: sd)
            r.base = base
            r.minimum = xs.min()
            r.maximum = xs.max()
            if case .oat(let count) = design.method {
                r.atLow = levels.first { $0.level == 0 }?.value
                r.atHigh = levels.first { $0.level == count - 1 }?.value
            }
            return r
        }
    }

    /// Writes `DIR/sensitivity.csv` (atomically) and returns its rows.
    @discardableResult
    public static func write(_ plan: RunPlan, _ store: RunStore, resamples: Int = defaultResamples) throws -> [Row] {
        let r = try rows(plan, store, resamples: resamples)
        try CSVTable(columns, rows: r).write(to: store.root.appendingPathComponent("sensitivity.csv"))
        return r
    }
}
