import MigsimRandom

/// Descriptive statistics of a sample, as reported in `summary.csv`.
public struct SampleSummary: Equatable, Sendable {
    public let count: Int
    public let mean: Double
    public let median: Double
    /// 95th percentile.
    public let p95: Double
    public let max: Double
    /// Half-width of the 95 % confidence interval of the mean (Student t,
    /// n-1 degrees of freedom); `nil` for fewer than two values.
    public let ci95: Double?

    /// Summarises `values`; `nil` when empty.
    ///
    /// Percentiles interpolate linearly between order statistics (Hyndman &
    /// Fan type 7, the default of R and NumPy).
    public init?(_ values: [Double]) {
        guard !values.isEmpty else { return nil }
        let s = values.sorted()
        count = s.count
        // Kahan-free but order-fixed summation: sorted order makes it deterministic.
        let m = s.reduce(0, +) / Double(s.count)
        mean = m
        median = Self.quantile(s, 0.5)
        p95 = Self.quantile(s, 0.95)
        max = s[s.count - 1]
        if s.count >= 2 {
            let v = s.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(s.count - 1)
            ci95 = studentTQuantile(0.975, dof: Double(s.count - 1)) * (v / Double(s.count)).squareRoot()
        } else {
            ci95 = nil
        }
    }

    /// Type-7 quantile of sorted values.
    public static func quantile(_ sorted: [Double], _ p: Double) -> Double {
        let h = Double(sorted.count - 1) * p
        let lo = Int(h.rounded(.down))
        let hi = Swift.min(lo + 1, sorted.count - 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }
}
