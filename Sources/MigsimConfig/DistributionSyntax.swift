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
            return (try make(forms[0], [v], t), "constant(\(Quantity.format(v)))")
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
        return (try make(form, values, t), canonical)
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
        let canonical = "empirical(" + zip(values, weights).map { "\(Quantity.format($0)):\(Quantity.format($1))" }
            .joined(separator: ", ") + ")"
        return (d, canonical)
    }
}
