/// An implicit binary min-heap of events.
///
/// Classic array heap: children of `i` are `2i+1` and `2i+2`. Sift operations
/// move a hole instead of swapping, so each level costs one copy.
public struct BinaryHeapQueue<Payload>: EventQueue {
    @usableFromInline var items: [QueueEntry<Payload>] = []

    @inlinable public init() {}

    @inlinable public var count: Int { items.count }
    @inlinable public var min: QueueEntry<Payload>? { items.first }
    @inlinable public mutating func reserveCapacity(_ n: Int) { items.reserveCapacity(n) }

    @inlinable public mutating func insert(_ entry: QueueEntry<Payload>) {
        items.append(entry)
        items.withUnsafeMutableBufferPointer { h in
            var i = h.count - 1
            while i > 0 {
                let parent = (i - 1) >> 1
                if !(entry.key < h[parent].key) { break }
                h[i] = h[parent]
                i = parent
            }
            h[i] = entry
        }
    }

    @inlinable public mutating func removeMin() -> QueueEntry<Payload>? {
        guard let last = items.popLast() else { return nil }
        if items.isEmpty { return last }
        let top = items[0]
        items.withUnsafeMutableBufferPointer { h in
            let n = h.count
            var i = 0
            while true {
                var child = 2 * i + 1
                if child >= n { break }
                // Select, not branch: which child is smaller is a coin flip.
                if child + 1 < n { child &+= h[child + 1].key < h[child].key ? 1 : 0 }
                if !(h[child].key < last.key) { break }
                h[i] = h[child]
                i = child
            }
            h[i] = last
        }
        return top
    }
}
