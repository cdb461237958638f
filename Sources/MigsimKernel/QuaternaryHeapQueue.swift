/// An implicit 4-ary min-heap of events; the scheduler's default queue.
///
/// A 4-ary heap is half as deep as a binary one and its four children share a
/// cache line or two, which makes `removeMin` cheaper for large queues at the
/// price of three comparisons per level.
public struct QuaternaryHeapQueue<Payload>: EventQueue {
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
                let parent = (i - 1) >> 2
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
                let first = 4 * i + 1
                if first >= n { break }
                var best = first
                if first + 3 < n {
                    // Four children: a two-round tournament of selects, free of
                    // hard-to-predict branches.
                    let a = h[first + 1].key < h[first].key ? first + 1 : first
                    let b = h[first + 3].key < h[first + 2].key ? first + 3 : first + 2
                    best = h[b].key < h[a].key ? b : a
                } else {
                    for c in first + 1 ..< n where h[c].key < h[best].key { best = c }
                }
                if !(h[best].key < last.key) { break }
                h[i] = h[best]
                i = best
            }
            h[i] = last
        }
        return top
    }
}
