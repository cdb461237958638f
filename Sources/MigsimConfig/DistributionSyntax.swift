import Foundation
import MigsimRandom

/// Distributions as written in scenario files: `gamma(4, 625)`, `uniform(3s, 7s)`,
/// `empirical(1s:0.5, 2s:0.5)`, or a bare value meaning `constant(value)`.
///
/// Location and scale arguments carry the key's unit; shapes, `mu`, `sigma`,
/// probabilities, counts and weights are plain numbers. Parameter checks are
/// MigsimRandom's (``DistributionError``), reported with the parameter's name.
enum DistributionSyntax {
    /// One form: its name, parameter names, which of them take the key's unit, and its factory.
    struct Form: Sendable {
        let name: String
        let parameters: [String]
        let withUnit: [Bool]
        let make: @Sendable ([Double]) throws -> Distribution
    }

    static let forms: [Form] = [
        Form(name: "constant", parameters: ["value"], withUnit: [true]) { try .constant($0[0]) },
        Form(name: "uniform", parameters: ["low", "high"], withUnit: [true, true]) { try .uniform(low: $0[0], high: $0[1]) },
        Form(name: "exponential", parameters: ["mean"], withUnit: [true]) { try .exponential(mean: $0[0]) },
        Form(name: "normal", parameters: ["mean", "sd"], withUnit: [true, true]) { try .normal(mean: $0[0], sd: $0[1]) },
        Form(name: "lognormal", parameters: ["mu", "sigma"], withUnit: [false, false]) { try .lognormal(mu: $0[0], sigma: $0[1]) },
        Form(name: "gamma", parameters: ["shape", "scale"], withUnit: [false, true]) { try .gamma(shape: $0[0], scale: $0[1]) },
        Form(name: "weibull", parameters: ["scale", "shape"], withUnit: [true, false]) { try .weibull(scale: $0[0], shape: $0[1]) },
        Form(name: "pareto", parameters: ["shape", "scale"], withUnit: [false, true]) { try .pareto(shape: $0[0], scale: $0[1]) },
        Form(name: "beta", parameters: ["a", "b"], withUnit: [false, false]) { try .beta(a: $0[0], b: $0[1]) },
        Form(name: "poisson", parameters: ["mean"], withUnit: [true]) { try .poisson(mean: $0[0]) },
        Form(name: "binomial", parameters: ["p", "n"], withUnit: [false, false]) { v in
            guard let n = Int(exactly: v[1]) else {
                throw Problem("binomial parameter 'n' = \(Quantity.format(v[1])) is not an integer",
                              accepted: "binomial n: an integer in [0, \(UInt32.max)]")
            }
            return try .binomial(p: v[0], n: n)
        },
    ]

    /// Largest magnitude, in the key's base unit (bytes, bytes/s, seconds,
    /// page writes/s, ...), of a distribution's mean and of its 0.001st and
    /// 99.999th percentiles. Far beyond any real VM or cluster, and far
    /// below where sums, products and conversions to nanoseconds overflow.
    public static let maximumMagnitude = 1e15
    /// Most `value:weight` items in one `empirical(...)`.
    public static let maximumEmpiricalItems = 10_000
    /// The standard normal's 99.999th percentile.
    static let z99999 = 4.264_890_793_922_602

    /// "constant(value), uniform(low, high), ..., empirical(v:w, v:w, ...)".
    static let formsText = forms.map { "\($0.name)(\($0.parameters.joined(separator: ", ")))" }.joined(separator: ", ")
        + ", empirical(v:w, v:w, ...)"

    /// The value type of a distribution over `q` (bare numbers in its base unit).
    static func type(_ q: Quantity, what: String, nonNegativeMean: Bool) -> ValueType<Distribution> {
        let unitNote = q.units.isEmpty ? "" : "; location and scale arguments take a unit: \(q.unitText)"
        let accepted = "a distribution of \(what)\(nonNegativeMean ? " with mean >= 0" : ""): a bare value (constant) or "
            + formsText + unitNote
        return ValueType(kind: "distribution", accepted: accepted) { text in
            let (d, canonical) = try parse(text, q)
            if nonNegativeMean, let m = d.mean, !(m >= 0) {
                throw Problem("'\(text.trimmingCharacters(in: .whitespaces))' has mean \(Quantity.format(m)) < 0")
            }
            return (d, canonical)
        }
    }

    /// The text a scenario file shows for `d`: a bare value for a constant,
    /// else `name(a, b)` with location and scale arguments in `q`'s units
    /// (``Quantity/text(_:unit:)``) and the others plain. Empirical tables do
    /// not keep their weights and print as their description (no default uses one).
    static func text(_ d: Distribution, _ q: Quantity) -> String {
        guard let (name, values) = d.parameters, let form = forms.first(where: { $0.name == name }) else { return d.description }
        if name == "constant" { return q.text(values[0]) }
        return "\(name)(" + zip(values, form.withUnit).map { $1 ? q.text($0) : Quantity.format($0) }.joined(separator: ", ") + ")"
    }

    /// The distribution and its canonical text (arguments in base units).
    static func parse(_ text: String, _ q: Quantity) throws -> (Distribution, String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard let name = Call.name(t) else {
            let v: Double
            do { v = try q.parse(t) } catch let p as Problem {
                let word = t.first.map { $0.isLetter } ?? false
                throw word ? Problem("'\(t)' is not a distribution (no '(...)') nor a number") : p
            }
            let d = try make(forms[0], [v], t)
            try checkMagnitude(t, "constant", [v])
            return (d, "constant(\(Quantity.format(v)))")
        }
        if name == "empirical" { return try empirical(t, q) }
        guard let form = forms.first(where: { $0.name == name }) else {
            throw Problem("unknown distribution '\(name)'")
        }
        let args = try Call.arguments(t, name: "\(name)(\(form.parameters.joined(separator: ", ")))", count: form.parameters.count)
        var values: [Double] = []
        for (i, a) in args.enumerated() {
            do {
                values.append(try (form.withUnit[i] ? q : .plain).parse(a))
            } catch let p as Problem {
                throw Problem("\(name) parameter '\(form.parameters[i])': \(p.message)")
            }
        }
        let canonical = "\(name)(" + values.map(Quantity.format).joined(separator: ", ") + ")"
        let d = try make(form, values, t)
        try checkMagnitude(t, name, values)
        return (d, canonical)
    }

    /// Natural logs of (a bound on) the 0.001st and 99.999th percentiles'
    /// magnitudes and of the mean's, for `name(values)`: computed in logs so
    /// that `lognormal(709, 1)` or `weibull(1, 0.01)` do not overflow here.
    static func logMagnitudes(_ name: String, _ v: [Double]) -> [Double] {
        let ln = { (x: Double) in x == 0 ? -Double.infinity : Foundation.log(abs(x)) }
        let tailLog = Foundation.log(Foundation.log(1e5))   // ln(ln(1e5)): exponential-type tails at 1e-5
        switch name {
        case "constant": return [ln(v[0])]
        case "uniform": return [ln(v[0]), ln(v[1])]
        case "exponential": return [ln(v[0]) + tailLog]
        case "normal": return [ln(abs(v[0]) + z99999 * v[1])]
        case "lognormal": return [v[0] + z99999 * v[1], v[0] + v[1] * v[1] / 2]
        case "gamma":
            // Cantelli: P(X >= mean + k sd) <= 1 / (1 + k^2), so k = 316.2 bounds the 99.999th percentile.
            let lnMean = ln(v[0]) + ln(v[1]), lnSD = 0.5 * ln(v[0]) + ln(v[1])
            return [max(lnMean, lnSD) + Foundation.log(317.3)]
        case "weibull": return [ln(v[0]) + tailLog / v[1], ln(v[0]) + lgamma(1 + 1 / v[1])]
        case "pareto": return [ln(v[1]) + Foundation.log(1e5) / v[0], v[0] > 1 ? ln(v[1]) + ln(v[0] / (v[0] - 1)) : -.infinity]
        case "poisson": return [ln(v[0] + 317 * v[0].squareRoot())]
        case "binomial": return [ln(v[1])]
        default: return []   // beta: within [0, 1]
        }
    }

    /// Refuses `name(values)` when its mean or 0.001st..99.999th percentiles
    /// reach ``maximumMagnitude`` (or overflow): such samples trap or lose all
    /// precision at run time.
    static func checkMagnitude(_ text: String, _ name: String, _ values: [Double]) throws {
        let limit = Foundation.log(maximumMagnitude)
        guard let worst = logMagnitudes(name, values).max(), !(worst <= limit) else { return }
        throw Problem("'\(text.prefix(80))': its mean or 99.999th percentile is "
                      + (worst < 700 ? String(format: "about %.3g", Foundation.exp(worst)) : "beyond the range of a double"),
                      accepted: "a distribution whose mean and 0.001st to 99.999th percentiles lie within "
                      + "+-\(String(format: "%.0e", maximumMagnitude)) in the key's base unit")
    }

    /// Calls the factory, turning a ``DistributionError`` into a ``Problem`` naming the parameter.
    static func make(_ form: Form, _ values: [Double], _ text: String) throws -> Distribution {
        do {
            return try form.make(values)
        } catch let e as DistributionError {
            throw Problem("'\(text)': \(e.distribution) parameter '\(e.parameter)' = \(e.value) is invalid",
                          accepted: "\(e.distribution) \(e.parameter): \(e.accepted)")
        }
    }

    /// `empirical(v:w, ...)`: values in the key's unit, plain weights.
    static func empirical(_ t: String, _ q: Quantity) throws -> (Distribution, String) {
        let items = t.utf8.reduce(1) { $0 + ($1 == UInt8(ascii: ",") ? 1 : 0) }
        guard items <= maximumEmpiricalItems else {
            throw Problem("empirical(...) with \(items) items", accepted: "empirical(v:w, ...) with at most \(maximumEmpiricalItems) items")
        }
        let args = try Call.arguments(t, name: "empirical(v:w, ...)", count: nil)
        var values: [Double] = [], weights: [Double] = []
        for a in args {
            let parts = a.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2 else { throw Problem("empirical item '\(a)' is not value:weight") }
            do {
                values.append(try q.parse(String(parts[0])))
                weights.append(try Quantity.plain.parse(String(parts[1])))
            } catch let p as Problem {
                throw Problem("empirical item '\(a)': \(p.message)")
            }
        }
        let d: Distribution
        do {
            d = try .empirical(values: values, weights: weights)
        } catch let e as DistributionError {
            throw Problem("'\(t)': \(e.distribution) parameter '\(e.parameter)' = \(e.value) is invalid",
                          accepted: "\(e.distribution) \(e.parameter): \(e.accepted)")
        }
        if let low = values.min(), let high = values.max() { try checkMagnitude(t, "uniform", [low, high]) }
        let canonical = "empirical(" + zip(values, weights).map { "\(Quantity.format($0)):\(Quantity.format($1))" }
            .joined(separator: ", ") + ")"
        return (d, canonical)
    }
}
