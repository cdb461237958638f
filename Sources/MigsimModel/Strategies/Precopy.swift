import Foundation
import MigsimKernel
import MigsimRandom

/// Pre-copy progress shared by live, live-storage and post-copy migration:
/// the VM's write process, its dirty-page model and per-round bookkeeping.
///
/// Pages in use (the `memory_in_use` share, rounded to whole pages) are the
/// ones the guest has written; the rest are zero and never written, so the
/// write process falls on the pages in use only. Zero pages cost a header or a
/// whole page in round 1 (``Mechanisms/zeroPageBytes``) and never again.
struct Precopy {
    var rate: DirtyRateProcess
    let model: DirtyModel
    let pageSize: Double
    let memoryBytes: Double
    /// Pages the guest has written (non-zero).
    let inUsePages: Double
    /// Pages never written (all zero).
    let zeroPages: Double
    /// 1-based number of the current (or last) round.
    var round = 0
    /// Payload bytes of the current round before compression (pages, or zero-page headers).
    var roundBytes = 0.0
    /// Pages the current round sends.
    var roundPages = 0.0
    /// Pages dirtied in the last round, to be sent next (by stop-and-copy: the pages it sends).
    var pendingPages = 0.0
    /// ``pendingPages`` by level of the page set.
    var pendingByLevel: [Double] = []
    /// Storage of an earlier pending set, reused by ``dirtied(from:duration:)``.
    private var spare: [Double] = []
    /// Page writes per second over the last round, at the throttle then in force.
    var lastWriteRate = 0.0
    var totalSent = 0.0
    var firstRoundBandwidth = 0.0
    /// Bytes/s dirtied during the last round (Xen's adaptive rate limit uses it).
    var lastDirtyRate = 0.0
    /// Bytes sent by the round before the current one.
    var previousRoundBytes = 0.0
    /// The rate limit's cap on the current round's payload, bytes/s.
    var roundCap = Double.infinity
    var throttle = ThrottleState()
    var maxThrottle = 0.0
    /// Pages sent so far (each zero page counts once, whatever its wire size), for the debug invariant.
    var pagesSent = 0.0
    /// Xen's `to_skip` page by page: the send set and the round's writes as
    /// bitmaps (page-exact fidelity with skipping on, except on a working-set
    /// curve, whose levels say how many pages and not which); `nil` otherwise.
    let skipWalk: SkipWalk?

    /// The dirty-page stream's purpose, hashed once (not once per migration).
    private static let dirtyPages: StreamPurpose = "dirty-pages"

    /// The VM's write process and a dirty model of its own.
    ///
    /// The write rate belongs to the VM (keyed by (seed, run, VM) only, so a
    /// VM's rate and on/off timeline are the same in every migration of a
    /// run); the dirty-page sampling noise belongs to the migration (keyed
    /// with its occurrence, so a second migration draws new noise).
    /// `skips`: the pre-copy rounds skip re-dirtied pages (``skipWalk``).
    init(_ ctx: MigrationContext, skips: Bool = false) {
        let env = ctx.environment
        let vms = env.vms, v = ctx.vm  // fields read in place: a copy of the spec cost a retain of each array in it
        let pages = vms[v].pages
        let inUse = min(pages, max(1, Int((Double(pages) * vms[v].memoryInUse).rounded())))
        let set = vms[v].workload.pageSet(pages: pages, inUse: inUse, pageSize: vms[v].pageSize)
        rate = DirtyRateProcess(spec: vms[v].workload, seed: env.seed, run: env.run, vm: UInt64(ctx.vm), set: set)
        model = DirtyModel(set: set, fidelity: ctx.settings.fidelity, key: ctx.key(Self.dirtyPages))
        pageSize = Double(vms[v].pageSize)
        memoryBytes = Double(pages) * pageSize
        inUsePages = Double(inUse)
        zeroPages = Double(pages - inUse)
        skipWalk = skips && ctx.settings.fidelity == .pageExact && !set.curve
            ? SkipWalk(set: set, zeroPages: pages - inUse, key: ctx.key("skip-walk")) : nil
    }

    /// Payload bytes of every page once: pages in use whole, zero pages as
    /// `zeroPageBytes` each (whole pages when `nil`). Round 1 and post-copy's push send this.
    func allPagesBytes(zeroPageBytes: Double?) -> Double {
        inUsePages * pageSize + zeroPages * (zeroPageBytes ?? pageSize)
    }

    /// Distinct pages dirtied over `duration` seconds from `start`, at the
    /// current throttle, by level; remembers the write rate. With
    /// ``skipWalk``, the pages written during the round the walk began
    /// (skipped ones included), each write drawn once.
    mutating func dirtied(from start: Double, duration: Double) -> [Double] {
        let w = rate.writes(from: start, to: start + duration) * (1 - throttle.throttle)
        lastWriteRate = duration > 0 ? w / duration : 0
        if let walk = skipWalk { return walk.end(writes: w).map(Double.init) }
        var out: [Double] = []
        swap(&out, &spare)  // the storage the last setPending let go of: no array per round
        model.distinctPagesByLevel(writes: w, into: &out)
        return out
    }

    /// Records the pages dirty at a round's end, by level. The last level
    /// keeps `total - others`, as the two-level model computed its cold part
    /// (`pendingPages - pendingHot`), so its numbers stay bit for bit.
    ///
    /// Takes the storage of `levels` (left empty): with the arrays swapped,
    /// not copied, a round allocates no array (a consuming parameter was
    /// still copied when changed).
    mutating func setPending(_ levels: inout [Double]) {
        var total = 0.0
        for p in levels { total += p }
        pendingPages = total
        if levels.count >= 2 {
            var others = 0.0
            for i in 0..<(levels.count - 1) { others += levels[i] }
            levels[levels.count - 1] = total - others
        }
        swap(&pendingByLevel, &levels)  // `levels` holds the old pending set ...
        swap(&spare, &levels)           // ... kept for the next round's count
        levels = []
    }

    /// Expected pages of the next send set (round 1: every page in use)
    /// written again before Xen's walk reaches them: `to_skip` in the
    /// mean-field and statistical fidelities, the fluid limit of the walk
    /// page-exact follows (``SkipWalk``; `xc_domain_save.c`, `xc_domain_save`).
    ///
    /// The walk visits the set at an even mix of levels; a page is skipped
    /// when it was written since the round began (`latency` before the first
    /// page), and a skipped page takes no time. Sending the whole set would
    /// take `seconds`; a page of level k is written `a_k` times a second. At
    /// time τ the page under the walk is sent with probability
    /// `g(τ) = Σ f_k exp(-a_k τ)` (`f_k`: the level's share of the set), so
    /// the walk advances at `du/dτ = 1 / (seconds · g(τ))` and ends when
    /// `u = 1`; level k skips `n_k (1 - ∫ exp(-a_k τ) du)`. For one level
    /// with `x = a · seconds` that is `n (1 - ln(1 + x e^{-a latency}) / x)`;
    /// several levels are integrated numerically (Simpson's rule on a grid
    /// packed near the round's start, where the fastest level changes:
    /// relative error below 1e-6, checked against that closed form).
    ///
    /// Xen peeks once per batch of 1,024 pages sent, not before every page,
    /// so a small VM skips fewer than this (4,096 pages at x = 0.5: 614 per
    /// the walk's exact recursion against 774 here); from a few hundred
    /// batches up (1 GiB and more) the difference is small. `writeRate` is in
    /// page writes per second; `send` and the result are by level.
    func expectedSkips(_ send: [Double], writeRate: Double, seconds: Double, latency: Double) -> [Double] {
        Self.fluidSkips(send, perPageRates: model.set.levels.map { writeRate * $0.share / Double($0.pages) },
                        seconds: seconds, latency: latency)
    }

    /// ``expectedSkips(_:writeRate:seconds:latency:)`` for given per-page write rates by level.
    static func fluidSkips(_ n: [Double], perPageRates a: [Double], seconds T: Double, latency L: Double) -> [Double] {
        var total = 0.0
        for x in n { total += x }
        var aMax = 0.0
        for (k, r) in a.enumerated() where n[k] > 0 { aMax = max(aMax, r) }
        guard total > 0, T > 0, aMax > 0, T.isFinite, aMax.isFinite else { return [Double](repeating: 0, count: n.count) }
        let f = n.map { $0 / total }
        func g(_ t: Double) -> Double {
            var s = 0.0
            for k in f.indices where f[k] > 0 { s += f[k] * exp(-a[k] * t) }
            return s
        }
        // Grid on [L, L + T] (the walk ends by then: g <= 1), packed near L.
        let intervals = 96
        let c = log1p(aMax * T)
        func node(_ i: Int) -> Double {
            c < 1e-6 ? L + T * Double(i) / Double(intervals) : L + T * expm1(c * Double(i) / Double(intervals)) / expm1(c)
        }
        var walked = 0.0                                    // u at the left node
        var kept = [Double](repeating: 0, count: n.count)   // ∫ exp(-a_k τ) du so far
        // Simpson on [l, r] of du = dτ / (T g), and of exp(-a_k τ) du.
        func walk(_ l: Double, _ r: Double) -> Double {
            (r - l) / (6 * T) * (1 / g(l) + 4 / g((l + r) / 2) + 1 / g(r))
        }
        func keep(_ l: Double, _ r: Double) {
            let m = (l + r) / 2, gl = g(l), gm = g(m), gr = g(r), h = (r - l) / (6 * T)
            for k in n.indices where n[k] > 0 {
                kept[k] += h * (exp(-a[k] * l) / gl + 4 * exp(-a[k] * m) / gm + exp(-a[k] * r) / gr)
            }
        }
        // Every page already written when the walk starts (g underflows): all skipped.
        guard g(L) > 0 else { return n }
        var left = node(0)
        for i in 1...intervals {
            let right = node(i)
            let du = walk(left, right)
            if walked + du < 1 {
                keep(left, right)
                walked += du
                left = right
                continue
            }
            // The walk ends inside this interval: find where (bisection on
            // Simpson's rule from the interval's start), and stop there.
            var lo = left, hi = right
            for _ in 0..<60 {
                let m = (lo + hi) / 2
                if walked + walk(left, m) < 1 { lo = m } else { hi = m }
            }
            keep(left, hi)
            break
        }
        return n.indices.map { k in n[k] > 0 ? n[k] * max(0, 1 - kept[k]) : 0 }
    }

    /// `1 - (1 - exp(-x)) / x`: the chance that a page with `x` expected
    /// writes over a span is written before a uniform time in that span.
    static func writtenBeforeSent(_ x: Double) -> Double {
        guard x > 1e-12 else { return x / 2 }
        return 1 - (-expm1(-x)) / x
    }
}
