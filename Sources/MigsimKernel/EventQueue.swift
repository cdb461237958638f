/// The position of a pending event in the total order the scheduler runs them in.
///
/// Events are ordered by **(time, priority, sequence)**:
/// 1. earlier `time` first;
/// 2. at equal time, lower `priority` value first;
/// 3. at equal time and priority, lower `sequence` first. The scheduler hands
///    out sequence numbers in increasing order of the `schedule` calls, so
///    simultaneous events of equal priority run first in, first out.
///
/// Priority and sequence are packed into one `UInt64` (`priority << 56 | sequence`)
/// so the comparison is two integer compares.
public struct EventKey: Comparable, Sendable {
    /// Simulated time in nanoseconds.
    public var time: Int64
    /// `priority << 56 | sequence`.
    public var order: UInt64

    @inlinable public init(time: Int64, priority: UInt8, sequence: UInt64) {
        self.time = time
        self.order = UInt64(priority) << 56 | sequence
    }

    @inlinable public var priority: UInt8 { UInt8(truncatingIfNeeded: order >> 56) }
    @inlinable public var sequence: UInt64 { order & 0x00FF_FFFF_FFFF_FFFF }

    @inlinable public static func < (a: EventKey, b: EventKey) -> Bool {
        // A select of two compares rather than `||`/`&&`, so it compiles without branches.
        a.time == b.time ? a.order < b.order : a.time < b.time
    }
}

/// One entry of an event queue: the ordering key, a slot id and the payload.
public struct QueueEntry<Payload> {
    public var key: EventKey
    /// Index of the scheduler's bookkeeping slot for this event (used for cancel).
    public var slot: UInt32
    public var payload: Payload

    @inlinable public init(key: EventKey, slot: UInt32, payload: Payload) {
        self.key = key
        self.slot = slot
        self.payload = payload
    }
}

/// A priority queue of events, smallest `EventKey` first.
///
/// Several implementations exist so that they can be compared and cross-checked;
/// the kernel's tests run one suite against every conforming type. All keys are
/// distinct (the sequence number is unique), so every implementation yields the
/// same order.
public protocol EventQueue<Payload> {
    associatedtype Payload
    init()
    /// Number of entries, cancelled ones included.
    var count: Int { get }
    /// Smallest entry without removing it.
    var min: QueueEntry<Payload>? { get }
    mutating func insert(_ entry: QueueEntry<Payload>)
    /// Removes and returns the smallest entry.
    mutating func removeMin() -> QueueEntry<Payload>?
    mutating func reserveCapacity(_ n: Int)
}
