/// A sorted-array event queue: O(n) insert, O(1) removal.
///
/// Too slow for real runs beyond a few thousand pending events; kept as the
/// obviously-correct reference the heaps are cross-checked against.
public struct SortedArrayQueue<Payload>: EventQueue {
    /// Sorted in *descending* key order, so the minimum is `popLast()`.
    @usableFromInline var items: [QueueEntry<Payload>] = []

    @inlinable public init() {}

    @inlinable public var count: Int { items.count }
    @inlinable public var min: QueueEntry<Payload>? { items.last }
    @inlinable public mutating func reserveCapacity(_ n: Int) { items.reserveCapacity(n) }

    @inlinable public mutating func insert(_ entry: QueueEntry<Payload>) {
        // Binary search for the first index whose key is smaller than entry's.
        var lo = 0, hi = items.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if entry.key < items[mid].key { lo = mid + 1 } else { hi = mid }
        }
        items.insert(entry, at: lo)
    }

    @inlinable public mutating func removeMin() -> QueueEntry<Payload>? { items.popLast() }
}
