import MigsimRandom
#if canImport(Glibc)
import Glibc
#endif

/// How faithfully dirty pages are modelled (DESIGN.md section 2).
public enum Fidelity: String, Sendable, CaseIterable {
    /// A dirty bitmap per migrating VM; every write is sampled. For validation
    /// and small experiments.
    case pageExact = "page-exact"
    /// O(1) per round: the distinct-page count is drawn from its distribution
    /// (binomial per page set, exact for Poisson writes). For scale.
    case statistical
    /// The deterministic limit of `statistical`: the expected count, no noise.
    /// With a constant rate and `linear` counting it reproduces the analytic
    /// series `M * (D/R)^i` exactly.
    case meanField = "mean-field"
}

/// The page geometry a dirty model works on: a set of pages split into a hot
/// and a cold part. Used for RAM pages and for disk blocks alike.
public struct PageSet: Sendable {
    /// Total pages (or blocks).
    public let pages: Int
    /// Pages in the hot set, `1...pages`.
    public let hotPages: Int
    /// Share of writes to the hot set.
    public let hotShare: Double
    public let counting: DirtyCounting

    public init(pages: Int, hotFraction: Double, hotShare: Double, counting: DirtyCounting) {
        precondition(pages > 0)
        self.pages = pages
        self.hotPages = Swift.min(pages, Swift.max(1, Int((Double(pages) * hotFraction).rounded())))
        // With no cold pages every write is hot.
        self.hotShare = hotPages == pages ? 1 : hotShare
        self.counting = counting
    }

    public var coldPages: Int { pages - hotPages }

    /// Expected distinct pages dirtied by `writes` expected writes.
    ///
    /// Poisson counting: each hot page receives Poisson(`writes*f/H`) writes,
    /// so it is dirty with probability `1 - exp(-writes*f/H)`; likewise cold.
    /// Linear counting: `min(writes*f, H) + min(writes*(1-f), C)`.
    @inlinable public func expectedDistinct(writes: Double) -> Double {
        let d = expectedDistinctByLevel(writes: writes)
        return d.hot + d.cold
    }

    /// ``expectedDistinct(writes:)`` split into the hot and the cold part.
    @inlinable public func expectedDistinctByLevel(writes: Double) -> (hot: Double, cold: Double) {
        let h = Double(hotPages), c = Double(coldPages)
        let wh = writes * hotShare, wc = writes - wh
        switch counting {
        case .linear:
            return (Swift.min(wh, h), c > 0 ? Swift.min(wc, c) : 0)
        case .poisson:
            return (h * -expm1(-wh / h), c > 0 ? c * -expm1(-wc / c) : 0)
        }
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
            stream = RandomStream(key)
            bitmap = nil
        case .pageExact:
            stream = RandomStream(key, kind: .taus2)
            bitmap = PageBitmap(pages: set.pages)
        }
    }

    /// Distinct pages dirtied by a write process with `writes` expected writes.
    ///
    /// Page-exact: draws the write count from Poisson(`writes`), marks each
    /// write's page in the bitmap, returns the number of set bits and clears
    /// it (a copied page becomes clean). Statistical: the sum of two binomial
    /// draws (linear counting: capped Poisson draws). Mean-field: the expectation.
    public func distinctPages(writes: Double) -> Double {
        let d = distinctPagesByLevel(writes: writes)
        return d.hot + d.cold
    }

    /// ``distinctPages(writes:)`` split into the hot and the cold part of the set.
    public func distinctPagesByLevel(writes: Double) -> (hot: Double, cold: Double) {
        guard writes > 0 else { return (0, 0) }
        let h = set.hotPages, c = set.coldPages
        let wh = writes * set.hotShare, wc = writes - wh
        switch fidelity {
        case .meanField:
            return set.expectedDistinctByLevel(writes: writes)
        case .statistical:
            let s = stream!
            switch set.counting {
            case .poisson:
                let dh = Double(s.binomial(p: -expm1(-wh / Double(h)), n: UInt32(h)))
                let dc = c > 0 ? Double(s.binomial(p: -expm1(-wc / Double(c)), n: UInt32(c))) : 0
                return (dh, dc)
            case .linear:
                let dh = Swift.min(Double(h), Self.poissonLarge(wh, s))
                let dc = c > 0 ? Swift.min(Double(c), Self.poissonLarge(wc, s)) : 0
                return (dh, dc)
            }
        case .pageExact:
            let s = stream!
            // More writes than pages: every page's dirty bit drawn on its own
            // (a Poisson number of uniform writes leaves each page dirty
            // independently with probability 1 - exp(-its expected writes)),
            // so a round costs at most one draw per page however many writes
            // it has; before, 2^40 writes took hours to mark one by one.
            if writes > Double(set.pages) {
                let marked = bitmap!.markEachPage(writes: writes, set: set, stream: s)
                return (Double(marked.hot), Double(marked.cold))
            }
            let n = Self.poissonLarge(writes, s)
            let marked = bitmap!.markAndCount(writes: UInt64(min(n, 2 * Double(set.pages) + 1e6)), set: set, stream: s)
            return (Double(marked.hot), Double(marked.cold))
        }
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
    /// hot page dirty with probability `1 - exp(-writes * hotShare / H)`, cold
    /// likewise (one 32-bit draw per page against that probability).
    func markEachPage(writes: Double, set: PageSet, stream: RandomStream) -> (hot: Int, cold: Int) {
        func count(_ pages: Int, _ share: Double) -> Int {
            guard pages > 0 else { return 0 }
            let p = -expm1(-writes * share / Double(pages))
            let threshold = p >= 1 ? UInt64(1) << 32 : UInt64(p * 4294967296.0)
            var n = 0
            for _ in 0..<pages where UInt64(stream.next32()) < threshold { n += 1 }
            return n
        }
        return (count(set.hotPages, set.hotShare), count(set.coldPages, 1 - set.hotShare))
    }

    /// Marks `writes` sampled writes and returns the distinct pages marked;
    /// leaves the bitmap clear.
    ///
    /// Each write takes two 32-bit draws: one picks hot or cold by comparing
    /// with `hotShare * 2^32`, the other picks the page in that part by
    /// multiply-shift. Hot pages are `0..<H`, cold ones `H..<pages`.
    func markAndCount(writes: UInt64, set: PageSet, stream: RandomStream) -> (hot: Int, cold: Int) {
        let h = UInt64(set.hotPages), c = UInt64(set.coldPages)
        let threshold = set.hotShare >= 1 ? UInt64(1) << 32 : UInt64(set.hotShare * 4294967296.0)
        var hotCount = 0, total = 0
        words.withUnsafeMutableBufferPointer { w in
            var i: UInt64 = 0
            while i < writes {
                let u = UInt64(stream.next32())
                let v = UInt64(stream.next32())
                let page = u < threshold ? (v &* h) >> 32 : h + ((v &* c) >> 32)
                w[Int(page >> 6)] |= 1 << (page & 63)
                i += 1
            }
            // Hot pages are 0..<H: whole words below H, then the bits of the word H falls in.
            let hotWords = Int(h >> 6), hotBits = Int(h & 63)
            for k in 0..<w.count {
                let bits = w[k].nonzeroBitCount
                total += bits
                if k < hotWords {
                    hotCount += bits
                } else if k == hotWords && hotBits > 0 {
                    hotCount += (w[k] & ((1 << UInt64(hotBits)) - 1)).nonzeroBitCount
                }
                w[k] = 0
            }
        }
        return (hotCount, total - hotCount)
    }
}
