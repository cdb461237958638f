/// An instant of simulated time, in integer nanoseconds since the start of a run.
///
/// Simulated time is an integer so that event ordering never depends on
/// floating-point rounding: two events scheduled for the same instant compare
/// equal on every machine and in every build configuration. `Int64` nanoseconds
/// cover about 292 years.
public struct SimTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Nanoseconds since the start of the run.
    public var nanoseconds: Int64

    @inlinable public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    /// The start of every run.
    public static let zero = SimTime(nanoseconds: 0)
    /// The largest representable instant; used as "no horizon".
    public static let distantFuture = SimTime(nanoseconds: .max)

    /// The instant `seconds` after the start, rounded to the nearest nanosecond.
    ///
    /// Returns `nil` when `seconds` is not finite, is negative, or does not fit
    /// in the `Int64` nanosecond range.
    @inlinable public init?(seconds: Double) {
        guard let d = SimDuration(seconds: seconds), d.nanoseconds >= 0 else { return nil }
        self.nanoseconds = d.nanoseconds
    }

    /// This instant in seconds (exact to about 0.1 ns up to a day).
    @inlinable public var seconds: Double { Double(nanoseconds) / 1e9 }

    @inlinable public static func < (a: SimTime, b: SimTime) -> Bool { a.nanoseconds < b.nanoseconds }

    /// The instant `d` later. Traps on overflow, like integer arithmetic.
    @inlinable public static func + (t: SimTime, d: SimDuration) -> SimTime {
        SimTime(nanoseconds: t.nanoseconds + d.nanoseconds)
    }

    /// The span from `b` to `a`.
    @inlinable public static func - (a: SimTime, b: SimTime) -> SimDuration {
        SimDuration(nanoseconds: a.nanoseconds - b.nanoseconds)
    }

    public var description: String { "\(seconds)s" }
}

/// A span of simulated time, in integer nanoseconds.
public struct SimDuration: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Length of the span in nanoseconds; may be negative as a difference.
    public var nanoseconds: Int64

    @inlinable public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    public static let zero = SimDuration(nanoseconds: 0)

    /// A span of `seconds`, rounded to the nearest nanosecond; `nil` when not
    /// finite or out of the `Int64` nanosecond range.
    @inlinable public init?(seconds: Double) {
        guard seconds.isFinite else { return nil }
        let ns = (seconds * 1e9).rounded()
        // 2^63 is exactly representable; anything at or beyond it overflows.
        guard ns > -9.223372036854775808e18, ns < 9.223372036854775808e18 else { return nil }
        self.nanoseconds = Int64(ns)
    }

    /// The shortest span of whole nanoseconds that is at least `seconds` long.
    ///
    /// Used for completion events: a transfer that needs 1.2 ns completes at
    /// the second tick, never before its bytes could have arrived.
    @inlinable public init?(atLeastSeconds seconds: Double) {
        guard seconds.isFinite else { return nil }
        let ns = (seconds * 1e9).rounded(.up)
        guard ns > -9.223372036854775808e18, ns < 9.223372036854775808e18 else { return nil }
        self.nanoseconds = Int64(ns)
    }

    @inlinable public static func seconds(_ s: Double) -> SimDuration {
        guard let d = SimDuration(seconds: s) else { preconditionFailure("duration \(s) s is not representable") }
        return d
    }
    @inlinable public static func milliseconds(_ ms: Int64) -> SimDuration { SimDuration(nanoseconds: ms * 1_000_000) }

    @inlinable public var seconds: Double { Double(nanoseconds) / 1e9 }

    @inlinable public static func < (a: SimDuration, b: SimDuration) -> Bool { a.nanoseconds < b.nanoseconds }
    @inlinable public static func + (a: SimDuration, b: SimDuration) -> SimDuration {
        SimDuration(nanoseconds: a.nanoseconds + b.nanoseconds)
    }

    public var description: String { "\(seconds)s" }
}
