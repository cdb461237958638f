@testable import MigsimKernel
import MigsimRandom
import XCTest

/// The scheduler and queue tests, run once per ``EventQueue`` implementation.
///
/// ns-3 runs one event test against every scheduler; this does the same. Every
/// assertion message starts with the queue's type name, so a failure says
/// which implementation broke.
final class SchedulerSuiteTests: XCTestCase {
    func testBinaryHeapQueue() throws { try SchedulerSuite<BinaryHeapQueue<Int>>().run() }
    func testQuaternaryHeapQueue() throws { try SchedulerSuite<QuaternaryHeapQueue<Int>>().run() }
    func testSortedArrayQueue() throws { try SchedulerSuite<SortedArrayQueue<Int>>().run() }
}

/// The suite itself, generic over the queue. Payloads are `Int` labels.
struct SchedulerSuite<Q: EventQueue<Int>> {
    typealias S = Scheduler<Int, Q>
    let q = "\(Q.self)"

    func run() throws {
        queueAloneYieldsSortedKeys()
        try simultaneousEventsRunFIFO()
        try priorityOrdersEqualTimes()
        try timeOrdering()
        try eventsScheduledFromHandlersAtNowRunAfterPendingOnes()
        try cancelDeliversNothingAndAnswersOnce()
        try staleIDCannotCancelEventReusingItsSlot()
        try schedulingInThePastThrows()
        try scheduleAfterOverflowThrows()
        try runUntilStopsAtHorizon()
        try stopEndsRunAfterCurrentEvent()
        try pendingCountTracksCancellations()
    }

    /// Runs every pending event and returns the payloads in delivery order.
    func drain(_ s: S) -> [Int] {
        var out: [Int] = []
        s.run { out.append($0) }
        return out
    }

    /// The bare queue: inserting shuffled distinct keys and removing the minimum
    /// repeatedly yields them sorted.
    func queueAloneYieldsSortedKeys() {
        var rng = SplitMix64(seed: 11)
        var keys: [EventKey] = []
        for seq in 0..<500 as Range<UInt64> {
            keys.append(EventKey(time: Int64.random(in: -50...50, using: &rng),
                                 priority: [0, 128, 255].randomElement(using: &rng)!, sequence: seq))
        }
        var queue = Q()
        XCTAssertNil(queue.min, q)
        XCTAssertNil(queue.removeMin(), q)
        for (i, k) in keys.shuffled(using: &rng).enumerated() {
            queue.insert(QueueEntry(key: k, slot: UInt32(i), payload: i))
        }
        XCTAssertEqual(queue.count, keys.count, q)
        var removed: [EventKey] = []
        while let m = queue.min {
            XCTAssertEqual(queue.removeMin()?.key, m.key, "\(q): removeMin disagrees with min")
            removed.append(m.key)
        }
        XCTAssertEqual(removed, keys.sorted(), q)
        XCTAssertEqual(queue.count, 0, q)
    }

    /// Events with the same time and priority run in the order they were scheduled.
    func simultaneousEventsRunFIFO() throws {
        let s = S()
        // Interleave two instants so FIFO order is not just insertion order of the whole queue.
        for i in 0..<200 {
            try s.schedule(at: t(i.isMultiple(of: 2) ? 50 : 30), i)
        }
        let odd = Array(stride(from: 1, to: 200, by: 2)), even = Array(stride(from: 0, to: 200, by: 2))
        XCTAssertEqual(drain(s), odd + even, "\(q): simultaneous events not FIFO")
    }

    /// At equal times lower priority values run first; FIFO breaks priority ties;
    /// priority never overrides time.
    func priorityOrdersEqualTimes() throws {
        let s = S()
        let priorities: [UInt8] = [200, 0, 128, 5, 128, 0, 255, 5]
        for (i, p) in priorities.enumerated() { try s.schedule(at: t(10), priority: p, i) }
        try s.schedule(at: t(9), priority: 255, 100)
        try s.schedule(at: t(11), priority: 0, 101)
        XCTAssertEqual(drain(s), [100, 1, 5, 3, 7, 2, 4, 0, 6, 101], "\(q): priority order")
        XCTAssertEqual(S.normalPriority, 128)
    }

    /// Events run in time order and `now` is each event's time while it runs.
    func timeOrdering() throws {
        let s = S()
        var rng = SplitMix64(seed: 7)
        let times = (0..<1_000).map { _ in Int64.random(in: 0...1_000_000, using: &rng) }
        for (i, time) in times.enumerated() { try s.schedule(at: t(time), i) }
        var seen: [Int64] = []
        s.run { i in
            XCTAssertEqual(s.now, t(times[i]), "\(q): now is not the event's time")
            seen.append(times[i])
        }
        XCTAssertEqual(seen, times.sorted(), "\(q): not in time order")
        XCTAssertEqual(s.eventsProcessed, 1_000, q)
        XCTAssertEqual(s.now, t(times.max()!), "\(q): run() without a horizon leaves now at the last event")
    }

    /// An event scheduled for `now` from inside a handler runs after the events
    /// already pending at `now` (sequence numbers only grow).
    func eventsScheduledFromHandlersAtNowRunAfterPendingOnes() throws {
        let s = S()
        for i in 0..<3 { try s.schedule(at: t(5), i) }
        var out: [Int] = []
        try s.run { i in
            out.append(i)
            if i == 0 { try s.schedule(after: .zero, 10) }
            if i == 10 { try s.schedule(at: s.now, priority: 0, 11) }
        }
        XCTAssertEqual(out, [0, 1, 2, 10, 11], q)
    }

    /// A cancelled event is never delivered; cancel answers true once, then
    /// false; cancelling an event that already ran answers false.
    func cancelDeliversNothingAndAnswersOnce() throws {
        let s = S()
        let a = try s.schedule(at: t(1), 1)
        let b = try s.schedule(at: t(2), 2)
        let c = try s.schedule(at: t(3), 3)
        XCTAssertTrue(s.isPending(b), q)
        XCTAssertTrue(s.cancel(b), "\(q): first cancel")
        XCTAssertFalse(s.cancel(b), "\(q): second cancel")
        XCTAssertFalse(s.isPending(b), q)
        XCTAssertEqual(s.step(), 1, q)
        XCTAssertFalse(s.isPending(a), "\(q): an event that ran is not pending")
        XCTAssertFalse(s.cancel(a), "\(q): cancelling an event that already ran")
        XCTAssertEqual(s.step(), 3, "\(q): cancelled event delivered")
        XCTAssertEqual(s.now, t(3), q)
        XCTAssertNil(s.step(), q)
        XCTAssertFalse(s.cancel(c), q)
        XCTAssertFalse(s.cancel(b), q)
        XCTAssertEqual(s.eventsProcessed, 2, q)
    }

    /// A handle whose event ran or was cancelled cannot cancel a later event
    /// that reuses the same slot.
    func staleIDCannotCancelEventReusingItsSlot() throws {
        let s = S()
        // Ran, then the slot is reused.
        let ran = try s.schedule(at: t(1), 1)
        XCTAssertEqual(s.step(), 1, q)
        let reuser = try s.schedule(at: t(2), 2)
        XCTAssertEqual(reuser.slot, ran.slot, "\(q): test premise: the slot is reused")
        XCTAssertNotEqual(reuser, ran, q)
        XCTAssertFalse(s.cancel(ran), "\(q): stale handle cancelled a new event")
        XCTAssertTrue(s.isPending(reuser), q)
        XCTAssertFalse(s.isPending(ran), q)

        // Cancelled, its slot freed when the scheduler skips it, then reused.
        let cancelled = try s.schedule(at: t(3), 3)
        XCTAssertTrue(s.cancel(cancelled), q)
        XCTAssertEqual(s.step(), 2, q)
        XCTAssertNil(s.step(), q)  // pops and frees the cancelled entry
        let reuser2 = try s.schedule(at: t(4), 4)
        XCTAssertEqual(reuser2.slot, cancelled.slot, "\(q): test premise: the slot is reused")
        XCTAssertFalse(s.cancel(cancelled), "\(q): stale cancelled handle cancelled a new event")
        XCTAssertEqual(s.step(), 4, q)
    }

    /// Scheduling before `now` throws `.inThePast` with both times and changes nothing.
    func schedulingInThePastThrows() throws {
        let s = S(start: t(100))
        XCTAssertThrowsScheduling(.inThePast(now: t(100), requested: t(99)), { try s.schedule(at: t(99), 1) }, q)
        XCTAssertThrowsScheduling(.inThePast(now: t(100), requested: t(97)), { try s.schedule(after: d(-3), 2) }, q)
        XCTAssertThrowsScheduling(.inThePast(now: t(100), requested: t(Int64.min)),
                                  { try s.schedule(at: t(.min), 3) }, q)
        XCTAssertEqual(s.pendingCount, 0, "\(q): a failed schedule left an event behind")

        // Exactly now is allowed; after time advances, the old now is in the past.
        try s.schedule(at: t(100), 4)
        try s.schedule(at: t(250), 5)
        XCTAssertEqual(s.step(), 4, q)
        XCTAssertEqual(s.step(), 5, q)
        XCTAssertThrowsScheduling(.inThePast(now: t(250), requested: t(100)), { try s.schedule(at: t(100), 6) }, q)
        let error = SchedulingError.inThePast(now: t(250), requested: t(100))
        XCTAssertTrue(error.description.contains("before the current time"), q)
    }

    /// `schedule(after:)` throws `.timeOverflow` when `now + delay` exceeds `Int64`.
    func scheduleAfterOverflowThrows() throws {
        let s = S()
        // From time 0 the largest delay is exactly representable.
        try s.schedule(after: d(.max), 1)
        try s.schedule(at: t(10), 2)
        XCTAssertEqual(s.step(), 2, q)
        XCTAssertThrowsScheduling(.timeOverflow(now: t(10), delay: d(.max)), { try s.schedule(after: d(.max), 3) }, q)
        XCTAssertThrowsScheduling(.timeOverflow(now: t(10), delay: d(.max - 9)),
                                  { try s.schedule(after: d(.max - 9), 4) }, q)
        try s.schedule(after: d(.max - 10), 5)  // lands exactly on Int64.max
        XCTAssertEqual(s.pendingCount, 2, q)
        XCTAssertTrue(SchedulingError.timeOverflow(now: t(10), delay: d(.max)).description.contains("overflows"), q)
    }

    /// `run(until:)` delivers events at or before the horizon, then sets
    /// `now` to the horizon; later events stay pending.
    func runUntilStopsAtHorizon() throws {
        let s = S()
        for time: Int64 in [1, 2, 3, 4, 5, 8] { try s.schedule(at: t(time * 1_000), Int(time)) }
        var out: [Int] = []
        XCTAssertFalse(s.run(until: t(4_000)) { out.append($0) }, q)
        XCTAssertEqual(out, [1, 2, 3, 4], "\(q): an event exactly at the horizon runs")
        XCTAssertEqual(s.now, t(4_000), q)

        XCTAssertFalse(s.run(until: t(4_500)) { out.append($0) }, q)
        XCTAssertEqual(out, [1, 2, 3, 4], q)
        XCTAssertEqual(s.now, t(4_500), "\(q): now is the horizon even with no event before it")
        XCTAssertEqual(s.pendingCount, 2, q)
        XCTAssertEqual(s.nextEventTime, t(5_000), q)

        // step(horizon:) before the next event: nil and now unchanged.
        XCTAssertNil(s.step(horizon: t(4_999)), q)
        XCTAssertEqual(s.now, t(4_500), q)

        // A horizon in the past never moves time backwards.
        XCTAssertFalse(s.run(until: t(1_000)) { out.append($0) }, q)
        XCTAssertEqual(s.now, t(4_500), q)

        // Without a horizon, time stays at the last event, not at distantFuture.
        XCTAssertFalse(s.run { out.append($0) }, q)
        XCTAssertEqual(out, [1, 2, 3, 4, 5, 8], q)
        XCTAssertEqual(s.now, t(8_000), q)
        XCTAssertNil(s.nextEventTime, q)
    }

    /// `stop()` from a handler ends `run` after that event; a later `run` resumes.
    func stopEndsRunAfterCurrentEvent() throws {
        let s = S()
        for i in 1...6 { try s.schedule(at: t(Int64(i)), i) }
        s.stop()  // a stop requested outside run() does not affect the next run
        var out: [Int] = []
        let stopped = s.run(until: t(100)) { i in
            out.append(i)
            if i == 3 { s.stop() }
        }
        XCTAssertTrue(stopped, q)
        XCTAssertEqual(out, [1, 2, 3], q)
        XCTAssertEqual(s.now, t(3), "\(q): a stopped run does not jump to the horizon")
        XCTAssertEqual(s.pendingCount, 3, q)
        XCTAssertFalse(s.run(until: t(100)) { out.append($0) }, q)
        XCTAssertEqual(out, [1, 2, 3, 4, 5, 6], q)
        XCTAssertEqual(s.now, t(100), q)
    }

    /// `pendingCount` excludes cancelled events; `nextEventTime` skips them.
    func pendingCountTracksCancellations() throws {
        let s = S()
        XCTAssertEqual(s.pendingCount, 0, q)
        XCTAssertNil(s.nextEventTime, q)
        let ids = try (0..<10).map { i in try s.schedule(at: t(Int64(10 * i)), i) }
        XCTAssertEqual(s.pendingCount, 10, q)
        for i in [0, 1, 5] { XCTAssertTrue(s.cancel(ids[i]), q) }
        XCTAssertFalse(s.cancel(ids[5]), q)
        XCTAssertEqual(s.pendingCount, 7, "\(q): cancelled events still counted")
        XCTAssertEqual(s.nextEventTime, t(20), "\(q): nextEventTime returned a cancelled event")
        XCTAssertEqual(s.pendingCount, 7, q)
        XCTAssertEqual(s.step(), 2, q)
        XCTAssertEqual(s.pendingCount, 6, q)
        XCTAssertTrue(s.cancel(ids[9]), q)
        XCTAssertEqual(s.pendingCount, 5, q)
        XCTAssertEqual(drain(s), [3, 4, 6, 7, 8], q)
        XCTAssertEqual(s.pendingCount, 0, q)
        XCTAssertEqual(s.eventsProcessed, 6, q)
        XCTAssertEqual(s.now, t(80), "\(q): a cancelled last event does not advance time")
    }
}
