import MigsimModel
import MigsimRandom

/// Parsing of values with units: sizes, rates, durations and distributions.
///
/// Sizes: `B KiB MiB GiB TiB KB MB GB TB` (bare number = bytes). Rates:
/// `bps Kbps Mbps Gbps` (bits/s) and `B/s KB/s MB/s GB/s KiB/s MiB/s GiB/s`
/// (bare number = bytes/s). Durations: `ns us ms s min h` (bare number =
/// seconds). Each parser returns `nil` for text it cannot read.
enum UnitParser {
    static let sizeUnits: [(String, Double)] = [
        ("TiB", Units.GiB * 1024), ("GiB", Units.GiB), ("MiB", Units.MiB), ("KiB", Units.KiB),
        ("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("KB", 1e3), ("B", 1),
    ]
    static let rateUnits: [(String, Double)] = [
        ("GiB/s", Units.GiB), ("MiB/s", Units.MiB), ("KiB/s", Units.KiB), ("GB/s", 1e9), ("MB/s", 1e6), ("KB/s", 1e3),
        ("B/s", 1), ("Gbps", 1e9 / 8), ("Mbps", 1e6 / 8), ("Kbps", 1e3 / 8), ("bps", 1.0 / 8),
    ]
    static let durationUnits: [(String, Double)] = [("min", 60), ("ms", 1e-3), ("us", 1e-6), ("ns", 1e-9), ("h", 3600), ("s", 1)]

    /// A finite number followed by one of `units` (or none).
    static func quantity(_ text: String, _ units: [(String, Double)]) -> Double? {
        let t = text.trimmingCharacters(in: .whitespaces)
        for (suffix, factor) in units where t.hasSuffix(suffix) {
            let number = String(t.dropLast(suffix.count)).trimmingCharacters(in: .whitespaces)
            if let v = Double(number), v.isFinite { return v * factor }
        }
        if let v = Double(t), v.isFinite { return v }
        return nil
    }

    static func size(_ t: String) -> Double? { quantity(t, sizeUnits) }
    static func rate(_ t: String) -> Double? { quantity(t, rateUnits) }
    static func duration(_ t: String) -> Double? { quantity(t, durationUnits) }

    /// A distribution: `name(arg, ...)` or a bare quantity (constant).
    /// `unit` parses each argument (so `uniform(3s, 7s)` works).
    static func distribution(_ text: String, unit: (String) -> Double?) throws -> Distribution? {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard let open = t.firstIndex(of: "("), t.hasSuffix(")") else {
            return try unit(t).map { try .constant($0) }
        }
        let name = String(t[..<open]).trimmingCharacters(in: .whitespaces)
        let inner = t[t.index(after: open)..<t.index(before: t.endIndex)]
        let parts = inner.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        if name == "empirical" {
            var values: [Double] = [], weights: [Double] = []
            for p in parts {
                let vw = p.split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) }
                guard vw.count == 2, let v = unit(vw[0]), let w = Double(vw[1]) else { return nil }
                values.append(v)
                weights.append(w)
            }
            return try .empirical(values: values, weights: weights)
        }
        let arity = ["constant": 1, "uniform": 2, "exponential": 1, "normal": 2, "lognormal": 2, "gamma": 2, "weibull": 2,
                     "pareto": 2, "beta": 2, "poisson": 1, "binomial": 2]
        guard let n = arity[name], parts.count == n else { return nil }
        // Shape-like parameters are plain numbers; location/scale ones carry the key's unit.
        func num(_ i: Int) -> Double? { Double(parts[i]) }
        func u(_ i: Int) -> Double? { unit(parts[i]) }
        switch name {
        case "constant": return try u(0).map { try .constant($0) }
        case "uniform": guard let a = u(0), let b = u(1) else { return nil }; return try .uniform(low: a, high: b)
        case "exponential": return try u(0).map { try .exponential(mean: $0) }
        case "normal": guard let a = u(0), let b = u(1) else { return nil }; return try .normal(mean: a, sd: b)
        case "lognormal": guard let a = num(0), let b = num(1) else { return nil }; return try .lognormal(mu: a, sigma: b)
        case "gamma": guard let a = num(0), let b = u(1) else { return nil }; return try .gamma(shape: a, scale: b)
        case "weibull": guard let a = u(0), let b = num(1) else { return nil }; return try .weibull(scale: a, shape: b)
        case "pareto": guard let a = num(0), let b = u(1) else { return nil }; return try .pareto(shape: a, scale: b)
        case "beta": guard let a = num(0), let b = num(1) else { return nil }; return try .beta(a: a, b: b)
        case "poisson": return try u(0).map { try .poisson(mean: $0) }
        case "binomial": guard let p = num(0), let n = Int(parts[1]) else { return nil }; return try .binomial(p: p, n: n)
        default: return nil
        }
    }

    static let distributionForms = "a number, or constant(x), uniform(low, high), exponential(mean), normal(mean, sd), lognormal(mu, sigma), gamma(shape, scale), weibull(scale, shape), pareto(shape, scale), beta(a, b), poisson(mean), binomial(p, n), empirical(v:w, ...)"
}

import Foundation
