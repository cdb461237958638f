/// A recorded dirty-rate time series replayed as a VM's write rate.
///
/// Interval `i` covers `[ends[i-1], ends[i])` (the first starts at 0) and
/// carries `rates[i]` page writes per second, as a monitor logs them: one
/// measurement over each period, written at its end (QEMU's `calc-dirty-rate`
/// gives one such figure per `calc-time`; DESIGN.md section 2, "trace
/// replay"). Past the last end the trace repeats, so a migration that outlasts
/// the recording still sees the recorded pattern. The arrays are shared, not
/// copied, by every VM that replays the trace.
public struct DirtyTrace: Sendable {
    /// Where the trace came from, for messages (a file path).
    public let name: String
    /// End of each interval in seconds; strictly increasing, first > 0.
    public let ends: [Double]
    /// Page writes per second during each interval; finite, >= 0.
    public let rates: [Double]

    /// The largest trace accepted: one million intervals (16 MB of samples).
    public static let maximumIntervals = 1_000_000

    /// Checks the series: equal non-zero lengths, times strictly increasing
    /// from above 0, finite rates >= 0.
    public init(name: String, ends: [Double], rates: [Double]) throws {
        try require(!ends.isEmpty && ends.count == rates.count, .traceIntervals, ends.count,
                    "one or more intervals, each with a time and a rate")
        try require(ends.count <= Self.maximumIntervals, .traceIntervals, ends.count, "at most \(Self.maximumIntervals) intervals")
        var previous = 0.0
        for (i, t) in ends.enumerated() {
            try require(t.isFinite && t > previous, .traceTime, at: i, t,
                        i == 0 ? "a finite time > 0 s (the end of the first interval)" : "a finite time > \(previous) s (times must increase)")
            previous = t
        }
        for (i, r) in rates.enumerated() {
            try require(r.isFinite && r >= 0, .traceRate, at: i, r, "a finite rate >= 0 page writes/s")
        }
        self.name = name
        self.ends = ends
        self.rates = rates
    }

    /// Length of one pass through the trace in seconds.
    public var period: Double { ends[ends.count - 1] }

    /// Time-weighted mean rate over one period, in page writes/s.
    public var meanRate: Double {
        var sum = 0.0, start = 0.0
        for (e, r) in zip(ends, rates) {
            sum += r * (e - start)
            start = e
        }
        return sum / period
    }
}
