import MigsimKernel
import XCTest

/// Integer simulated time: conversions from seconds and the event key order.
final class SimTimeTests: XCTestCase {
    func testDurationFromSecondsRoundsToNearestNanosecond() {
        XCTAssertEqual(SimDuration(seconds: 1.5)?.nanoseconds, 1_500_000_000)
        XCTAssertEqual(SimDuration(seconds: 1.4e-9)?.nanoseconds, 1)
        XCTAssertEqual(SimDuration(seconds: 1.6e-9)?.nanoseconds, 2)
        XCTAssertEqual(SimDuration(seconds: -2.5e-3)?.nanoseconds, -2_500_000)
        XCTAssertEqual(SimDuration(seconds: 0)?.nanoseconds, 0)
        XCTAssertEqual(SimDuration(seconds: 9.2e9)?.nanoseconds, 9_200_000_000_000_000_000)
        XCTAssertEqual(SimDuration.seconds(0.25), SimDuration(nanoseconds: 250_000_000))
        XCTAssertEqual(SimDuration.milliseconds(3), SimDuration(nanoseconds: 3_000_000))
    }

    func testDurationFromSecondsRejectsNonFiniteAndOutOfRange() {
        for bad in [Double.nan, -.nan, .infinity, -.infinity, .greatestFiniteMagnitude, 1e10, -1e10,
                    9.3e9, -9.3e9,
                    // Int64.max ns is 9_223_372_036.854775807 s; as a Double it rounds up to 2^63 ns.
                    9_223_372_036.854_775_807] {
            XCTAssertNil(SimDuration(seconds: bad), "\(bad)")
            XCTAssertNil(SimDuration(atLeastSeconds: bad), "\(bad)")
        }
    }

    func testDurationAtLeastSecondsRoundsUp() {
        XCTAssertEqual(SimDuration(atLeastSeconds: 1.2e-9)?.nanoseconds, 2, "1.2 ns completes at the second tick")
        XCTAssertEqual(SimDuration(atLeastSeconds: 1.000_000_001e-9 * 1.5)?.nanoseconds, 2)
        XCTAssertEqual(SimDuration(atLeastSeconds: 0.1e-9)?.nanoseconds, 1)
        XCTAssertEqual(SimDuration(atLeastSeconds: 1e-9)?.nanoseconds, 1, "a whole number of ns is not rounded further")
        XCTAssertEqual(SimDuration(atLeastSeconds: 2.0)?.nanoseconds, 2_000_000_000)
        XCTAssertEqual(SimDuration(atLeastSeconds: 0)?.nanoseconds, 0)
        XCTAssertEqual(SimDuration(atLeastSeconds: -1.5e-9)?.nanoseconds, -1, "up means towards +infinity")
        XCTAssertEqual(SimDuration(atLeastSeconds: 1.4e-9)?.nanoseconds, 2, "nearest would give 1")
        XCTAssertEqual(SimDuration(seconds: 1.4e-9)?.nanoseconds, 1)
    }

    func testTimeFromSeconds() {
        XCTAssertEqual(SimTime(seconds: 1.5), SimTime(nanoseconds: 1_500_000_000))
        XCTAssertEqual(SimTime(seconds: 0), .zero)
        XCTAssertNil(SimTime(seconds: -1e-9), "an instant is never before the start")
        XCTAssertNil(SimTime(seconds: .nan))
        XCTAssertNil(SimTime(seconds: .infinity))
        XCTAssertNil(SimTime(seconds: 1e10))
        XCTAssertEqual(SimTime(seconds: 2)!.seconds, 2)
    }

    func testArithmetic() {
        let a = SimTime(nanoseconds: 5_000), b = SimTime(nanoseconds: 2_000)
        XCTAssertEqual(a - b, SimDuration(nanoseconds: 3_000))
        XCTAssertEqual(b - a, SimDuration(nanoseconds: -3_000))
        XCTAssertEqual(b + SimDuration(nanoseconds: 3_000), a)
        XCTAssertEqual(SimDuration(nanoseconds: 1) + SimDuration(nanoseconds: 2), SimDuration(nanoseconds: 3))
        XCTAssertLessThan(b, a)
        XCTAssertLessThan(SimTime.zero, .distantFuture)
    }

    /// (time, priority, sequence), lexicographically; priority survives packing.
    func testEventKeyOrder() {
        typealias K = EventKey
        XCTAssertLessThan(K(time: 1, priority: 255, sequence: 9), K(time: 2, priority: 0, sequence: 0))
        XCTAssertLessThan(K(time: -5, priority: 0, sequence: 0), K(time: 0, priority: 0, sequence: 0))
        XCTAssertLessThan(K(time: 3, priority: 0, sequence: 99), K(time: 3, priority: 1, sequence: 0))
        XCTAssertLessThan(K(time: 3, priority: 7, sequence: 4), K(time: 3, priority: 7, sequence: 5))
        XCTAssertFalse(K(time: 3, priority: 7, sequence: 5) < K(time: 3, priority: 7, sequence: 5))
        XCTAssertLessThan(K(time: .min, priority: 255, sequence: 0), K(time: .max, priority: 0, sequence: 0))
        let k = K(time: 42, priority: 200, sequence: 0x00FF_FFFF_FFFF_FFFF)
        XCTAssertEqual(k.priority, 200)
        XCTAssertEqual(k.sequence, 0x00FF_FFFF_FFFF_FFFF)
        XCTAssertLessThan(k, K(time: 42, priority: 201, sequence: 0), "a large sequence never spills into priority")
    }
}
