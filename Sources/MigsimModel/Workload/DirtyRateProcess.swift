import MigsimRandom

/// The piecewise-constant write rate of one VM over simulated time.
///
/// Built from a ``WorkloadSpec`` with the VM's own random streams, so the rate
/// of one VM never depends on any other VM. A trace or phase cycle starts at
/// the VM's ``offset`` into the cycle (random by default), so VMs replaying
/// the same trace are not in step. Answers "how many page writes are
/// expected in [t0, t1)" — the integral of the rate — in time linear in the
/// number of phase and on/off boundaries crossed. Queries must not go back in
/// time by more than the current on/off sojourn (the migration models only
/// move forward).
public struct DirtyRateProcess {
    /// Base rate in writes/s (used when there are no phases).
    public let baseRate: Double
    let phaseRates: [Double]
    let phaseEnds: [Double]  // cumulative ends within one cycle
    let cycle: Double
    /// Seconds into the cycle at which the VM's time 0 falls (``CycleOffset``).
    public let offset: Double
    let onOff: OnOffSpec?
    private(set) var onOffStream: RandomStream?
    // On/off state: the current sojourn is [switchStart, switchEnd) in state `isOn`.
    var isOn = true
    var switchStart = 0.0
    var switchEnd = Double.infinity

    /// Draws the VM's rates from the streams of (seed, run, vm). `set` is the
    /// VM's page set, which turns a trace of distinct-page measurements into
    /// write rates (``DirtyTrace/writeRates(for:)``); without it such a trace
    /// is read over a uniform set of 2^20 pages.
    public init(spec: WorkloadSpec, seed: UInt64, run: UInt64, vm: UInt64, set: PageSet? = nil) {
        // Seeded on the first draw: with constant rates there is none, and
        // seeding an MT19937 (624 words) was most of a mean-field migration's
        // fixed cost. The draws are the same whenever there are any.
        var stream: RandomStream?
        func draw(_ d: Distribution) -> Double {
            if let v = d.constantValue { return v }  // what sample returns, without a stream
            if stream == nil { stream = RandomStream(StreamKey(seed: seed, run: run, entity: vm, purpose: "dirty-rate"), kind: .taus2) }
            return d.sample(stream!)
        }
        baseRate = max(0, draw(spec.rate))
        if let trace = spec.trace {
            // Shared with every VM replaying the same trace (copy on write, never written).
            phaseRates = trace.measure == .writes ? trace.rates
                : trace.writeRates(for: set ?? PageSet(pages: 1 << 20, hotFraction: 1, hotShare: 1, counting: spec.counting))
            phaseEnds = trace.ends
            cycle = trace.period
        } else {
            var rates: [Double] = [], ends: [Double] = []
            var acc = 0.0
            for p in spec.phases {
                rates.append(max(0, draw(p.rate)))
                acc += p.duration
                ends.append(acc)
            }
            phaseRates = rates
            phaseEnds = ends
            cycle = acc
        }
        switch spec.cycleOffset {
        case .fixed(let o): offset = cycle > 0 ? o.truncatingRemainder(dividingBy: cycle) : 0
        case .random:
            // Its own stream, so the offset never moves the rate or on/off draws.
            offset = cycle > 0 ? RandomStream(StreamKey(seed: seed, run: run, entity: vm, purpose: "cycle-offset"), kind: .taus2).uniform() * cycle : 0
        }
        onOff = spec.onOff
        if let o = spec.onOff {
            let s = RandomStream(StreamKey(seed: seed, run: run, entity: vm, purpose: "on-off"), kind: .taus2)
            onOffStream = s
            // Start in the stationary distribution.
            isOn = s.uniform() < o.meanOn / (o.meanOn + o.meanOff)
            switchEnd = Self.sojourn(o, isOn, s)
        } else {
            onOffStream = nil
        }
    }

    static func sojourn(_ o: OnOffSpec, _ on: Bool, _ s: RandomStream) -> Double {
        // Exponential sojourn by inversion on (0,1): -mean * ln(u).
        -(on ? o.meanOn : o.meanOff) * log(s.uniformPositive())
    }

    /// The rate (writes/s) of the phase schedule at time `t`, ignoring on/off.
    func phaseRate(at time: Double) -> (rate: Double, until: Double) {
        if phaseRates.isEmpty { return (baseRate, .infinity) }
        let t = time + offset
        let k = (t / cycle).rounded(.down)
        let local = t - k * cycle
        // The first phase whose end is above `local` (the last one if none is):
        // a binary search, so long traces cost O(log n) per boundary.
        var lo = 0, hi = phaseEnds.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if local >= phaseEnds[mid] { lo = mid + 1 } else { hi = mid }
        }
        return (phaseRates[lo], k * cycle + phaseEnds[lo] - offset)
    }

    /// The phase schedule's rate (writes/s) at time `t`, before throttling
    /// and ignoring the on/off switch: an estimate for the round ahead.
    public func rate(at t: Double) -> Double { phaseRate(at: t).rate }

    /// A copy that answers ``writes(from:to:)`` ahead of time without moving
    /// this process: its on/off switch draws from a copy of the stream
    /// (``RandomStream/copy()``), so it sees the same sojourns this process
    /// will see when it gets there. Page-exact skipping (``SkipWalk``) uses
    /// it to place a round's writes before the round has ended.
    func lookahead() -> DirtyRateProcess {
        var copy = self
        copy.onOffStream = onOffStream?.copy()
        return copy
    }

    /// Expected number of page writes in [t0, t1) (seconds), before throttling.
    public mutating func writes(from t0: Double, to t1: Double) -> Double {
        guard t1 > t0 else { return 0 }
        if phaseRates.isEmpty && onOff == nil { return baseRate * (t1 - t0) }
        var t = t0, total = 0.0
        while t < t1 {
            var (r, end) = phaseRate(at: t)
            if let o = onOff, let s = onOffStream {
                while t >= switchEnd {
                    isOn.toggle()
                    switchStart = switchEnd
                    switchEnd = switchStart + Self.sojourn(o, isOn, s)
                }
                if !isOn { r *= o.offFactor }
                end = min(end, switchEnd)
            }
            let e = min(end, t1)
            // A boundary that rounds to `t` or before (the offset is added
            // then taken off again) steps past it without adding writes.
            if e > t {
                total += r * (e - t)
                t = e
            } else {
                t = t.nextUp
            }
        }
        return total
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
