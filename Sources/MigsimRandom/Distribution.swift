import CGSL
import Foundation

/// An invalid distribution parameter: names the distribution, the parameter,
/// the value given and what is accepted.
public struct DistributionError: Error, Equatable, Sendable, CustomStringConvertible {
    public let distribution: String
    public let parameter: String
    public let value: String
    public let accepted: String

    public var description: String {
        "\(distribution): parameter '\(parameter)' = \(value) is invalid; accepted: \(accepted)"
    }
}

/// A validated probability distribution sampled through GSL.
///
/// Construct one with a throwing factory (`try .exponential(mean: 2)`); an
/// invalid parameter throws a ``DistributionError`` that names it, so GSL is
/// never called with arguments it would reject. Each case notes the GSL
/// function that samples it. The value is immutable and cheap to copy (the
/// empirical case shares its preprocessed table).
public struct Distribution: Sendable, CustomStringConvertible {
    @usableFromInline enum Storage: Sendable {
        case constant(Double)
        case uniform(Double, Double)
        case exponential(Double)
        case normal(Double, Double)
        case lognormal(Double, Double)
        case gamma(Double, Double)
        case weibull(Double, Double)
        case pareto(Double, Double)
        case beta(Double, Double)
        case poisson(Double)
        case binomial(Double, UInt32)
        case empirical(EmpiricalTable)
    }
    @usableFromInline let storage: Storage

    private init(_ s: Storage) { storage = s }

    // MARK: Validation helpers

    private static func finite(_ d: String, _ p: String, _ v: Double) throws -> Double {
        guard v.isFinite else { throw DistributionError(distribution: d, parameter: p, value: "\(v)", accepted: "a finite number") }
        return v
    }
    private static func positive(_ d: String, _ p: String, _ v: Double) throws -> Double {
        guard v.isFinite, v > 0 else { throw DistributionError(distribution: d, parameter: p, value: "\(v)", accepted: "a finite number > 0") }
        return v
    }

    // MARK: Factories

    /// Always `value`.
    public static func constant(_ value: Double) throws -> Distribution {
        .init(.constant(try finite("constant", "value", value)))
    }
    /// Uniform on [low, high) (`gsl_ran_flat`).
    public static func uniform(low: Double, high: Double) throws -> Distribution {
        let a = try finite("uniform", "low", low), b = try finite("uniform", "high", high)
        guard b > a else { throw DistributionError(distribution: "uniform", parameter: "high", value: "\(high)", accepted: "a finite number > low (\(low))") }
        return .init(.uniform(a, b))
    }
    /// Exponential with the given mean (`gsl_ran_exponential`).
    public static func exponential(mean: Double) throws -> Distribution {
        .init(.exponential(try positive("exponential", "mean", mean)))
    }
    /// Normal with mean and standard deviation (`gsl_ran_gaussian`).
    public static func normal(mean: Double, sd: Double) throws -> Distribution {
        .init(.normal(try finite("normal", "mean", mean), try positive("normal", "sd", sd)))
    }
    /// Lognormal: `exp(N(mu, sigma))` (`gsl_ran_lognormal`, zeta = mu).
    public static func lognormal(mu: Double, sigma: Double) throws -> Distribution {
        .init(.lognormal(try finite("lognormal", "mu", mu), try positive("lognormal", "sigma", sigma)))
    }
    /// Gamma with shape k and scale theta, mean k*theta (`gsl_ran_gamma`).
    public static func gamma(shape: Double, scale: Double) throws -> Distribution {
        .init(.gamma(try positive("gamma", "shape", shape), try positive("gamma", "scale", scale)))
    }
    /// Weibull with scale lambda and shape k (`gsl_ran_weibull(r, a = scale, b = shape)`).
    public static func weibull(scale: Double, shape: Double) throws -> Distribution {
        .init(.weibull(try positive("weibull", "scale", scale), try positive("weibull", "shape", shape)))
    }
    /// Pareto type I with shape alpha and minimum (scale) x_m (`gsl_ran_pareto(r, a = shape, b = scale)`).
    public static func pareto(shape: Double, scale: Double) throws -> Distribution {
        .init(.pareto(try positive("pareto", "shape", shape), try positive("pareto", "scale", scale)))
    }
    /// Beta on (0, 1) (`gsl_ran_beta`).
    public static func beta(a: Double, b: Double) throws -> Distribution {
        .init(.beta(try positive("beta", "a", a), try positive("beta", "b", b)))
    }
    /// Poisson with the given mean (`gsl_ran_poisson`); mean 0 is allowed and always gives 0.
    public static func poisson(mean: Double) throws -> Distribution {
        guard mean.isFinite, mean >= 0, mean < 4e9 else {
            throw DistributionError(distribution: "poisson", parameter: "mean", value: "\(mean)", accepted: "a finite number in [0, 4e9)")
        }
        return .init(.poisson(mean))
    }
    /// Binomial: successes in `n` trials of probability `p` (`gsl_ran_binomial`).
    public static func binomial(p: Double, n: Int) throws -> Distribution {
        guard p.isFinite, p >= 0, p <= 1 else {
            throw DistributionError(distribution: "binomial", parameter: "p", value: "\(p)", accepted: "a number in [0, 1]")
        }
        guard n >= 0, n <= Int(UInt32.max) else {
            throw DistributionError(distribution: "binomial", parameter: "n", value: "\(n)", accepted: "an integer in [0, \(UInt32.max)]")
        }
        return .init(.binomial(p, UInt32(n)))
    }
    /// A discrete distribution over `values` with relative `weights` (`gsl_ran_discrete`).
    public static func empirical(values: [Double], weights: [Double]) throws -> Distribution {
        .init(.empirical(try EmpiricalTable(values: values, weights: weights)))
    }
    /// A histogram: pick bin `i` of `[edges[i], edges[i+1])` with relative
    /// weight `weights[i]` (`gsl_ran_discrete`), then a uniform point in it.
    public static func histogram(edges: [Double], weights: [Double]) throws -> Distribution {
        .init(.empirical(try EmpiricalTable(edges: edges, weights: weights)))
    }

    // MARK: Use

    /// One sample from `stream`.
    @inlinable public func sample(_ stream: RandomStream) -> Double {
        let r = stream.raw
        switch storage {
        case .constant(let v): return v
        case .uniform(let a, let b): return gsl_ran_flat(r, a, b)
        case .exponential(let mu): return gsl_ran_exponential(r, mu)
        case .normal(let mu, let sd): return mu + gsl_ran_gaussian(r, sd)
        case .lognormal(let mu, let s): return gsl_ran_lognormal(r, mu, s)
        case .gamma(let k, let th): return gsl_ran_gamma(r, k, th)
        case .weibull(let sc, let sh): return gsl_ran_weibull(r, sc, sh)
        case .pareto(let a, let xm): return gsl_ran_pareto(r, a, xm)
        case .beta(let a, let b): return gsl_ran_beta(r, a, b)
        case .poisson(let mu): return Double(gsl_ran_poisson(r, mu))
        case .binomial(let p, let n): return Double(gsl_ran_binomial(r, p, n))
        case .empirical(let t): return t.sample(stream)
        }
    }

    /// The distribution's mean (`nil` where it is infinite: Pareto with shape <= 1).
    public var mean: Double? {
        switch storage {
        case .constant(let v): return v
        case .uniform(let a, let b): return (a + b) / 2
        case .exponential(let mu): return mu
        case .normal(let mu, _): return mu
        case .lognormal(let mu, let s): return Foundation.exp(mu + s * s / 2)
        case .gamma(let k, let th): return k * th
        case .weibull(let sc, let sh): return sc * Foundation.tgamma(1 + 1 / sh)
        case .pareto(let a, let xm): return a > 1 ? a * xm / (a - 1) : nil
        case .beta(let a, let b): return a / (a + b)
        case .poisson(let mu): return mu
        case .binomial(let p, let n): return p * Double(n)
        case .empirical(let t): return t.mean
        }
    }

    /// Whether every sample is certain to be `>= 0`.
    public var isNonNegative: Bool {
        switch storage {
        case .constant(let v): return v >= 0
        case .uniform(let a, _): return a >= 0
        case .normal: return false
        case .empirical(let t): return t.minimum >= 0
        default: return true
        }
    }

    /// Whether the distribution always yields the same value.
    public var isDeterministic: Bool {
        if case .constant = storage { return true }
        return false
    }

    /// The value of a constant distribution (what ``sample(_:)`` returns
    /// without drawing), or `nil`.
    public var constantValue: Double? {
        if case .constant(let v) = storage { return v }
        return nil
    }

    /// The factory's name and arguments, in the factory's order
    /// (`uniform(low:high:)` gives `("uniform", [low, high])`); `nil` for
    /// empirical and histogram tables, whose weights are not kept.
    public var parameters: (name: String, values: [Double])? {
        switch storage {
        case .constant(let v): return ("constant", [v])
        case .uniform(let a, let b): return ("uniform", [a, b])
        case .exponential(let mu): return ("exponential", [mu])
        case .normal(let mu, let sd): return ("normal", [mu, sd])
        case .lognormal(let mu, let s): return ("lognormal", [mu, s])
        case .gamma(let k, let th): return ("gamma", [k, th])
        case .weibull(let sc, let sh): return ("weibull", [sc, sh])
        case .pareto(let a, let xm): return ("pareto", [a, xm])
        case .beta(let a, let b): return ("beta", [a, b])
        case .poisson(let mu): return ("poisson", [mu])
        case .binomial(let p, let n): return ("binomial", [p, Double(n)])
        case .empirical: return nil
        }
    }

    public var description: String {
        switch storage {
        case .constant(let v): return "constant(\(v))"
        case .uniform(let a, let b): return "uniform(low: \(a), high: \(b))"
        case .exponential(let mu): return "exponential(mean: \(mu))"
        case .normal(let mu, let sd): return "normal(mean: \(mu), sd: \(sd))"
        case .lognormal(let mu, let s): return "lognormal(mu: \(mu), sigma: \(s))"
        case .gamma(let k, let th): return "gamma(shape: \(k), scale: \(th))"
        case .weibull(let sc, let sh): return "weibull(scale: \(sc), shape: \(sh))"
        case .pareto(let a, let xm): return "pareto(shape: \(a), scale: \(xm))"
        case .beta(let a, let b): return "beta(a: \(a), b: \(b))"
        case .poisson(let mu): return "poisson(mean: \(mu))"
        case .binomial(let p, let n): return "binomial(p: \(p), n: \(n))"
        case .empirical(let t): return t.description
        }
    }
}

