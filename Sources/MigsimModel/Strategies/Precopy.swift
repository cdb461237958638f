import MigsimKernel

/// Pre-copy progress shared by live and live-storage migration: the VM's
/// write process, its dirty-page model and per-round bookkeeping.
struct Precopy {
    var rate: DirtyRateProcess
    let model: DirtyModel
    let pageSize: Double
    let memoryBytes: Double
    /// 1-based number of the current (or last) round.
    var round = 0
    /// Bytes being sent in the current round.
    var roundBytes = 0.0
    /// Pages dirtied in the last round, to be sent next (by stop-and-copy: the pages it sends).
    var pendingPages = 0.0
    var totalSent = 0.0
    var firstRoundBandwidth = 0.0
    /// Bytes/s dirtied during the last round (Xen's adaptive rate limit uses it).
    var lastDirtyRate = 0.0
    /// Bytes sent by the round before the current one.
    var previousRoundBytes = 0.0
    var throttle = ThrottleState()
    var maxThrottle = 0.0

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
        let set = PageSet(pages: v.pages, hotFraction: v.workload.hotSetFraction, hotShare: v.workload.hotWriteShare,
                          counting: v.workload.counting)
        model = DirtyModel(set: set, fidelity: env.settings.fidelity, key: ctx.key("dirty-pages"))
        pageSize = Double(v.pageSize)
        memoryBytes = Double(v.pages) * pageSize
    }

    /// Distinct pages dirtied over `duration` seconds from `start`, at the current throttle.
    mutating func dirtied(from start: Double, duration: Double) -> Double {
        let w = rate.writes(from: start, to: start + duration) * (1 - throttle.throttle)
        return model.distinctPages(writes: w)
    }
}
