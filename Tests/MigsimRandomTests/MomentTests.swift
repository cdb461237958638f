import Foundation
import MigsimRandom
import XCTest

/// Statistical sanity: sample moments against closed-form formulas.
///
/// With n = 200 000 draws the sample mean has standard error sigma / sqrt(n)
/// (sigma from the formula), and the sample variance s^2 has standard error
/// about sqrt((m4 - s^4) / n), m4 being the sample fourth central moment. Both
/// must be within 5 standard errors (the streams are fixed, so the test is
/// deterministic; 5 SE would be exceeded by chance about once in 1.7 million).
final class MomentTests: XCTestCase {
    static let n = 200_000
    static let tolerance = 5.0

    /// `Distribution.mean` agrees with the formula worked out in the catalogue.
    func testMeanPropertyMatchesFormulas() throws {
        for entry in try CatalogueEntry.all() {
            let mean = try XCTUnwrap(entry.dist.mean, entry.name)
            XCTAssertEqual(mean, entry.mean, accuracy: 1e-12 * Swift.max(1, abs(entry.mean)), entry.name)
        }
        XCTAssertNil(try Distribution.pareto(shape: 1, scale: 2).mean, "Pareto with shape <= 1 has no finite mean")
        XCTAssertNil(try Distribution.pareto(shape: 0.5, scale: 2).mean)
        XCTAssertEqual(try Distribution.pareto(shape: 1.5, scale: 2).mean, 6)
    }

    func testSampleMomentsMatchFormulas() throws {
        for (i, entry) in try CatalogueEntry.all().enumerated() {
            let stream = RandomStream(StreamKey(seed: 1, entity: UInt64(i), purpose: "moments"))
            let xs = (0..<Self.n).map { _ in entry.dist.sample(stream) }
            let n = Double(xs.count)
            let mean = xs.reduce(0, +) / n
            let centred = xs.map { $0 - mean }
            let s2 = centred.reduce(0) { $0 + $1 * $1 } / (n - 1)
            let m4 = centred.reduce(0) { $0 + $1 * $1 * $1 * $1 } / n

            XCTAssertTrue(xs.allSatisfy { entry.range.contains($0) }, "\(entry.name): sample outside \(entry.range)")

            guard let variance = entry.variance, variance > 0 else {
                // Pareto (alpha = 3.5): check the mean with the formula's sigma only.
                if entry.name == "pareto" {
                    let a = 3.5, sigma = sqrt(a / ((a - 1) * (a - 1) * (a - 2)))
                    XCTAssertEqual(mean, entry.mean, accuracy: Self.tolerance * sigma / sqrt(n), entry.name)
                } else {
                    XCTAssertEqual(mean, entry.mean, entry.name)
                    XCTAssertEqual(s2, 0, entry.name)
                }
                continue
            }
            let seMean = sqrt(variance / n)
            XCTAssertEqual(mean, entry.mean, accuracy: Self.tolerance * seMean,
                           "\(entry.name): sample mean \(mean) vs \(entry.mean) (SE \(seMean))")
            let seVariance = sqrt((m4 - s2 * s2) / n)
            XCTAssertEqual(s2, variance, accuracy: Self.tolerance * seVariance,
                           "\(entry.name): sample variance \(s2) vs \(variance) (SE \(seVariance))")
        }
    }

    /// Empirical and histogram sampling respect the weights, bin by bin.
    func testEmpiricalAndHistogramFrequencies() throws {
        let stream = RandomStream(StreamKey(seed: 1, purpose: "frequencies"))
        let n = 100_000
        // Weights 1 : 0 : 3, so 25 % ones, no twos, 75 % fives.
        let empirical = try Distribution.empirical(values: [1, 2, 5], weights: [1, 0, 3])
        var counts: [Double: Int] = [:]
        for _ in 0..<n { counts[empirical.sample(stream), default: 0] += 1 }
        XCTAssertNil(counts[2], "a value of weight 0 was drawn")
        // Binomial SE of a proportion p: sqrt(p (1 - p) / n).
        let se = sqrt(0.25 * 0.75 / Double(n))
        XCTAssertEqual(Double(counts[1] ?? 0) / Double(n), 0.25, accuracy: 5 * se)
        XCTAssertEqual(Double(counts[5] ?? 0) / Double(n), 0.75, accuracy: 5 * se)

        // Bin [1, 3) has weight 3 of 4; within it, the point is uniform.
        let histogram = try Distribution.histogram(edges: [0, 1, 3], weights: [1, 3])
        let xs = (0..<n).map { _ in histogram.sample(stream) }
        let upper = xs.filter { $0 >= 1 }
        XCTAssertEqual(Double(upper.count) / Double(n), 0.75, accuracy: 5 * se)
        let upperHalf = Double(upper.filter { $0 >= 2 }.count) / Double(upper.count)
        XCTAssertEqual(upperHalf, 0.5, accuracy: 5 * sqrt(0.25 / Double(upper.count)))
        XCTAssertEqual(histogram.mean, (0.5 * 1 + 2 * 3) / 4)
    }

    func testBoundaryParametersAreDegenerate() throws {
        let stream = RandomStream(StreamKey(seed: 1, purpose: "edges"))
        let cases: [(Distribution, Double)] = [
            (try .poisson(mean: 0), 0), (try .binomial(p: 0, n: 10), 0),
            (try .binomial(p: 1, n: 10), 10), (try .binomial(p: 0.5, n: 0), 0),
            (try .empirical(values: [7], weights: [2]), 7),
        ]
        for (dist, value) in cases {
            for _ in 0..<100 { XCTAssertEqual(dist.sample(stream), value, "\(dist)") }
            XCTAssertEqual(dist.mean, value, "\(dist)")
        }
    }

    func testNonNegativityAndDeterminism() throws {
        for entry in try CatalogueEntry.all() {
            XCTAssertEqual(entry.dist.isNonNegative, entry.range.lowerBound >= 0, entry.name)
            XCTAssertEqual(entry.dist.isDeterministic, entry.name == "constant", entry.name)
        }
        XCTAssertFalse(try Distribution.constant(-1).isNonNegative)
        XCTAssertFalse(try Distribution.empirical(values: [-1, 3], weights: [1, 1]).isNonNegative)
        XCTAssertFalse(try Distribution.histogram(edges: [-1, 3], weights: [1]).isNonNegative)
        XCTAssertTrue(try Distribution.uniform(low: 0, high: 1).isNonNegative)
    }

    func testStreamUniformsAndIndices() {
        let stream = RandomStream(StreamKey(seed: 3, purpose: "uniforms"), kind: .taus2)
        var sum = 0.0
        for _ in 0..<100_000 {
            let u = stream.uniform(), p = stream.uniformPositive()
            XCTAssertTrue(u >= 0 && u < 1)
            XCTAssertTrue(p > 0 && p < 1)
            XCTAssertLessThan(stream.index(below: 17), 17)
            sum += u
        }
        // Uniform(0, 1): variance 1/12.
        XCTAssertEqual(sum / 100_000, 0.5, accuracy: 5 * sqrt(1.0 / 12 / 100_000))
        XCTAssertEqual(stream.index(below: 1), 0)
    }
}
