import Foundation
import MigsimOutput

/// The free parameters a predictor was fitted to on one data set's fit subset.
public struct FitReport: Sendable {
    public let dataset: String
    public let predictor: String
    /// Each free parameter's key and fitted value (in the unit of its interval).
    public let parameters: [(key: String, value: Double, unit: String)]
    /// Mean squared log error over the fit subset at the fitted point.
    public let objective: Double
    /// Fit points (measured figures) the parameters were fitted on.
    public let fitPoints: Int
}

/// Validation against measurements: fit each data set's free parameters on
/// its fit subset, freeze them, and predict every point, replicated over seeds.
public enum MeasuredValidation {
    /// Seeds each objective evaluation averages over when fitting a stochastic
    /// predictor (common random numbers: the same seeds at every trial point).
    /// migsim's choice, trading fit noise against time.
    public static let fitSeeds = 5
    /// What a fit figure the predictor does not give adds to the objective:
    /// (ln 10^4.3)^2, as if it were off by a factor of 20,000 (migsim's
    /// choice: far worse than any figure it gives, still finite).
    public static let missingFigurePenalty = 100.0
    /// Objective evaluations per free parameter (Nelder-Mead).
    public static let evaluationsPerParameter = 60

    /// Runs every data set with every predictor that applies to it.
    public static func run(_ data: MeasuredData, predictors: [any MigrationPredictor]) throws -> (results: [ValidationResult], fits: [FitReport]) {
        var results: [ValidationResult] = []
        var fits: [FitReport] = []
        for set in data.datasets {
            let points = data.points.filter { $0.dataset == set.name }
            for predictor in predictors where predictor.name == "migsim" || set.model == "precopy" {
                let (r, f) = try run(set, points: points, predictor: predictor)
                results += r
                if let f { fits.append(f) }
            }
        }
        return (results, fits)
    }

    /// The runs of a data set: one per distinct (point, settings), in file order.
    static func runs(_ points: [MeasuredPoint]) -> [(point: String, settings: [String])] {
        var out: [(point: String, settings: [String])] = []
        for p in points where !out.contains(where: { $0.point == p.point && $0.settings == p.settings }) {
            out.append((p.point, p.settings))
        }
        return out
    }

    static func run(_ set: Dataset, points: [MeasuredPoint], predictor: any MigrationPredictor) throws
        -> (results: [ValidationResult], fit: FitReport?) {
        let runList = runs(points)
        /// The settings of a run: the data set's, then the fitted values that
        /// apply to its point, then the point's own.
        func settings(_ run: (point: String, settings: [String]), _ u: [Double]) -> [String] {
            set.settings + zip(set.free, u).filter { $0.0.applies(to: run.point) }.map { $0.assignment($0.value(at: $1)) } + run.settings
        }
        /// Run `i` at the free parameters `u`, once per seed (once for a deterministic predictor).
        func predictions(_ i: Int, _ u: [Double], seeds: Int) throws -> [Prediction] {
            try (1...(predictor.stochastic ? seeds : 1)).map { seed in try predictor.predict(settings(runList[i], u), seed: UInt64(seed)) }
        }
        func index(_ p: MeasuredPoint) -> Int { runList.firstIndex { $0.point == p.point && $0.settings == p.settings }! }
        /// The figure `m` of every prediction, or `nil` when one lacks it.
        func values(_ preds: [Prediction], _ m: Metric) -> [Double]? {
            let v = preds.compactMap { $0.value(m) }
            return v.count == preds.count ? v : nil
        }

        // Fit: minimise the mean squared log error over the fit subset.
        var fitted: [Double] = []
        var report: FitReport? = nil
        let fitPoints = points.filter { $0.use == .fit }
        if !set.free.isEmpty, !fitPoints.isEmpty {
            let (best, value) = try NelderMead.minimize(dimension: set.free.count, start: Array(repeating: 0.5, count: set.free.count),
                                                        evaluations: evaluationsPerParameter * set.free.count) { u in
                var sum = 0.0
                var cache: [Int: [Prediction]] = [:]
                for p in fitPoints {
                    let i = index(p)
                    if cache[i] == nil { cache[i] = try predictions(i, u, seeds: fitSeeds) }
                    guard let v = values(cache[i]!, p.metric), let m = SampleSummary(v)?.mean, m > 0 else {
                        sum += missingFigurePenalty
                        continue
                    }
                    sum += pow(log(m / p.value), 2)
                }
                return sum / Double(fitPoints.count)
            }
            fitted = best
            report = FitReport(dataset: set.name, predictor: predictor.name,
                               parameters: zip(set.free, best).map { (($0.point.map { $0 + ":" } ?? "") + $0.key, $0.value(at: $1), $0.unit) },
                               objective: value,
                               fitPoints: fitPoints.count)
        }

        // Predict every point with the parameters frozen, over the data set's seeds.
        let all = try runList.indices.map { try predictions($0, fitted, seeds: set.seeds) }
        var out: [ValidationResult] = []
        for p in points {
            guard let figures = values(all[index(p)], p.metric), let summary = SampleSummary(figures) else {
                // A closed form that does not give this figure (outside its
                // domain) says nothing; migsim not giving it is reported.
                guard predictor.stochastic else { continue }
                let given = all[index(p)].filter { $0.value(p.metric) != nil }.count
                var r = ValidationResult(caseClass: .validation, role: p.use.role, group: set.name, name: p.point, metric: p.metric.description,
                                         reference: p.value, simulated: .nan, tolerance: set.tolerance,
                                         note: "no figure: \(given) of \(all[index(p)].count) seeds gave one; \(p.source)")
                r.predictor = predictor.name
                r.printed = p.printed
                out.append(r)
                continue
            }
            let fitNote = report.map { r in
                "fitted " + r.parameters.map { "\($0.key)=" + String(format: "%.4g", $0.value) + $0.unit }.joined(separator: ", ")
            }
            var r = ValidationResult(caseClass: .validation, role: p.use.role, group: set.name, name: p.point, metric: p.metric.description,
                                     reference: p.value, simulated: summary.mean, tolerance: set.tolerance,
                                     note: ([p.source] + (fitNote.map { [$0] } ?? [])).joined(separator: "; "))
            r.predictor = predictor.name
            r.seeds = summary.count
            r.ci95 = summary.ci95
            r.printed = p.printed
            r.approximate = p.approximate
            let first = all[index(p)]
            r.rounds = first[0].rounds
            r.bytesSent = first[0].bytesSent
            out.append(r)
        }
        return (out, report)
    }
}
