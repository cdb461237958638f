import Foundation
import MigsimRandom
import XCTest

/// 64-bit FNV-1a over bytes: a stable digest (unlike `Hasher`, which is seeded per process).
struct FNV1a64 {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add<S: Sequence<UInt8>>(_ bytes: S) {
        for b in bytes {
            value ^= UInt64(b)
            value = value &* 0x0000_0100_0000_01B3
        }
    }

    /// Adds the 4 bytes of `x`, least significant first.
    mutating func add(_ x: UInt32) { add((0..<4).map { UInt8(truncatingIfNeeded: x >> (8 * $0)) }) }

    var hex: String { "0x" + String(value, radix: 16, uppercase: true) }
}

/// Formats a sample for digesting: 12 significant digits, then a newline.
///
/// Twelve digits, not all seventeen, so that a one-ulp difference between
/// platforms' `exp`/`log` (which GSL's samplers call) does not change the
/// digest, while any change of algorithm, parameterisation or seeding does.
func goldenFormat(_ x: Double) -> String { String(format: "%.12g\n", x) }

/// The key every golden digest draws from.
let goldenKey = StreamKey(seed: 42, run: 0, entity: 7, purpose: "golden")

/// Mean and unbiased variance of `n` samples of `dist` from `stream`.
func moments(_ dist: Distribution, _ stream: RandomStream, n: Int) -> (mean: Double, variance: Double) {
    // Welford's update: stable for large means.
    var mean = 0.0, m2 = 0.0
    for i in 1...n {
        let x = dist.sample(stream)
        let delta = x - mean
        mean += delta / Double(i)
        m2 += delta * (x - mean)
    }
    return (mean, m2 / Double(n - 1))
}
