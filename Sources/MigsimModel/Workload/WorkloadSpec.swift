import MigsimRandom

/// How distinct dirty pages are counted from the number of writes.
public enum DirtyCounting: String, Sendable, CaseIterable {
    /// Writes form a Poisson process spread uniformly over a set of `S` pages, so
    /// `S * (1 - exp(-W / S))` distinct pages are dirty after `W` writes
    /// (DESIGN.md section 2); saturates at the set size. The default.
    case poisson
    /// Every write dirties a new page until the set is exhausted:
    /// `min(W, S)`. The "no saturation" assumption of the analytic pre-copy model
    /// (Liu et al., HPDC 2011; Akoush et al., MASCOTS 2010).
    case linear
}

/// One phase of a phased workload: a duration and the dirty rate during it.
public struct WorkloadPhase: Sendable {
    /// Length of the phase in seconds (> 0).
    public var duration: Double
    /// Dirty rate during the phase in page writes per second, drawn once per VM.
    public var rate: Distribution

    public init(duration: Double, rate: Distribution) {
        self.duration = duration
        self.rate = rate
    }
}

/// A two-state Markov-modulated (on/off) switch over the dirty rate.
///
/// Sojourn times are exponential. While *off* the rate is multiplied by
/// `offFactor` (0 = idle).
public struct OnOffSpec: Sendable {
    public var meanOn: Double
    public var meanOff: Double
    public var offFactor: Double

    public init(meanOn: Double, meanOff: Double, offFactor: Double = 0) {
        self.meanOn = meanOn
        self.meanOff = meanOff
        self.offFactor = offFactor
    }
}

/// Where a VM starts its trace and its phase cycle.
public enum CycleOffset: Sendable, Equatable {
    /// At a uniform random point of the cycle, drawn from the VM's own stream
    /// (seed, run, VM, "cycle-offset"), so VMs replaying the same trace or
    /// phases do not burst in step. The default.
    case random
    /// At this many seconds into the cycle, for every VM (0: all start at the beginning).
    case fixed(Double)
}

/// The memory-write behaviour of a VM (DESIGN.md section 2).
///
/// Writes arrive at a rate (page writes per second) drawn per VM from `rate`;
/// optionally the rate follows cyclic `phases` and an on/off switch. How the
/// writes spread over the pages in use is the `popularity`: by default two
/// levels, a share `hotWriteShare` of the writes falling uniformly on the hot
/// set (the writable working set, `hotSetFraction` of memory or
/// `hotSetBytes`) and the rest uniformly on the cold remainder; or Zipf, a
/// table of levels, or a measured working-set curve.
public struct WorkloadSpec: Sendable {
    /// Page writes per second; drawn once per VM. Negative draws count as 0.
    public var rate: Distribution
    /// Fraction of the VM's pages in the hot set, in (0, 1].
    public var hotSetFraction: Double
    /// Share of writes that land in the hot set, in [0, 1].
    public var hotWriteShare: Double
    /// The hot set as a size in bytes; when set it replaces `hotSetFraction`
    /// (so a sweep over VM size keeps the working set).
    public var hotSetBytes: Double?
    /// How writes spread over the pages in use (two-level by default).
    public var popularity: PagePopularity = .twoLevel
    /// Where the trace or phase cycle starts (random by default).
    public var cycleOffset: CycleOffset = .random
    /// Cyclic phases; when non-empty they replace `rate`.
    public var phases: [WorkloadPhase]
    /// A recorded rate series; when set it replaces `rate` and `phases`.
    public var trace: DirtyTrace?
    public var onOff: OnOffSpec?
    public var counting: DirtyCounting
    /// Share of page accesses that are reads, in [0, 1): reads add post-copy
    /// faults (a page not yet on the target faults on any access), not dirty
    /// pages. Default 0 (writes only): no published per-workload figure was
    /// found, so any other value is the user's assumption.
    public var readShare: Double = 0

    /// Page accesses (reads and writes) per page write.
    public var accessesPerWrite: Double { 1 / (1 - readShare) }

    public init(rate: Distribution, hotSetFraction: Double = 1, hotWriteShare: Double = 1,
                phases: [WorkloadPhase] = [], onOff: OnOffSpec? = nil, counting: DirtyCounting = .poisson) {
        self.rate = rate
        self.hotSetFraction = hotSetFraction
        self.hotWriteShare = hotWriteShare
        self.phases = phases
        self.trace = nil
        self.onOff = onOff
        self.counting = counting
    }

    /// The page set of a VM with `pages` pages of `pageSize` bytes, `inUse` of them in use (written).
    ///
    /// The hot set keeps its share of all memory (or its size), within the
    /// pages in use; the other popularities spread over the pages in use.
    public func pageSet(pages: Int, inUse: Int, pageSize: Int) -> PageSet {
        let hot: Double
        if let b = hotSetBytes {
            hot = Swift.min(1, (b / Double(pageSize)) / Double(inUse))
        } else {
            hot = Swift.min(1, hotSetFraction * Double(pages) / Double(inUse))
        }
        return popularity.pageSet(pages: inUse, hotFraction: hot, hotShare: hotWriteShare, counting: counting)
    }

    /// An idle VM: no writes.
    public static var idle: WorkloadSpec { WorkloadSpec(rate: try! .constant(0)) }

    /// Checks every parameter; `vm` is the VM index errors name (`nil` when there is none).
    public func validate(vm: Int? = nil) throws {
        try require(hotSetFraction.isFinite && hotSetFraction > 0 && hotSetFraction <= 1,
                    .vmHotSetFraction, at: vm, hotSetFraction, "a number in (0, 1]")
        try require(hotWriteShare.isFinite && hotWriteShare >= 0 && hotWriteShare <= 1,
                    .vmHotWriteShare, at: vm, hotWriteShare, "a number in [0, 1]")
        try require(readShare.isFinite && readShare >= 0 && readShare < 1, .vmReadShare, at: vm, readShare, "a number in [0, 1)")
        if let b = hotSetBytes { try require(b.isFinite && b > 0, .vmHotSetBytes, at: vm, b, "a size > 0 bytes") }
        try popularity.validate(vm: vm)
        if case .fixed(let o) = cycleOffset { try require(o.isFinite && o >= 0, .vmCycleOffset, at: vm, o, "random or a number of seconds >= 0") }
        if let m = rate.mean { try require(m >= 0, .vmWorkloadRate, at: vm, rate, "a distribution of page writes/s with mean >= 0") }
        for (i, p) in phases.enumerated() {
            try require(p.duration.isFinite && p.duration > 0, .vmPhaseDuration, at: vm, item: i, p.duration, "a number of seconds > 0")
        }
        if let o = onOff {
            try require(o.meanOn.isFinite && o.meanOn > 0, .vmOnOffMeanOn, at: vm, o.meanOn, "a number of seconds > 0")
            try require(o.meanOff.isFinite && o.meanOff > 0, .vmOnOffMeanOff, at: vm, o.meanOff, "a number of seconds > 0")
            try require(o.offFactor.isFinite && o.offFactor >= 0 && o.offFactor <= 1, .vmOnOffFactor, at: vm, o.offFactor, "a number in [0, 1]")
        }
    }
}
