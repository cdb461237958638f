import Foundation
import MigsimConfig
import MigsimOutput
import MigsimRandom

/// The mean of independent replications and its Student-t 95 % interval.
///
/// Each replication of a grid point is one run with its own seed, so its
/// figures (one row of `summary.csv` per kind) are independent and
/// identically distributed: the interval across them is the one to cite.
/// The per-run `downtime_ci95_s` is not: the migrations of one run share
/// links and queues, so they are correlated and that interval is too narrow.
public struct ReplicationEstimate: Equatable, Sendable {
    /// Replications that gave the figure.
    public let n: Int
    /// Mean over replications, summed in replication order.
    public let mean: Double
    /// Sample standard deviation (divisor n - 1); `nil` for n < 2.
    public let sd: Double?
    /// Half-width of the 95 % confidence interval of the mean:
    /// `t(0.975, n - 1) * sd / sqrt(n)` (``studentTQuantile(_:dof:)``, GSL); `nil` for n < 2.
    public let ci95: Double?

    /// The estimate from `values` in replication order; `nil` when empty.
    public init?(_ values: [Double]) {
        guard !values.isEmpty else { return nil }
        n = values.count
        let m = values.reduce(0, +) / Double(n)
        mean = m
        if n >= 2 {
            let s = (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(n - 1)).squareRoot()
            sd = s
            ci95 = studentTQuantile(0.975, dof: Double(n - 1)) * s / Double(n).squareRoot()
        } else {
            sd = nil
            ci95 = nil
        }
    }
}

/// `migsim sweep summarize`: statistics across replications, one row per
/// grid point and kind, from every run's `summary.csv` (`replications.csv`).
public enum ReplicationSummary {
    /// A figure of `summary.csv` that is summarised, and how its cells are written.
    public struct Figure: Sendable {
        public let column: String
        /// Seconds (`%.9f`) or bytes (whole, else three decimals).
        public let isBytes: Bool
    }

    /// The figures, in column order.
    public static let figures: [Figure] = [
        Figure(column: "downtime_mean_s", isBytes: false), Figure(column: "downtime_p95_s", isBytes: false),
        Figure(column: "total_time_mean_s", isBytes: false), Figure(column: "makespan_s", isBytes: false),
        Figure(column: "bytes_sent_total", isBytes: true),
    ]

    /// The statistics written for each figure: `<figure>_<suffix>`.
    public static let statistics = ["n", "mean", "sd", "ci95"]

    /// One output row: a grid point, a kind, its replications and an estimate per figure.
    public struct Row: Sendable {
        public let parameters: [String]
        public let kind: String
        public let replications: Int
        /// In ``figures`` order; `nil` when no replication gave the figure.
        public let estimates: [ReplicationEstimate?]
    }

    /// The columns of `replications.csv`: the grid keys (named as in `runs.csv`), `kind`, `n`, then
    /// `<figure>_n`, `_mean`, `_sd`, `_ci95` for each figure.
    public static func columns(_ spec: SweepSpec) -> [CSVColumn<Row>] {
        let grid = RunStore.indexHeader(spec).dropFirst(3)
        var out: [CSVColumn<Row>] = grid.enumerated().map { i, name in .text(name) { $0.parameters[i] } }
        out.append(.text("kind") { $0.kind })
        out.append(.integer("n") { $0.replications })
        for (i, f) in figures.enumerated() {
            let unit = f.isBytes ? "bytes" : "s"
            func cell(_ name: String, _ value: @escaping @Sendable (ReplicationEstimate) -> Double?) -> CSVColumn<Row> {
                CSVColumn("\(f.column)_\(name)", unit: unit) { row, bytes in
                    let x = row.estimates[i].flatMap(value)
                    f.isBytes ? CSVCell.bytes(x, to: &bytes) : CSVCell.seconds(x, to: &bytes)
                }
            }
            out.append(.integer("\(f.column)_n") { $0.estimates[i]?.n ?? 0 })
            out += [cell("mean") { $0.mean }, cell("sd") { $0.sd }, cell("ci95") { $0.ci95 }]
        }
        return out
    }

    /// The rows of every grid point (in run order) and kind (in the order of the first replication's summary).
    /// - Throws: ``SweepError`` when a run is missing or stale, or its `summary.csv` lacks a column.
    public static func rows(_ plan: RunPlan, _ store: RunStore) throws -> [Row] {
        try store.requireComplete(plan, for: "summarize")
        var rows: [Row] = []
        var start = 0
        while start < plan.runs.count {
            var end = start
            while end < plan.runs.count, plan.runs[end].parameters == plan.runs[start].parameters { end += 1 }
            var kinds: [String] = []
            var values: [String: [[Double]]] = [:]
            var counts: [String: Int] = [:]
            for run in plan.runs[start..<end] {
                for (kind, figureValues) in try figureValues(of: run, store) {
                    if values[kind] == nil {
                        kinds.append(kind)
                        values[kind] = Array(repeating: [], count: figures.count)
                    }
                    counts[kind, default: 0] += 1
                    for (i, x) in figureValues.enumerated() { if let x { values[kind]![i].append(x) } }
                }
            }
            for kind in kinds {
                rows.append(Row(parameters: plan.runs[start].parameters, kind: kind, replications: counts[kind] ?? 0,
                                estimates: (values[kind] ?? []).map { ReplicationEstimate($0) }))
            }
            start = end
        }
        return rows
    }

    /// The ``figures`` of each row of one run's `summary.csv`, in row order: its
    /// kind and each figure (`nil` where the cell is empty).
    /// - Throws: ``SweepError`` when the file cannot be read, lacks a column or holds a cell that is not a finite number.
    public static func figureValues(of run: SweepRun, _ store: RunStore) throws -> [(kind: String, values: [Double?])] {
        let path = store.directory(run.id).appendingPathComponent("summary.csv").path
        let csv: CSVRecords
        do { csv = try CSVRecords.load(path: path, accepted: "a summary.csv written by migsim", maximumRows: 10_000) } catch {
            throw SweepError("\(error)")
        }
        let index = csv.columnIndex
        guard let k = index["kind"] else { throw SweepError("\(path): no kind column; accepted: a summary.csv written by migsim") }
        let positions = try figures.map { f -> Int in
            guard let p = index[f.column] else { throw SweepError("\(path): no \(f.column) column; accepted: a summary.csv written by migsim") }
            return p
        }
        return try csv.records.map { r in
            let values = try positions.enumerated().map { i, p -> Double? in
                guard !r.fields[p].isEmpty else { return nil }
                guard let x = Double(r.fields[p]), x.isFinite else {
                    throw SweepError("\(path): line \(r.line): \(figures[i].column): '\(r.fields[p].prefix(40))' is not a number; accepted: a summary.csv written by migsim")
                }
                return x
            }
            return (r.fields[k], values)
        }
    }

    /// Writes `DIR/replications.csv` (atomically) and returns its rows.
    @discardableResult
    public static func write(_ plan: RunPlan, _ store: RunStore) throws -> [Row] {
        let r = try rows(plan, store)
        try CSVTable(columns(plan.spec), rows: r).write(to: store.root.appendingPathComponent("replications.csv"))
        return r
    }
}
