#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a VM's writes spread over its pages in use: every popularity is a
/// list of levels (``PageLevel``: pages, share of writes), so the dirty
/// models, the skip expectation and the post-copy fault formula, which work
/// per level with per-page rates `share * rate / pages`, serve all of them.
public enum PagePopularity: Sendable {
    /// The hot set (``WorkloadSpec/hotSetFraction`` or ``WorkloadSpec/hotSetBytes``)
    /// takes ``WorkloadSpec/hotWriteShare`` of the writes, evenly; the rest fall
    /// evenly on the other pages. Uniform when the hot set is all memory.
    case twoLevel
    /// Page `i` (1-based, over the pages in use) is written with probability
    /// proportional to `i^-s`, bucketed into geometric levels (``zipfLevels(pages:exponent:)``).
    case zipf(exponent: Double)
    /// Levels in order: each a share of the pages in use and a share of the
    /// writes (`share_of_pages:share_of_writes, ...`); both sum to 1.
    case table([PopularityRow])
    /// A measured working-set curve: `W(T)` distinct pages in a window of `T` seconds.
    case curve(WorkingSetCurve)

    /// Zipf buckets grow by this ratio (four per doubling of the page index).
    ///
    /// Error bound: within a bucket every page gets the bucket's mean
    /// probability, which preserves each bucket's writes (so the count is
    /// exact when no page or every page saturates) and, by Jensen's inequality
    /// on the concave `1 - exp(-x)`, can only overstate distinct pages. The
    /// relative excess is about `0.017 s^2 ln(r)^2`: at most 7.4e-4 for
    /// s <= 1.2 (measured against the page-by-page sum for 2^20 pages over
    /// write counts from 1 to 30 times the pages; `PopularityTests`).
    public static let zipfBucketRatio = 1.189_207_115_002_721  // 2^(1/4)

    /// Relative bound on the Zipf bucketing's excess over the page-by-page
    /// expectation for exponents up to 1.2, checked by `PopularityTests`.
    public static let zipfBucketErrorBound = 1e-3

    /// The levels of this popularity over `pages` pages in use.
    ///
    /// `hotPages` and `hotShare` serve the two-level case; `counting` applies
    /// to all but a curve, whose levels fill linearly.
    public func pageSet(pages: Int, hotFraction: Double, hotShare: Double, counting: DirtyCounting) -> PageSet {
        switch self {
        case .twoLevel:
            return PageSet(pages: pages, hotFraction: hotFraction, hotShare: hotShare, counting: counting)
        case .zipf(let s):
            return PageSet(levels: Self.zipfLevels(pages: pages, exponent: s), counting: counting)
        case .table(let rows):
            return PageSet(levels: Self.tableLevels(pages: pages, rows: rows), counting: counting)
        case .curve(let c):
            return PageSet(levels: c.levels(pages: pages), counting: .linear, curve: true)
        }
    }

    /// Zipf over pages `1...pages` in geometric buckets `[b_k, b_{k+1})` with
    /// `b_0 = 1`, `b_{k+1} = max(b_k + 1, floor(b_k r))` (``zipfBucketRatio``):
    /// about `4 log2(pages) + 10` levels (88 for 2^20 pages, 136 for 2^32).
    /// Each bucket's share is its sum of `i^-s` over the whole sum, computed
    /// without visiting the pages: buckets of up to 64 pages add their terms,
    /// larger ones use Euler-Maclaurin to the third derivative (from page
    /// 337 on, where the next term is below 1e-13 of the bucket).
    public static func zipfLevels(pages: Int, exponent s: Double) -> [PageLevel] {
        var bounds = [1]
        while bounds[bounds.count - 1] <= pages {
            let b = bounds[bounds.count - 1]
            bounds.append(Swift.min(pages + 1, Swift.max(b + 1, Int((Double(b) * zipfBucketRatio).rounded(.down)))))
        }
        var sums: [Double] = []
        for k in 0..<(bounds.count - 1) { sums.append(powerSum(from: bounds[k], to: bounds[k + 1], exponent: s)) }
        let total = sums.reduce(0, +)
        return sums.indices.map { PageLevel(pages: bounds[$0 + 1] - bounds[$0], share: sums[$0] / total) }
    }

    /// `sum_{i=a}^{b-1} i^-s` for `1 <= a < b`.
    static func powerSum(from a: Int, to b: Int, exponent s: Double) -> Double {
        if b - a <= 64 {
            var sum = 0.0
            for i in a..<b { sum += pow(Double(i), -s) }
            return sum
        }
        let x = Double(a), y = Double(b), u = 1 - s
        // The integral, stable near s = 1: a^u expm1(u ln(b/a)) / u.
        let l = log(y / x)
        let integral = u == 0 ? l : pow(x, u) * expm1(u * l) / u
        func f(_ t: Double) -> Double { pow(t, -s) }
        func d1(_ t: Double) -> Double { -s * pow(t, -s - 1) }
        func d3(_ t: Double) -> Double { -s * (s + 1) * (s + 2) * pow(t, -s - 3) }
        return integral + (f(x) - f(y)) / 2 + (d1(y) - d1(x)) / 12 - (d3(y) - d3(x)) / 720
    }

    /// A table's levels: level `k` ends at page `round(P * (q_0 + ... + q_k))`;
    /// a row that rounds to no page gives its writes to the next row (the
    /// last row to the previous one).
    static func tableLevels(pages: Int, rows: [PopularityRow]) -> [PageLevel] {
        var levels: [PageLevel] = []
        var cumulative = 0.0, start = 0, carried = 0.0
        for (k, r) in rows.enumerated() {
            cumulative += r.pages
            let end = k == rows.count - 1 ? pages : Swift.min(pages, Int((cumulative * Double(pages)).rounded()))
            if end > start {
                levels.append(PageLevel(pages: end - start, share: r.writes + carried))
                carried = 0
                start = end
            } else {
                carried += r.writes
            }
        }
        if carried > 0, let last = levels.popLast() { levels.append(PageLevel(pages: last.pages, share: last.share + carried)) }
        return levels
    }

    /// Checks the popularity's parameters; `vm` is the VM index errors name.
    func validate(vm: Int?) throws {
        switch self {
        case .twoLevel, .curve: return
        case .zipf(let s):
            try require(s.isFinite && s >= 0 && s <= 8, .vmPopularity, at: vm, s, "a Zipf exponent in [0, 8]")
        case .table(let rows):
            try require(!rows.isEmpty && rows.count <= 1000, .vmPopularity, at: vm, rows.count, "1 to 1000 levels")
            for (i, r) in rows.enumerated() {
                try require(r.pages.isFinite && r.pages > 0 && r.pages <= 1, .vmPopularity, at: vm, item: i, r.pages,
                            "a share of pages in (0, 1]")
                try require(r.writes.isFinite && r.writes >= 0 && r.writes <= 1, .vmPopularity, at: vm, item: i, r.writes,
                            "a share of writes in [0, 1]")
            }
            let p = rows.reduce(0) { $0 + $1.pages }, w = rows.reduce(0) { $0 + $1.writes }
            try require(abs(p - 1) <= 1e-6, .vmPopularity, at: vm, p, "shares of pages that sum to 1")
            try require(abs(w - 1) <= 1e-6, .vmPopularity, at: vm, w, "shares of writes that sum to 1")
        }
    }
}

/// One row of a popularity table: a share of the pages and the share of the writes they take.
public struct PopularityRow: Sendable, Equatable {
    public var pages: Double
    public var writes: Double

    public init(pages: Double, writes: Double) {
        self.pages = pages
        self.writes = writes
    }
}

/// A working-set curve: `W(T)`, the distinct pages a VM dirties in a window
/// of `T` seconds (`vms.working_set_curve`; the measurement of Clark et al.'s
/// writable working set figures, or of QEMU's `calc-dirty-rate` at several
/// `calc-time`s).
///
/// Interpolation: linear between the points, from `(0, 0)`, on the least
/// concave majorant of the points (the points themselves when they are
/// concave, as the curve of a stationary write process is: `W' = sum of
/// rate_i exp(-rate_i T)` decreases). Extrapolation: past the last point, the
/// last segment's slope continues until the VM's pages in use are all dirty
/// (a curve that has flattened stays flat); a curve above the pages in use is
/// cut there.
///
/// Such a curve is a level model with linear filling: with slopes
/// `sigma_1 > ... > sigma_m` ending at `T_1 < ... < T_m`, level `k` has
/// `(sigma_k - sigma_{k+1}) T_k` pages and writes `sigma_k - sigma_{k+1}`
/// of them a second until full, so the levels add up to exactly `W(T)` (to
/// half a page per level, from rounding pages to whole numbers). The write
/// rate that goes with it is the initial slope `sigma_1` (``initialSlope``).
public struct WorkingSetCurve: Sendable {
    /// Where the curve came from, for messages.
    public let name: String
    /// Window lengths in seconds; finite, strictly increasing, first > 0.
    public let intervals: [Double]
    /// Distinct pages dirtied in each window; finite, >= 0, non-decreasing.
    public let distinct: [Double]

    /// The largest curve accepted.
    public static let maximumPoints = 100_000

    public init(name: String, intervals: [Double], distinct: [Double]) throws {
        try require(!intervals.isEmpty && intervals.count == distinct.count, .curvePoints, intervals.count,
                    "one or more points, each with an interval and a page count")
        try require(intervals.count <= Self.maximumPoints, .curvePoints, intervals.count, "at most \(Self.maximumPoints) points")
        var previous = 0.0
        for (i, t) in intervals.enumerated() {
            try require(t.isFinite && t > previous, .curveInterval, at: i, t,
                        i == 0 ? "a finite interval > 0 s" : "a finite interval > \(previous) s (intervals must increase)")
            previous = t
        }
        var last = 0.0
        for (i, d) in distinct.enumerated() {
            try require(d.isFinite && d >= 0, .curveDistinct, at: i, d, "a finite page count >= 0")
            try require(d >= last, .curveDistinct, at: i, d, "a page count >= \(last) (the curve must not decrease)")
            last = d
        }
        self.name = name
        self.intervals = intervals
        self.distinct = distinct
    }

    /// The least concave majorant through `(0, 0)` and the points cut at `cap`: the hull's vertices.
    func hull(cap: Double) -> [(t: Double, w: Double)] {
        var h: [(t: Double, w: Double)] = [(0, 0)]
        for (t, d) in zip(intervals, distinct) {
            let p = (t: t, w: Swift.min(d, cap))
            while h.count >= 2 {
                let a = h[h.count - 2], b = h[h.count - 1]
                // Drop b when it lies on or below the chord from a to p.
                if (b.w - a.w) * (p.t - a.t) <= (p.w - a.w) * (b.t - a.t) { h.removeLast() } else { break }
            }
            h.append(p)
        }
        // A flat tail after the curve reaches its top adds nothing.
        while h.count >= 2 && h[h.count - 1].w == h[h.count - 2].w { h.removeLast() }
        return h
    }

    /// The interpolated and extrapolated curve at `t` seconds for a VM of `pages` pages in use.
    public func value(at t: Double, pages: Int) -> Double {
        let h = hull(cap: Double(pages))
        guard h.count >= 2, t > 0 else { return 0 }
        for k in 1..<h.count where t <= h[k].t {
            return h[k - 1].w + (h[k].w - h[k - 1].w) * (t - h[k - 1].t) / (h[k].t - h[k - 1].t)
        }
        let a = h[h.count - 2], b = h[h.count - 1]
        return Swift.min(Double(pages), b.w + (b.w - a.w) / (b.t - a.t) * (t - b.t))
    }

    /// Distinct pages per second at the start: the write rate that replays the curve.
    public var initialSlope: Double {
        let h = hull(cap: .infinity)
        return h.count >= 2 ? h[1].w / h[1].t : 0
    }

    /// The curve as levels over `pages` pages in use (see the type's comment);
    /// pages the curve never reaches form a last level with no writes.
    public func levels(pages: Int) -> [PageLevel] {
        let cap = Double(pages)
        var h = hull(cap: cap)
        guard h.count >= 2 else { return [PageLevel(pages: pages, share: 0)] }
        // Extrapolation: the last slope continues to the pages in use.
        let a = h[h.count - 2], b = h[h.count - 1]
        let last = (b.w - a.w) / (b.t - a.t)
        if b.w < cap && last > 0 { h[h.count - 1] = (b.t + (cap - b.w) / last, cap) }
        var slopes: [Double] = []
        for k in 1..<h.count { slopes.append((h[k].w - h[k - 1].w) / (h[k].t - h[k - 1].t)) }
        let total = slopes[0]
        var levels: [PageLevel] = []
        var used = 0, carried = 0.0
        for k in slopes.indices {
            let rate = slopes[k] - (k + 1 < slopes.count ? slopes[k + 1] : 0)
            let n = Swift.min(pages - used, Int((rate * h[k + 1].t).rounded()))
            if n > 0 {
                levels.append(PageLevel(pages: n, share: rate / total + carried))
                carried = 0
                used += n
            } else {
                carried += rate / total
            }
        }
        if carried > 0, let l = levels.popLast() { levels.append(PageLevel(pages: l.pages, share: l.share + carried)) }
        if used < pages { levels.append(PageLevel(pages: pages - used, share: 0)) }
        if levels.isEmpty { levels.append(PageLevel(pages: pages, share: 0)) }
        return levels
    }
}
