import MigsimKernel
import MigsimRandom

/// The classic hold-model benchmark of the event kernel.
///
/// The hold model keeps the queue at a constant size: it prefills `pending`
/// events at random times, then repeatedly runs the next event (`step()`) and
/// schedules one new event a random increment after the current time. The
/// increments are exponential-ish with a mean of 1 ms and come from an inline
/// SplitMix64 generator, so random-number cost is a few instructions and the
/// figure measures the scheduler and its queue. Only the hold loop is timed,
/// with the monotonic `ContinuousClock`.
struct HoldBenchmark {
    /// The queue names ``run(pending:events:queue:)`` accepts.
    static let queues = ["quaternary", "binary"]

    /// Runs the hold model and returns the events processed per second.
    ///
    /// - Parameters:
    ///   - pending: events kept in the queue (at least 1).
    ///   - events: hold operations (step plus schedule) to time.
    ///   - queue: `"quaternary"` (`QuaternaryHeapQueue`, the default queue) or
    ///     `"binary"` (`BinaryHeapQueue`); any other name is a programming
    ///     error, so check against ``queues`` first.
    static func run(pending: Int, events: Int, queue: String) -> Double {
        precondition(pending >= 1 && events >= 1, "hold model needs pending >= 1 and events >= 1")
        switch queue {
        case "quaternary":
            return hold(Scheduler<Int, QuaternaryHeapQueue<Int>>(), pending: pending, events: events)
        case "binary":
            return hold(Scheduler<Int, BinaryHeapQueue<Int>>(), pending: pending, events: events)
        default:
            preconditionFailure("unknown queue '\(queue)'; expected one of \(queues)")
        }
    }

    private static func hold<Q: EventQueue<Int>>(_ scheduler: Scheduler<Int, Q>, pending: Int, events: Int) -> Double {
        var rng = SplitMix64(seed: 0x5EED)
        scheduler.reserveCapacity(pending + 1)
        for i in 0..<pending {
            schedule(scheduler, after: increment(rng.next()), i)
        }

        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<events {
            guard let payload = scheduler.step() else { preconditionFailure("hold model ran dry") }
            schedule(scheduler, after: increment(rng.next()), payload &+ 1)
        }
        let elapsed = start.duration(to: clock.now)

        // Observing the scheduler's state keeps the optimiser from dropping the loop.
        precondition(scheduler.pendingCount == pending && scheduler.eventsProcessed == UInt64(events))
        return Double(events) / elapsed.seconds
    }

    @inline(__always)
    private static func schedule<Q: EventQueue<Int>>(_ scheduler: Scheduler<Int, Q>, after delay: SimDuration, _ payload: Int) {
        do {
            try scheduler.schedule(after: delay, payload)
        } catch {
            preconditionFailure("hold model: \(error)")
        }
    }

    /// An exponential-ish increment with a mean of about 1 ms, from 64 random bits.
    ///
    /// `-ln(u)` for `u = r / 2^64` is approximated without a logarithm call:
    /// `u = 2^-(z+1) * (1 + f)` where `z` counts leading zeros, and
    /// `log2(1 + f)` is replaced by `f`.
    @inline(__always)
    private static func increment(_ r: UInt64) -> SimDuration {
        let z = r.leadingZeroBitCount
        let f = Double((r << (z + 1)) >> 11) * 0x1p-53
        let minusLog2 = Double(z + 1) - f
        return SimDuration(nanoseconds: Int64(minusLog2 * 0.693_147_180_559_945_3 * 1e6))
    }
}
