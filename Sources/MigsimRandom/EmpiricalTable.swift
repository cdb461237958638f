import CGSL

/// A preprocessed `gsl_ran_discrete_t` lookup table (Walker's alias method)
/// with the values or bin edges it samples.
///
/// Freed with `gsl_ran_discrete_free` in `deinit`. Immutable after init, so it
/// can be shared between threads.
@usableFromInline final class EmpiricalTable: @unchecked Sendable, CustomStringConvertible {
    let table: OpaquePointer
    /// Either point values (count == weights) or bin edges (count == weights + 1).
    let points: [Double]
    let isHistogram: Bool
    let mean: Double
    let minimum: Double

    init(values: [Double], weights: [Double]) throws {
        try Self.check(name: "empirical", weights: weights)
        guard values.count == weights.count else {
            throw DistributionError(distribution: "empirical", parameter: "values", value: "\(values.count) values",
                                    accepted: "exactly one value per weight (\(weights.count))")
        }
        for v in values where !v.isFinite {
            throw DistributionError(distribution: "empirical", parameter: "values", value: "\(v)", accepted: "finite numbers")
        }
        points = values
        isHistogram = false
        let total = weights.reduce(0, +)
        mean = zip(values, weights).reduce(0) { $0 + $1.0 * $1.1 } / total
        minimum = values.min() ?? 0
        table = try Self.preprocess(weights)
    }

    init(edges: [Double], weights: [Double]) throws {
        try Self.check(name: "histogram", weights: weights)
        guard edges.count == weights.count + 1 else {
            throw DistributionError(distribution: "histogram", parameter: "edges", value: "\(edges.count) edges",
                                    accepted: "one more edge than weights (\(weights.count + 1))")
        }
        for i in 0..<edges.count {
            guard edges[i].isFinite, i == 0 || edges[i] > edges[i - 1] else {
                throw DistributionError(distribution: "histogram", parameter: "edges[\(i)]", value: "\(edges[i])",
                                        accepted: "finite and strictly increasing")
            }
        }
        points = edges
        isHistogram = true
        let total = weights.reduce(0, +)
        var m = 0.0
        for i in 0..<weights.count { m += weights[i] * (edges[i] + edges[i + 1]) / 2 }
        mean = m / total
        minimum = edges[0]
        table = try Self.preprocess(weights)
    }

    private static func check(name: String, weights: [Double]) throws {
        guard !weights.isEmpty else {
            throw DistributionError(distribution: name, parameter: "weights", value: "[]", accepted: "at least one weight")
        }
        for (i, w) in weights.enumerated() where !(w.isFinite && w >= 0) {
            throw DistributionError(distribution: name, parameter: "weights[\(i)]", value: "\(w)", accepted: "a finite number >= 0")
        }
        guard weights.contains(where: { $0 > 0 }) else {
            throw DistributionError(distribution: name, parameter: "weights", value: "all zero", accepted: "at least one weight > 0")
        }
    }

    private static func preprocess(_ weights: [Double]) throws -> OpaquePointer {
        _ = gslErrorHandlerDisabled
        guard let t = weights.withUnsafeBufferPointer({ gsl_ran_discrete_preproc($0.count, $0.baseAddress) }) else {
            throw DistributionError(distribution: "empirical", parameter: "weights", value: "\(weights)",
                                    accepted: "weights GSL can preprocess (gsl_ran_discrete_preproc failed)")
        }
        return OpaquePointer(t)
    }

    deinit { gsl_ran_discrete_free(UnsafeMutablePointer(table)) }

    @usableFromInline func sample(_ stream: RandomStream) -> Double {
        let k = gsl_ran_discrete(stream.raw, UnsafePointer(table))
        if !isHistogram { return points[k] }
        return gsl_ran_flat(stream.raw, points[k], points[k + 1])
    }

    @usableFromInline var description: String {
        isHistogram ? "histogram(\(points.count - 1) bins)" : "empirical(\(points.count) values)"
    }
}
