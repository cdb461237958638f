import Foundation
import MigsimOutput
import MigsimRandom
import XCTest

/// The fast fixed-point formatter against C's `printf("%.Nf")` (the reference,
/// through `String(format:)`): every output must be byte-identical.
final class DecimalFormatTests: XCTestCase {
    func check(_ x: Double, _ n: Int, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(DecimalFormat.fixed(x, decimals: n), String(format: "%.\(n)f", x), "x = \(x.debugDescription), N = \(n)",
                       file: file, line: line)
    }

    func testEdgeCases() {
        let xs: [Double] = [0, -0.0, 1, -1, 0.5, 1.5, 2.5, -2.5, 0.125, 0.0625, 1e-9, 5e-10, 1.5e-9, 2.5e-9, 4.5e-7, 0.0000005,
                            0.1, 0.7, 1e-300, 5e-324, -5e-324, .leastNormalMagnitude, 123456789.123456789, 9.2e18 * 0.999,
                            4_503_599_627_370_496.5, 9_007_199_254_740_993, 1e15 + 0.3, 2.675, 1.005, 0.045, -0.0000000004]
        for x in xs {
            for n in [0, 1, 3, 6, 9, 12, 18] { check(x, n) }
        }
        // Exact ties at the N-th decimal: k + 0.5 units, exactly representable.
        for k in 0..<2_000 {
            let x = (Double(k) + 0.5) / 1024  // exact binary fractions
            for n in [0, 1, 2, 3, 6, 9] { check(x, n) }
        }
        // Non-finite and huge values go through the fallback, identically.
        for x in [Double.nan, .infinity, -.infinity, 1e19, -3e300, .greatestFiniteMagnitude] { check(x, 9) }
    }

    func testRandomValuesOfEveryMagnitude() {
        var rng = SplitMix64(seed: 20261123)
        var checked = 0
        for _ in 0..<50_000 {
            // Random bit patterns over exponents 2^-40 ... 2^62, both signs.
            let exponent = UInt64(1023 - 40) + rng.next() % 103
            let bits = (rng.next() & (1 << 63)) | (exponent << 52) | (rng.next() & ((1 << 52) - 1))
            let x = Double(bitPattern: bits)
            for n in [0, 3, 6, 9] { check(x, n); checked += 1 }
        }
        // Values like the simulator's: whole nanoseconds as seconds, and byte counts.
        for _ in 0..<25_000 {
            let ns = Int64(bitPattern: rng.next() % (1 << 50))
            check(Double(ns) / 1e9, 9)
            check(Double(rng.next() % (1 << 40)) * 4096, 0)
            checked += 2
        }
        XCTAssertEqual(checked, 250_000)
    }
}
