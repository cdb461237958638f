import Foundation
import MigsimKernel

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

    /// The VM's write process and a dirty model of its own.
    ///
    /// The write rate belongs to the VM (keyed by (seed, run, VM) only, so a
    /// VM's rate and on/off timeline are the same in every migration of a
    /// run); the dirty-page sampling noise belongs to the migration (keyed
    /// with its occurrence, so a second migration draws new noise).
    /// `skips`: the pre-copy rounds skip re-dirtied pages (``skipWalk``).
    init(_ ctx: MigrationContext, skips: Bool = false) {
        let v = ctx.spec
        let env = ctx.environment
        let pages = v.pages
        let inUse = min(pages, max(1, Int((Double(pages) * v.memoryInUse).rounded())))
        let set = v.workload.pageSet(pages: pages, inUse: inUse, pageSize: v.pageSize)
        rate = DirtyRateProcess(spec: v.workload, seed: env.seed, run: env.run, vm: UInt64(ctx.vm), set: set)
        model = DirtyModel(set: set, fidelity: ctx.settings.fidelity, key: ctx.key("dirty-pages"))
        pageSize = Double(v.pageSize)
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
        return model.distinctPagesByLevel(writes: w)
    }

    /// Records the pages dirty at a round's end, by level. The last level
    /// keeps `total - others`, as the two-level model computed its cold part
    /// (`pendingPages - pendingHot`), so its numbers stay bit for bit.
    mutating func setPending(_ byLevel: consuming [Double]) {
        var levels = byLevel  // a move: the caller's array is changed in place
        var total = 0.0
        for p in levels { total += p }
        pendingPages = total
        if levels.count >= 2 {
            var others = 0.0
            for p in levels.dropLast() { others += p }
            levels[levels.count - 1] = total - others
        }
        pendingByLevel = levels
    }

    /// Expected pages of the next send set (round 1: every page in use)
    /// written again before a round of `seconds` reaches them: Xen's
    /// `to_skip` in the mean-field and statistical fidelities.
    ///
    /// Pages are sent at an even pace in any order independent of the
    /// writes: a page written `a` times a second and sent at a uniform time
    /// in the round was written before with probability
    /// `1 - (1 - exp(-aT)) / (aT)`. Writes fall on the levels as in the dirty
    /// model; `writeRate` is in page writes per second. `send` and the
    /// result are by level.
    ///
    /// This lets every page of the set take its share of the round, skipped
    /// ones too, and smooths the per-batch peeks. Xen's walk, which
    /// page-exact fidelity follows (``SkipWalk``), gives a skipped page no
    /// time, so it skips fewer pages when many are skipped. For one level,
    /// x = aT and a peek before every page, the walk skips about
    /// `n (1 - ln(1 + x) / x)` (its fluid limit): 774 of 4,096 pages at
    /// x = 0.5 and 2,203 at x = 3, where this expectation says 873 and 2,799.
    /// Peeking once per 1,024 sent pages lowers that further in a small VM
    /// (614 and 1,846 for these 4,096 pages). Computed by the exact
    /// recursion of `SkipWalkTests`.
    func expectedSkips(_ send: [Double], writeRate: Double, seconds: Double) -> [Double] {
        zip(send, model.set.levels).map { pages, level in
            pages * Self.writtenBeforeSent(writeRate * level.share / Double(level.pages) * seconds)
        }
    }

    /// `1 - (1 - exp(-x)) / x`: the chance that a page with `x` expected
    /// writes over a span is written before a uniform time in that span.
    static func writtenBeforeSent(_ x: Double) -> Double {
        guard x > 1e-12 else { return x / 2 }
        return 1 - (-expm1(-x)) / x
    }
}
