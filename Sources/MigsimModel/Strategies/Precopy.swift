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
    /// The hot part of ``pendingPages`` (the rest is cold).
    var pendingHot = 0.0
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

    /// The VM's write process and a dirty model of its own.
    ///
    /// The write rate belongs to the VM (keyed by (seed, run, VM) only, so a
    /// VM's rate and on/off timeline are the same in every migration of a
    /// run); the dirty-page sampling noise belongs to the migration (keyed
    /// with its occurrence, so a second migration draws new noise).
    init(_ ctx: MigrationContext) {
        let v = ctx.spec
        let env = ctx.environment
        rate = DirtyRateProcess(spec: v.workload, seed: env.seed, run: env.run, vm: UInt64(ctx.vm))
        let pages = v.pages
        let inUse = min(pages, max(1, Int((Double(pages) * v.memoryInUse).rounded())))
        // The hot set keeps its share of all memory, within the pages in use.
        let hot = min(1, v.workload.hotSetFraction * Double(pages) / Double(inUse))
        let set = PageSet(pages: inUse, hotFraction: hot, hotShare: v.workload.hotWriteShare, counting: v.workload.counting)
        model = DirtyModel(set: set, fidelity: ctx.settings.fidelity, key: ctx.key("dirty-pages"))
        pageSize = Double(v.pageSize)
        memoryBytes = Double(pages) * pageSize
        inUsePages = Double(inUse)
        zeroPages = Double(pages - inUse)
    }

    /// Payload bytes of every page once: pages in use whole, zero pages as
    /// `zeroPageBytes` each (whole pages when `nil`). Round 1 and post-copy's push send this.
    func allPagesBytes(zeroPageBytes: Double?) -> Double {
        inUsePages * pageSize + zeroPages * (zeroPageBytes ?? pageSize)
    }

    /// Distinct pages dirtied over `duration` seconds from `start`, at the
    /// current throttle, by level; remembers the write rate.
    mutating func dirtied(from start: Double, duration: Double) -> (hot: Double, cold: Double) {
        let w = rate.writes(from: start, to: start + duration) * (1 - throttle.throttle)
        lastWriteRate = duration > 0 ? w / duration : 0
        return model.distinctPagesByLevel(writes: w)
    }

    /// Pages of the next send set (round 1: every page in use) that are
    /// written again before a round of `seconds` reaches them, when pages are
    /// sent at an even pace in any order independent of the writes: a page
    /// written `a` times a second and sent at a uniform time in the round was
    /// written before with probability `1 - (1 - exp(-aT)) / (aT)`. Writes
    /// fall on the hot and cold parts as in the dirty model; `writeRate` is in
    /// page writes per second.
    func expectedSkips(hot: Double, cold: Double, writeRate: Double, seconds: Double) -> (hot: Double, cold: Double) {
        let set = model.set
        func p(_ pages: Int, _ share: Double) -> Double {
            guard pages > 0 else { return 0 }
            return Self.writtenBeforeSent(writeRate * share / Double(pages) * seconds)
        }
        return (hot * p(set.hotPages, set.hotShare), cold * p(set.coldPages, 1 - set.hotShare))
    }

    /// `1 - (1 - exp(-x)) / x`: the chance that a page with `x` expected
    /// writes over a span is written before a uniform time in that span.
    static func writtenBeforeSent(_ x: Double) -> Double {
        guard x > 1e-12 else { return x / 2 }
        return 1 - (-expm1(-x)) / x
    }
}
