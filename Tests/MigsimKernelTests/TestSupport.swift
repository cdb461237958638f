import MigsimKernel
import MigsimRandom
import XCTest


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
