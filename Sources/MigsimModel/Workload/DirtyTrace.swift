#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
/// A recorded dirty-rate time series replayed as a VM's write rate.
///
/// Interval `i` covers `[ends[i-1], ends[i])` (the first starts at 0) and
/// carries one measurement, as a monitor logs them: one figure per period,
/// written at its end (DESIGN.md section 2, "trace replay"). Past the last
/// end the trace repeats, so a migration that outlasts the recording still
/// sees the recorded pattern. The arrays are shared, not copied, by every VM
/// that replays the trace.
///
/// What a measurement means is the trace's ``Measure``: page writes per
/// second, which the VM's popularity saturates into distinct pages like any
/// write rate; or distinct pages dirtied within a window (QEMU
/// `calc-dirty-rate`: the pages dirtied during `calc-time`, reported as MiB/s
/// over it, `migration/dirtyrate.c`), which are distinct already. A distinct
/// measurement is replayed as the write rate that, through the VM's
/// popularity, dirties exactly that many distinct pages in that window
/// (``PageSet/writes(forDistinct:)``): a round of another length gets the
/// distinct pages of the working-set curve the measurement implies, not the
/// measurement rescaled linearly and not saturated a second time.
public struct DirtyTrace: Sendable {
    /// What the trace's values hold.
    public enum Measure: Sendable, Equatable {
        /// Page writes per second (`dirty_pages_per_s`).
        case writes
        /// Distinct pages dirtied within a window of `windows[i]` seconds
        /// (`distinct_pages`, or `dirty_mib_per_s` times the window).
        case distinct(windows: [Double])
    }

    /// Where the trace came from, for messages (a file path).
    public let name: String
    /// End of each interval in seconds; strictly increasing, first > 0.
    public let ends: [Double]
    /// Page writes per second (``Measure/writes``) or distinct pages per
    /// window (``Measure/distinct(windows:)``) in each interval; finite, >= 0.
    public let rates: [Double]
    public let measure: Measure

    /// The largest trace accepted: one million intervals (16 MB of samples).
    public static let maximumIntervals = 1_000_000

    /// Checks the series: equal non-zero lengths, times strictly increasing
    /// from above 0, finite values >= 0, windows finite and > 0.
    public init(name: String, ends: [Double], rates: [Double], measure: Measure = .writes) throws {
        try require(!ends.isEmpty && ends.count == rates.count, .traceIntervals, ends.count,
                    "one or more intervals, each with a time and a rate")
        try require(ends.count <= Self.maximumIntervals, .traceIntervals, ends.count, "at most \(Self.maximumIntervals) intervals")
        var previous = 0.0
        for (i, t) in ends.enumerated() {
            try require(t.isFinite && t > previous, .traceTime, at: i, t,
                        i == 0 ? "a finite time > 0 s (the end of the first interval)" : "a finite time > \(previous) s (times must increase)")
            previous = t
        }
        let what = measure == .writes ? "a finite rate >= 0 page writes/s" : "a finite count >= 0 distinct pages"
        for (i, r) in rates.enumerated() {
            try require(r.isFinite && r >= 0, .traceRate, at: i, r, what)
        }
        if case .distinct(let w) = measure {
            try require(w.count == ends.count, .traceIntervals, w.count, "one window per interval")
            for (i, x) in w.enumerated() {
                try require(x.isFinite && x > 0, .traceWindow, at: i, x, "a finite window > 0 s")
            }
        }
        self.name = name
        self.ends = ends
        self.rates = rates
        self.measure = measure
    }

    /// Length of one pass through the trace in seconds.
    public var period: Double { ends[ends.count - 1] }

    /// Page writes per second of each interval for a VM whose pages are
    /// `set`: the recorded rates, or each distinct measurement turned into
    /// the write rate that dirties it in its window through `set`.
    public func writeRates(for set: PageSet) -> [Double] {
        guard case .distinct(let windows) = measure else { return rates }
        var cache: [Double: Double] = [:]
        return zip(rates, windows).map { d, w in
            if let x = cache[d] { return x / w }
            let x = set.writes(forDistinct: d)
            cache[d] = x
            return x / w
        }
    }

    /// Time-weighted mean of the values over one period (page writes/s for a writes trace).
    public var meanRate: Double {
        var sum = 0.0, start = 0.0
        for (e, r) in zip(ends, rates) {
            sum += r * (e - start)
            start = e
        }
        return sum / period
    }
}
