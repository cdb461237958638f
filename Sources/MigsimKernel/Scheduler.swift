/// Why an event could not be scheduled.
public enum SchedulingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The requested time lies before the current simulated time.
    case inThePast(now: SimTime, requested: SimTime)
    /// `now + delay` does not fit in the `Int64` nanosecond range.
    case timeOverflow(now: SimTime, delay: SimDuration)

    public var description: String {
        switch self {
        case let .inThePast(now, requested):
            return "cannot schedule an event at \(requested) before the current time \(now)"
        case let .timeOverflow(now, delay):
            return "scheduling \(delay) after \(now) overflows the simulated clock"
        }
    }
}

/// A handle to a scheduled event, used to cancel it.
///
/// A handle names a scheduler slot and the generation of that slot when the
/// event was scheduled, so a stale handle (its event already ran or was
/// cancelled) can never cancel a later event that reuses the slot.
public struct EventID: Hashable, Sendable {
    @usableFromInline let slot: UInt32
    @usableFromInline let generation: UInt32
    @inlinable init(slot: UInt32, generation: UInt32) {
        self.slot = slot
        self.generation = generation
    }
}

/// The discrete-event scheduler: a clock and a queue of pending events.
///
/// The scheduler knows nothing about what events mean: `Payload` is a value
/// type chosen by the model (usually an enum), and the model's own loop
/// dispatches on it. Keeping payloads as values (not closures) keeps the hot
/// path free of allocation and dynamic dispatch.
///
/// **Ordering rule.** Events run in increasing (time, priority, sequence)
/// order; see ``EventKey``. Simultaneous events of equal priority run in the
/// order they were scheduled (FIFO). Lower priority values run first; the
/// default is ``normalPriority``.
///
/// There is no global state: any number of schedulers can live in one process.
public final class Scheduler<Payload, Queue: EventQueue> where Queue.Payload == Payload {
    /// Priority used when none is given. Lower values run first at equal times.
    public static var normalPriority: UInt8 { 128 }

    /// The current simulated time: the time of the event being (or last) run.
    public var now: SimTime { _now }
    // The stored state skips Swift's run-time exclusivity checks, which cost more
    // than the heap operations themselves. This is sound because no method hands
    // out access to it or calls back into model code while it is being mutated.
    @usableFromInline @exclusivity(unchecked) var _now: SimTime
    @usableFromInline @exclusivity(unchecked) var queue: Queue
    @usableFromInline @exclusivity(unchecked) var nextSequence: UInt64 = 0
    /// Per slot: generation in the low 32 bits, state (0 free, 1 pending, 2 cancelled) above.
    @usableFromInline @exclusivity(unchecked) var slots: [UInt64] = []
    @usableFromInline @exclusivity(unchecked) var freeSlots: [UInt32] = []
    @usableFromInline @exclusivity(unchecked) var cancelledCount = 0
    @usableFromInline @exclusivity(unchecked) var stopRequested = false
    /// Number of events delivered so far.
    public var eventsProcessed: UInt64 { _eventsProcessed }
    @usableFromInline @exclusivity(unchecked) var _eventsProcessed: UInt64 = 0

    @inlinable public init(start: SimTime = .zero, queue: Queue = Queue()) {
        self._now = start
        self.queue = queue
    }

    /// Number of events that are scheduled and not cancelled.
    @inlinable public var pendingCount: Int { queue.count - cancelledCount }

    /// Time of the next event that will run, or `nil` when none is pending.
    public var nextEventTime: SimTime? {
        skipCancelled()
        return queue.min.map { SimTime(nanoseconds: $0.key.time) }
    }

    /// Pre-sizes the queue and slot table for `n` simultaneously pending events.
    public func reserveCapacity(_ n: Int) {
        queue.reserveCapacity(n)
        slots.reserveCapacity(n)
        freeSlots.reserveCapacity(n)
    }

    /// Schedules `payload` to run at the absolute time `time`.
    ///
    /// - Throws: ``SchedulingError/inThePast(now:requested:)`` when `time < now`.
    @inlinable @discardableResult
    public func schedule(at time: SimTime, priority: UInt8 = 128, _ payload: Payload) throws(SchedulingError) -> EventID {
        guard time >= now else { throw .inThePast(now: now, requested: time) }
        let slot: UInt32
        if let s = freeSlots.popLast() {
            slot = s
        } else {
            slot = UInt32(slots.count)
            slots.append(0)
        }
        let generation = UInt32(truncatingIfNeeded: slots[Int(slot)])
        slots[Int(slot)] = Self.pending | UInt64(generation)
        let seq = nextSequence
        nextSequence &+= 1
        precondition(seq < 1 << 56, "event sequence space exhausted")
        queue.insert(QueueEntry(key: EventKey(time: time.nanoseconds, priority: priority, sequence: seq),
                                slot: slot, payload: payload))
        return EventID(slot: slot, generation: generation)
    }

    /// Schedules `payload` to run `delay` after the current time.
    ///
    /// - Throws: ``SchedulingError/inThePast(now:requested:)`` for a negative delay,
    ///   ``SchedulingError/timeOverflow(now:delay:)`` when the sum overflows.
    @inlinable @discardableResult
    public func schedule(after delay: SimDuration, priority: UInt8 = 128, _ payload: Payload) throws(SchedulingError) -> EventID {
        let (sum, overflow) = now.nanoseconds.addingReportingOverflow(delay.nanoseconds)
        guard !overflow else { throw .timeOverflow(now: now, delay: delay) }
        return try schedule(at: SimTime(nanoseconds: sum), priority: priority, payload)
    }

    /// Cancels a pending event.
    ///
    /// - Returns: `true` if the event was pending and is now cancelled; `false`
    ///   if it already ran or was already cancelled.
    @inlinable @discardableResult
    public func cancel(_ id: EventID) -> Bool {
        guard isPending(id) else { return false }
        slots[Int(id.slot)] = Self.cancelled | UInt64(id.generation)
        cancelledCount += 1
        return true
    }

    /// Whether the event is still scheduled to run.
    @inlinable public func isPending(_ id: EventID) -> Bool {
        let s = Int(id.slot)
        return s < slots.count && slots[s] == Self.pending | UInt64(id.generation)
    }

    /// Slot states, in the high half of a slot word.
    @usableFromInline static var pending: UInt64 { 1 << 32 }
    @usableFromInline static var cancelled: UInt64 { 2 << 32 }

    @inlinable func isCancelled(slot: UInt32) -> Bool { slots[Int(slot)] >> 32 == 2 }

    /// Frees a slot: state 0 and the next generation, so old handles go stale.
    @inlinable func releaseSlot(_ slot: UInt32) {
        let s = Int(slot)
        slots[s] = UInt64(UInt32(truncatingIfNeeded: slots[s]) &+ 1)
        freeSlots.append(slot)
    }

    @usableFromInline func skipCancelled() {
        while let top = queue.min, isCancelled(slot: top.slot) {
            _ = queue.removeMin()
            cancelledCount -= 1
            releaseSlot(top.slot)
        }
    }

    /// Runs the next pending event whose time is at most `horizon`.
    ///
    /// Advances `now` to the event's time and returns its payload; returns
    /// `nil` (leaving `now` unchanged) when no such event is pending.
    @inlinable
    public func step(horizon: SimTime = .distantFuture) -> Payload? {
        while let top = queue.min {
            if top.key.time > horizon.nanoseconds { return nil }
            _ = queue.removeMin()
            let cancelled = isCancelled(slot: top.slot)
            releaseSlot(top.slot)
            if cancelled {
                cancelledCount -= 1
                continue
            }
            #if DEBUG
            precondition(top.key.time >= now.nanoseconds, "simulated time went backwards")
            #endif
            _now = SimTime(nanoseconds: top.key.time)
            _eventsProcessed &+= 1
            return top.payload
        }
        return nil
    }

    /// Asks a running ``run(until:_:)`` to return after the current event.
    public func stop() { stopRequested = true }

    /// Runs events in order until none is pending at or before `horizon`, or
    /// until ``stop()`` is called from the handler.
    ///
    /// When it returns because no event remains before the horizon, `now` is
    /// set to `horizon` (unless that is ``SimTime/distantFuture``), like
    /// SimPy's `run(until=)`.
    ///
    /// - Returns: `true` if it stopped because of ``stop()``.
    @inlinable @discardableResult
    public func run(until horizon: SimTime = .distantFuture, _ handle: (Payload) throws -> Void) rethrows -> Bool {
        stopRequested = false
        while let payload = step(horizon: horizon) {
            try handle(payload)
            if stopRequested { return true }
        }
        if horizon != .distantFuture && horizon > _now { _now = horizon }
        return false
    }
}

/// The scheduler with the default queue, a 4-ary heap.
public typealias DefaultScheduler<Payload> = Scheduler<Payload, QuaternaryHeapQueue<Payload>>
