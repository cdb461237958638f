import MigsimRandom
import XCTest

/// Every invalid parameter throws a ``DistributionError`` naming it.
final class DistributionErrorTests: XCTestCase {
    struct Case: Sendable {
        let label: String
        let distribution: String
        let parameter: String
        let make: @Sendable () throws -> Distribution
        let line: UInt

        init(_ label: String, _ distribution: String, _ parameter: String, line: UInt = #line,
             _ make: @escaping @Sendable () throws -> Distribution) {
            self.label = label
            self.distribution = distribution
            self.parameter = parameter
            self.make = make
            self.line = line
        }
    }

    static let nan = Double.nan, inf = Double.infinity

    static let cases: [Case] = [
        Case("constant NaN", "constant", "value") { try .constant(nan) },
        Case("constant infinite", "constant", "value") { try .constant(-inf) },

        Case("uniform high == low", "uniform", "high") { try .uniform(low: 1, high: 1) },
        Case("uniform high < low", "uniform", "high") { try .uniform(low: 2, high: 1) },
        Case("uniform low NaN", "uniform", "low") { try .uniform(low: nan, high: 1) },
        Case("uniform high infinite", "uniform", "high") { try .uniform(low: 0, high: inf) },
        Case("uniform high NaN", "uniform", "high") { try .uniform(low: 0, high: nan) },

        Case("exponential negative mean", "exponential", "mean") { try .exponential(mean: -1) },
        Case("exponential zero mean", "exponential", "mean") { try .exponential(mean: 0) },
        Case("exponential NaN mean", "exponential", "mean") { try .exponential(mean: nan) },
        Case("exponential infinite mean", "exponential", "mean") { try .exponential(mean: inf) },

        Case("normal NaN mean", "normal", "mean") { try .normal(mean: nan, sd: 1) },
        Case("normal zero sd", "normal", "sd") { try .normal(mean: 0, sd: 0) },
        Case("normal negative sd", "normal", "sd") { try .normal(mean: 0, sd: -1) },

        Case("lognormal infinite mu", "lognormal", "mu") { try .lognormal(mu: inf, sigma: 1) },
        Case("lognormal zero sigma", "lognormal", "sigma") { try .lognormal(mu: 0, sigma: 0) },

        Case("gamma zero shape", "gamma", "shape") { try .gamma(shape: 0, scale: 1) },
        Case("gamma negative scale", "gamma", "scale") { try .gamma(shape: 1, scale: -2) },
        Case("gamma NaN shape", "gamma", "shape") { try .gamma(shape: nan, scale: 1) },

        Case("weibull zero scale", "weibull", "scale") { try .weibull(scale: 0, shape: 1) },
        Case("weibull NaN shape", "weibull", "shape") { try .weibull(scale: 1, shape: nan) },

        Case("pareto negative shape", "pareto", "shape") { try .pareto(shape: -1, scale: 1) },
        Case("pareto zero scale", "pareto", "scale") { try .pareto(shape: 2, scale: 0) },

        Case("beta zero a", "beta", "a") { try .beta(a: 0, b: 1) },
        Case("beta NaN b", "beta", "b") { try .beta(a: 1, b: nan) },
        Case("beta infinite b", "beta", "b") { try .beta(a: 1, b: inf) },

        Case("poisson negative mean", "poisson", "mean") { try .poisson(mean: -0.5) },
        Case("poisson NaN mean", "poisson", "mean") { try .poisson(mean: nan) },
        Case("poisson mean beyond GSL's unsigned range", "poisson", "mean") { try .poisson(mean: 4e9) },

        Case("binomial p > 1", "binomial", "p") { try .binomial(p: 1.5, n: 10) },
        Case("binomial p < 0", "binomial", "p") { try .binomial(p: -0.1, n: 10) },
        Case("binomial p NaN", "binomial", "p") { try .binomial(p: nan, n: 10) },
        Case("binomial negative n", "binomial", "n") { try .binomial(p: 0.5, n: -1) },
        Case("binomial n beyond UInt32", "binomial", "n") { try .binomial(p: 0.5, n: Int(UInt32.max) + 1) },

        Case("empirical negative weight", "empirical", "weights[1]") { try .empirical(values: [1, 2], weights: [1, -1]) },
        Case("empirical NaN weight", "empirical", "weights[0]") { try .empirical(values: [1, 2], weights: [nan, 1]) },
        Case("empirical infinite weight", "empirical", "weights[1]") { try .empirical(values: [1, 2], weights: [1, inf]) },
        Case("empirical all-zero weights", "empirical", "weights") { try .empirical(values: [1, 2], weights: [0, 0]) },
        Case("empirical no weights", "empirical", "weights") { try .empirical(values: [], weights: []) },
        Case("empirical fewer weights than values", "empirical", "values") { try .empirical(values: [1, 2], weights: [1]) },
        Case("empirical more weights than values", "empirical", "values") { try .empirical(values: [1], weights: [1, 1]) },
        Case("empirical NaN value", "empirical", "values") { try .empirical(values: [1, nan], weights: [1, 1]) },

        Case("histogram repeated edge", "histogram", "edges[2]") { try .histogram(edges: [0, 1, 1], weights: [1, 1]) },
        Case("histogram decreasing edge", "histogram", "edges[2]") { try .histogram(edges: [0, 2, 1], weights: [1, 1]) },
        Case("histogram NaN edge", "histogram", "edges[0]") { try .histogram(edges: [nan, 1], weights: [1]) },
        Case("histogram infinite edge", "histogram", "edges[1]") { try .histogram(edges: [0, inf], weights: [1]) },
        Case("histogram edges count", "histogram", "edges") { try .histogram(edges: [0, 1], weights: [1, 1]) },
        Case("histogram negative weight", "histogram", "weights[0]") { try .histogram(edges: [0, 1], weights: [-1]) },
        Case("histogram all-zero weights", "histogram", "weights") { try .histogram(edges: [0, 1, 2], weights: [0, 0]) },
    ]

    func testEveryInvalidParameterIsNamed() {
        for c in Self.cases {
            XCTAssertThrowsError(try c.make(), c.label, line: c.line) { error in
                guard let e = error as? DistributionError else {
                    return XCTFail("\(c.label): threw \(type(of: error)), not DistributionError", line: c.line)
                }
                XCTAssertEqual(e.distribution, c.distribution, c.label, line: c.line)
                XCTAssertEqual(e.parameter, c.parameter, c.label, line: c.line)
                XCTAssertTrue(e.description.contains("'\(c.parameter)'"), "\(c.label): \(e.description)", line: c.line)
                XCTAssertTrue(e.description.hasPrefix("\(c.distribution):"), "\(c.label): \(e.description)", line: c.line)
                XCTAssertFalse(e.accepted.isEmpty, c.label, line: c.line)
            }
        }
    }

    /// The error reports the offending value, so a message can be acted on.
    func testDescriptionShowsValueAndAcceptedRange() {
        XCTAssertThrowsError(try Distribution.exponential(mean: -2)) { error in
            let e = error as? DistributionError
            XCTAssertEqual(e?.value, "-2.0")
            XCTAssertEqual(e?.accepted, "a finite number > 0")
            XCTAssertEqual("\(error)", "exponential: parameter 'mean' = -2.0 is invalid; accepted: a finite number > 0")
        }
    }

    /// Values just inside every boundary are accepted.
    func testBoundaryValuesAreAccepted() {
        XCTAssertNoThrow(try Distribution.uniform(low: -1, high: -1 + 1e-12))
        XCTAssertNoThrow(try Distribution.exponential(mean: .leastNonzeroMagnitude))
        XCTAssertNoThrow(try Distribution.poisson(mean: 0))
        XCTAssertNoThrow(try Distribution.binomial(p: 0, n: 0))
        XCTAssertNoThrow(try Distribution.binomial(p: 1, n: Int(UInt32.max)))
        XCTAssertNoThrow(try Distribution.empirical(values: [1, 2], weights: [0, 1]))
        XCTAssertNoThrow(try Distribution.histogram(edges: [-1, 0], weights: [1]))
        XCTAssertNoThrow(try Distribution.constant(-5))
        XCTAssertNoThrow(try Distribution.normal(mean: -1e300, sd: 1e300))
    }
}
