import Foundation
import MigsimRandom

/// One or two instances of every distribution, with mean and variance worked
/// out here from textbook formulas (independently of `Distribution.mean`).
///
/// Where GSL switches algorithm with the parameters (gamma shape < 1, Poisson
/// mean >= 10, binomial n * min(p, 1 - p) >= 14), both sides are included.
struct CatalogueEntry {
    let name: String
    let dist: Distribution
    let mean: Double
    /// `nil` where the sample variance's standard error is not usable
    /// (fourth moment infinite).
    let variance: Double?
    /// The closed range every sample must lie in.
    let range: ClosedRange<Double>

    static func all() throws -> [CatalogueEntry] {
        func lgammaMean(_ scale: Double, _ shape: Double, _ r: Double) -> Double { pow(scale, r) * tgamma(1 + r / shape) }
        let (lmu, lsigma) = (0.5, 0.75)
        let (pa, pxm) = (3.5, 1.0)
        let (ba, bb) = (2.0, 5.0)
        let (wl, wk) = (2.0, 1.5)
        return [
            .init(name: "constant", dist: try .constant(2.5), mean: 2.5, variance: 0, range: 2.5...2.5),
            .init(name: "uniform", dist: try .uniform(low: -1, high: 3), mean: 1, variance: 16.0 / 12,
                  range: -1...3),
            .init(name: "exponential", dist: try .exponential(mean: 2), mean: 2, variance: 4, range: 0...(.infinity)),
            .init(name: "normal", dist: try .normal(mean: 10, sd: 3), mean: 10, variance: 9,
                  range: -(.infinity)...(.infinity)),
            .init(name: "lognormal", dist: try .lognormal(mu: lmu, sigma: lsigma),
                  mean: exp(lmu + lsigma * lsigma / 2),
                  variance: (exp(lsigma * lsigma) - 1) * exp(2 * lmu + lsigma * lsigma), range: 0...(.infinity)),
            .init(name: "gamma", dist: try .gamma(shape: 2.5, scale: 1.5), mean: 3.75, variance: 2.5 * 1.5 * 1.5,
                  range: 0...(.infinity)),
            .init(name: "gamma-small-shape", dist: try .gamma(shape: 0.5, scale: 2), mean: 1, variance: 2,
                  range: 0...(.infinity)),
            .init(name: "weibull", dist: try .weibull(scale: wl, shape: wk), mean: lgammaMean(wl, wk, 1),
                  variance: lgammaMean(wl, wk, 2) - pow(lgammaMean(wl, wk, 1), 2), range: 0...(.infinity)),
            // alpha = 3.5: finite variance, infinite fourth moment.
            .init(name: "pareto", dist: try .pareto(shape: pa, scale: pxm), mean: pa * pxm / (pa - 1),
                  variance: nil, range: pxm...(.infinity)),
            .init(name: "beta", dist: try .beta(a: ba, b: bb), mean: ba / (ba + bb),
                  variance: ba * bb / ((ba + bb) * (ba + bb) * (ba + bb + 1)), range: 0...1),
            .init(name: "poisson", dist: try .poisson(mean: 3.5), mean: 3.5, variance: 3.5, range: 0...(.infinity)),
            .init(name: "poisson-large", dist: try .poisson(mean: 50), mean: 50, variance: 50, range: 0...(.infinity)),
            .init(name: "binomial", dist: try .binomial(p: 0.3, n: 20), mean: 6, variance: 20 * 0.3 * 0.7,
                  range: 0...20),
            .init(name: "binomial-large", dist: try .binomial(p: 0.6, n: 1_000), mean: 600,
                  variance: 1_000 * 0.6 * 0.4, range: 0...1_000),
            // E[x] = (1 + 5 * 3) / 4 = 4; E[x^2] = (1 + 25 * 3) / 4 = 19.
            .init(name: "empirical", dist: try .empirical(values: [1, 2, 5], weights: [1, 0, 3]), mean: 4,
                  variance: 19 - 16, range: 1...5),
            // Half U(0, 1), half U(1, 3): E[x] = (0.5 + 2) / 2; E[x^2] = (1/3 + 13/3) / 2 = 7/3.
            .init(name: "histogram", dist: try .histogram(edges: [0, 1, 3], weights: [1, 1]), mean: 1.25,
                  variance: 7.0 / 3 - 1.25 * 1.25, range: 0...3),
        ]
    }
}
