import MigsimRandom
#if canImport(Glibc)
import Glibc
#endif

/// How faithfully dirty pages are modelled (DESIGN.md section 2).
public enum Fidelity: String, Sendable, CaseIterable {
    /// A dirty bitmap per migrating VM; every write is sampled. For validation
    /// and small experiments. With skipping on (Xen `to_skip`), the send set
    /// is kept as a bitmap from round to round and each round walks it page
    /// by page in batches, as `xc_domain_save` does (`SkipWalk`).
    case pageExact = "page-exact"
    /// O(levels) per round: the distinct-page count of each popularity level
    /// is drawn from its distribution (binomial per level, exact for Poisson
    /// writes). For scale.
    case statistical
    /// The deterministic limit of `statistical`: the expected count, no noise.
    /// With a constant rate and `linear` counting it reproduces the analytic
    /// series `M * (D/R)^i` exactly.
    case meanField = "mean-field"
}

/// One level of a page popularity: `pages` pages that share `share` of the
/// writes evenly (each page gets `share / pages` of them).
public struct PageLevel: Sendable, Equatable {
    public let pages: Int
    public let share: Double

    public init(pages: Int, share: Double) {
        self.pages = pages
        self.share = share
    }
}

/// The page geometry a dirty model works on: a set of pages split into
/// levels of equal popularity (``PagePopularity`` builds them). Two levels
/// are the hot set and the rest; a table has one level per row; Zipf is
/// bucketed into geometric levels; a working-set curve gives one level per
/// segment. Used for RAM pages and for disk blocks alike.
///
/// Levels cover pages `0..<pages` in order (level 0 first). Writes to a level
/// are `writes * share`, except the last level with a share > 0, which takes
/// what the others leave (`writes - sum`), so the two-level model computes
/// exactly what it computed before levels existed (`wc = writes - wh`).
public struct PageSet: Sendable {
    /// Total pages (or blocks).
    public let pages: Int
    /// The levels, each with at least one page; their pages sum to `pages`.
    public let levels: [PageLevel]
    public let counting: DirtyCounting
    /// Levels from a working-set curve: they fill linearly (mean-field
    /// `min(w, n)`) and the sampled fidelities draw Binomial(n, min(1, w/n)),
    /// whose mean is exactly the curve (``WorkingSetCurve``).
    public let curve: Bool

    /// The two-level set: `hotFraction` of the pages (rounded, at least one)
    /// take `hotShare` of the writes, the rest the remainder.
    public init(pages: Int, hotFraction: Double, hotShare: Double, counting: DirtyCounting) {
        precondition(pages > 0)
        let hot = Swift.min(pages, Swift.max(1, Int((Double(pages) * hotFraction).rounded())))
        // With no cold pages every write is hot.
        let share = hot == pages ? 1 : hotShare
        var levels = [PageLevel(pages: hot, share: share)]
        if hot < pages { levels.append(PageLevel(pages: pages - hot, share: 1 - share)) }
        self.init(levels: levels, counting: counting)
    }

    /// A set made of `levels` (each with at least one page, shares in [0, 1] summing to 1).
    public init(levels: [PageLevel], counting: DirtyCounting, curve: Bool = false) {
        precondition(!levels.isEmpty && levels.allSatisfy { $0.pages > 0 })
        self.levels = levels
        self.remainderLevel = levels.lastIndex { $0.share > 0 } ?? levels.count - 1  // once, not per round
        self.pages = levels.reduce(0) { $0 + $1.pages }
        self.counting = counting
        self.curve = curve
    }

    /// Pages of each level, as the pages round 1 sends.
    public var levelPages: [Double] { levels.map { Double($0.pages) } }

    /// The first level with a share > 0 from the end: it takes the remainder of the writes.
    @usableFromInline let remainderLevel: Int

    /// Expected writes to each level out of `writes`.
    @inlinable public func writesByLevel(_ writes: Double) -> [Double] {
        var out: [Double] = []
        writesByLevel(writes, into: &out)
        return out
    }

    /// ``writesByLevel(_:)`` written into `out`, whose storage is reused
    /// (a round's numbers need no array of their own).
    @inlinable public func writesByLevel(_ writes: Double, into out: inout [Double]) {
        let last = remainderLevel
        var assigned = 0.0
        if out.count != levels.count {
            out.removeAll(keepingCapacity: true)
            out.append(contentsOf: repeatElement(0, count: levels.count))
        }
        for i in levels.indices where i != last {
            let w = writes * levels[i].share
            out[i] = w
            assigned += w
        }
        out[last] = levels[last].share > 0 ? Swift.max(0, writes - assigned) : 0
    }

    /// Expected distinct pages dirtied by `writes` expected writes.
    ///
    /// Poisson counting: each page of level `k` receives Poisson(`w_k/n_k`)
    /// writes, so it is dirty with probability `1 - exp(-w_k/n_k)`: the sum
    /// over levels of `n_k (1 - exp(-w_k/n_k))`. Linear counting (and a
    /// working-set curve): the sum of `min(w_k, n_k)`. Exact for the levels:
    /// no page is visited.
    @inlinable public func expectedDistinct(writes: Double) -> Double {
        var total = 0.0
        for d in expectedDistinctByLevel(writes: writes) { total += d }
        return total
    }

    /// ``expectedDistinct(writes:)`` by level.
    @inlinable public func expectedDistinctByLevel(writes: Double) -> [Double] {
        var out: [Double] = []
        expectedDistinctByLevel(writes: writes, into: &out)
        return out
    }

    /// ``expectedDistinctByLevel(writes:)`` written into `out`, whose storage is reused.
    @inlinable public func expectedDistinctByLevel(writes: Double, into out: inout [Double]) {
        writesByLevel(writes, into: &out)  // overwritten level by level
        for i in levels.indices {  // by index: a for-in loop retains the array
            let n = Double(levels[i].pages), w = out[i]
            switch counting {
            case .linear: out[i] = Swift.min(w, n)
            case .poisson: out[i] = curve ? Swift.min(w, n) : n * -expm1(-w / n)
            }
        }
    }

    /// The expected writes that dirty `distinct` pages on average: the inverse
    /// of ``expectedDistinct(writes:)`` (Newton's method from below, which
    /// converges monotonically on this increasing concave function). Beyond
    /// what the set can hold (`distinct` >= `pages` under Poisson counting)
    /// it returns the writes that leave half a page clean.
    public func writes(forDistinct distinct: Double) -> Double {
        guard distinct > 0 else { return 0 }
        let target = Swift.min(distinct, Double(pages) - 0.5)
        var w = target
        for _ in 0..<200 {
            let f = expectedDistinct(writes: w) - target
            if abs(f) <= 1e-12 * target { break }
            // Slope: the sum of the shares of the levels still filling.
            var slope = 0.0
            let wl = writesByLevel(w)
            for (i, l) in levels.enumerated() where l.share > 0 {
                let n = Double(l.pages)
                if counting == .linear || curve { slope += wl[i] < n ? l.share : 0 } else { slope += l.share * exp(-wl[i] / n) }
            }
            guard slope > 0 else { break }
            let next = w - f / slope
            if next == w { break }
            w = next
        }
        return w
    }
}

/// Counts the distinct pages a VM dirties during an interval, at one of the
/// three fidelities. One instance per migrating VM (or disk).
public struct DirtyModel {
    public let set: PageSet
    public let fidelity: Fidelity
    let stream: RandomStream?
    let bitmap: PageBitmap?

    /// A model for `set`; `key` names the random stream used for sampling.
    public init(set: PageSet, fidelity: Fidelity, key: StreamKey) {
        self.set = set
        self.fidelity = fidelity
        switch fidelity {
        case .meanField:
            stream = nil
            bitmap = nil
        case .statistical:
            stream = RandomStream(key, kind: .taus2)  // per migration: see MigrationContext.stream(_:)
            bitmap = nil
        case .pageExact:
            stream = RandomStream(key, kind: .taus2)
            bitmap = set.curve ? nil : PageBitmap(pages: set.pages)
        }
    }

    /// Distinct pages dirtied by a write process with `writes` expected writes.
    ///
    /// Page-exact: draws the write count from Poisson(`writes`), marks each
    /// write's page in the bitmap (a level by its share, a page of the level
    /// uniformly), returns the number of set bits and clears it (a copied page
    /// becomes clean). Statistical: one binomial draw per level (linear
    /// counting: capped Poisson draws). Mean-field: the expectation. A
    /// working-set curve says how many pages, not which: its page-exact and
    /// statistical draws are both Binomial(n, min(1, w/n)) per level.
    public func distinctPages(writes: Double) -> Double {
        var total = 0.0
        for d in distinctPagesByLevel(writes: writes) { total += d }
        return total
    }

    /// ``distinctPages(writes:)`` by level of the set.
    public func distinctPagesByLevel(writes: Double) -> [Double] {
        var out: [Double] = []
        distinctPagesByLevel(writes: writes, into: &out)
        return out
    }

    /// ``distinctPagesByLevel(writes:)`` written into `out`, whose storage is
    /// reused by the mean-field and statistical fidelities (page-exact
    /// counts into a bitmap and replaces it).
    public func distinctPagesByLevel(writes: Double, into out: inout [Double]) {
        guard writes > 0 else { return set.writesByLevel(0, into: &out) }  // 0 at every level
        if fidelity == .meanField { return set.expectedDistinctByLevel(writes: writes, into: &out) }
        let s = stream!
        if fidelity == .statistical || set.curve {
            set.writesByLevel(writes, into: &out)  // each level's writes, overwritten by its draw
            for (i, l) in set.levels.enumerated() {
                let n = Double(l.pages), w = out[i]
                // Every level draws, even with no writes (as the two-level model always did).
                if set.curve {
                    out[i] = Double(s.binomial(p: Swift.min(1, w / n), n: UInt32(l.pages)))
                    continue
                }
                switch set.counting {
                case .poisson: out[i] = Double(s.binomial(p: -expm1(-w / n), n: UInt32(l.pages)))
                case .linear: out[i] = Swift.min(n, Self.poissonLarge(w, s))
                }
            }
            return
        }
        // More writes than pages: every page's dirty bit drawn on its own
        // (a Poisson number of writes leaves each page of a level dirty
        // independently with probability 1 - exp(-its expected writes)),
        // so a round costs at most one draw per page however many writes
        // it has; before, 2^40 writes took hours to mark one by one.
        if writes > Double(set.pages) {
            out = bitmap!.markEachPage(writes: writes, set: set, stream: s).map(Double.init)
            return
        }
        let n = Self.poissonLarge(writes, s)
        out = bitmap!.markAndCount(writes: UInt64(min(n, 2 * Double(set.pages) + 1e6)), set: set, stream: s).map(Double.init)
    }

    /// Poisson draw that also accepts means beyond GSL's 32-bit range, by
    /// summing independent Poisson parts (a Poisson sum is Poisson).
    /// Beyond 64 parts (1.28e11) it uses the normal approximation N(mean, mean)
    /// (relative error of the shape below 3e-6), so a huge or heavy-tailed write
    /// rate cannot loop for ever (at 1e300, `m -= 2e9` never changed `m`).
    static func poissonLarge(_ mean: Double, _ s: RandomStream) -> Double {
        if mean > 1.28e11 {
            guard mean.isFinite, let normal = try? Distribution.normal(mean: mean, sd: mean.squareRoot()) else { return mean }
            return Swift.max(0, normal.sample(s).rounded())
        }
        var m = mean, total = 0.0
        while m >= 2e9 {
            total += Double(s.poisson(mean: 2e9))
            m -= 2e9
        }
        return total + Double(s.poisson(mean: m))
    }
}

/// A dirty bitmap of one VM's pages, owned by the page-exact model.
final class PageBitmap {
    var words: [UInt64]

    init(pages: Int) { words = [UInt64](repeating: 0, count: (pages + 63) / 64) }

    /// Draws each page's dirty bit after `writes` expected Poisson writes:
    /// a page of level `k` is dirty with probability `1 - exp(-writes * share_k / n_k)`
    /// (one 32-bit draw per page against that probability), level by level.
    func markEachPage(writes: Double, set: PageSet, stream: RandomStream) -> [Int] {
        set.levels.map { level in
            let p = -expm1(-writes * level.share / Double(level.pages))
            let threshold = p >= 1 ? UInt64(1) << 32 : UInt64(p * 4294967296.0)
            var n = 0
            for _ in 0..<level.pages where UInt64(stream.next32()) < threshold { n += 1 }
            return n
        }
    }

    /// Marks `writes` sampled writes and returns the distinct pages marked per
    /// level; leaves the bitmap clear.
    ///
    /// Each write takes two 32-bit draws: one picks the level by comparing
    /// with the cumulative shares times 2^32 (a binary search beyond two
    /// levels; so a level's share resolves to 2^-32), the other picks the
    /// page in that level by multiply-shift. Level `k` holds the pages after
    /// those of levels `0..<k`.
    func markAndCount(writes: UInt64, set: PageSet, stream: RandomStream) -> [Int] {
        let levels = set.levels
        let starts = levels.reduce(into: [UInt64(0)]) { $0.append($0.last! + UInt64($1.pages)) }
        words.withUnsafeMutableBufferPointer { w in
            if levels.count <= 2 {
                // The two-level loop, kept as it was (same draws, same pages).
                let h = UInt64(levels[0].pages), c = levels.count == 2 ? UInt64(levels[1].pages) : 0
                let share = levels[0].share
                let threshold = share >= 1 ? UInt64(1) << 32 : UInt64(share * 4294967296.0)
                var i: UInt64 = 0
                while i < writes {
                    let u = UInt64(stream.next32())
                    let v = UInt64(stream.next32())
                    let page = u < threshold ? (v &* h) >> 32 : h + ((v &* c) >> 32)
                    w[Int(page >> 6)] |= 1 << (page & 63)
                    i += 1
                }
            } else {
                var cumulative: [UInt64] = []
                var acc = 0.0
                for l in levels {
                    acc += l.share
                    cumulative.append(acc >= 1 ? UInt64(1) << 32 : UInt64(acc * 4294967296.0))
                }
                cumulative[cumulative.count - 1] = UInt64(1) << 32
                let sizes = levels.map { UInt64($0.pages) }
                var i: UInt64 = 0
                while i < writes {
                    let u = UInt64(stream.next32())
                    let v = UInt64(stream.next32())
                    var lo = 0, hi = cumulative.count - 1
                    while lo < hi {
                        let mid = (lo + hi) >> 1
                        if u < cumulative[mid] { hi = mid } else { lo = mid + 1 }
                    }
                    let page = starts[lo] + ((v &* sizes[lo]) >> 32)
                    w[Int(page >> 6)] |= 1 << (page & 63)
                    i += 1
                }
            }
        }
        var counts = [Int](repeating: 0, count: levels.count)
        for k in levels.indices { counts[k] = countAndClear(from: starts[k], to: starts[k + 1]) }
        return counts
    }

    /// Set bits in pages `lo..<hi`, cleared on the way.
    private func countAndClear(from lo: UInt64, to hi: UInt64) -> Int {
        var count = 0
        var p = lo
        while p < hi {
            let word = Int(p >> 6), bit = p & 63
            let end = Swift.min(hi, (p | 63) + 1)
            let width = end - p
            let mask: UInt64 = width == 64 ? ~0 : ((UInt64(1) << width) - 1) << bit
            count += (words[word] & mask).nonzeroBitCount
            words[word] &= ~mask
            p = end
        }
        return count
    }
}
