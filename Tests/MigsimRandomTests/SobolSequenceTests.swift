import MigsimRandom
import XCTest

/// GSL's Sobol sequence (``SobolSequence``) against what Sobol's construction
/// says it must be, computed without GSL.
final class SobolSequenceTests: XCTestCase {
    /// Van der Corput's radical inverse in base 2: the bits of `n` mirrored about the binary point.
    func vanDerCorput(_ n: UInt64) -> Double {
        var x = 0.0, scale = 0.5, m = n
        while m > 0 {
            if m & 1 == 1 { x += scale }
            scale /= 2
            m >>= 1
        }
        return x
    }

    /// In dimension 1 every direction number is m_k = 1 (v_k = 2^-k), so Sobol's
    /// sequence is van der Corput's; Antonov and Saleev's Gray-code order, which
    /// GSL uses, visits index n as gray(n) = n xor (n >> 1). GSL skips n = 0
    /// (the point 0), so its point n (1-based) is vdc(gray(n)): 0.5, 0.75, 0.25, 0.375, ...
    func testDimensionOneIsVanDerCorputInGrayCodeOrder() {
        let s = SobolSequence(dimension: 1)
        for n in UInt64(1)...4096 {
            let x = s.next()
            XCTAssertEqual(x.count, 1)
            XCTAssertEqual(x[0], vanDerCorput(n ^ (n >> 1)), "point \(n)")
        }
        XCTAssertEqual(s.count, 4096)
    }

    /// Every one-dimensional projection of the first 2^m points of a Sobol
    /// sequence (the skipped 0 included) is a (0, m, 1)-net: each interval
    /// [i/2^m, (i+1)/2^m) holds one point, and the points are exactly i/2^m. So GSL's first
    /// 2^m - 1 points, in every one of its 40 dimensions, are 1/2^m ... (2^m - 1)/2^m.
    func testEveryDimensionIsStratified() {
        let m = 8, count = (1 << m) - 1
        let d = SobolSequence.maximumDimension
        XCTAssertEqual(d, 40, "GSL manual, Quasi-Random Sequences: gsl_qrng_sobol up to 40 dimensions")
        let s = SobolSequence(dimension: d)
        let points = (0..<count).map { _ in s.next() }
        for dim in 0..<d {
            let sorted = points.map { $0[dim] }.sorted()
            XCTAssertEqual(sorted, (1...count).map { Double($0) / Double(1 << m) }, "dimension \(dim + 1)")
        }
    }

    /// No seed: two sequences of one dimension give the same points; a prefix
    /// of the coordinates does not depend on the dimension asked for.
    func testDeterministicAndNested() {
        let a = SobolSequence(dimension: 6), b = SobolSequence(dimension: 6), c = SobolSequence(dimension: 3)
        for _ in 0..<100 {
            let x = a.next()
            XCTAssertEqual(x, b.next())
            XCTAssertEqual(Array(x.prefix(3)), c.next())
            XCTAssertTrue(x.allSatisfy { $0 > 0 && $0 < 1 })
        }
    }
}
