import MigsimKernel
import XCTest

/// SplitMix64: a tiny, fixed, seeded generator so randomized tests replay exactly.
///
/// Deliberately not `SystemRandomNumberGenerator`: a failing seed must fail again.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Shorthand for an instant `ns` nanoseconds after the start.
func t(_ ns: Int64) -> SimTime { SimTime(nanoseconds: ns) }

/// Shorthand for a span of `ns` nanoseconds.
func d(_ ns: Int64) -> SimDuration { SimDuration(nanoseconds: ns) }

/// Asserts that `body` throws exactly `expected`.
func XCTAssertThrowsScheduling(
    _ expected: SchedulingError,
    _ body: () throws -> Void,
    _ message: String = "",
    file: StaticString = #filePath, line: UInt = #line
) {
    XCTAssertThrowsError(try body(), message, file: file, line: line) { error in
        XCTAssertEqual(error as? SchedulingError, expected, message, file: file, line: line)
    }
}
