/// Requests waiting for concurrency slots, served in order of a key
/// (``SchedulingOrder``; FIFO: all keys equal) and then of arrival, kept per
/// source host so that a host with no free slot costs nothing.
///
/// The engine scans the queue whenever slots may have freed (a request
/// arrived, a migration ended). A full scan of one FIFO list made a drain of
/// n VMs from one host cost O(n) per event and O(n^2) in all (issue 19: 100,000
/// VMs took minutes). Here a scan visits, in arrival order, only requests whose
/// source host has a free slot (and restarts after a failure, which occupy no
/// source slot): a k-way merge of the per-host queues by arrival number.
/// Requests it skips would have been kept waiting by the old scan too, so the
/// order of starts, refusals and waits is the same.
///
/// Cost: O((v + h) log h) per scan for v requests visited and h source hosts
/// with waiting requests and a free slot.
struct AdmissionQueue {
    private struct Entry {
        /// Scheduling key: lower is served first (0 for every request under FIFO).
        var key: Double
        /// Arrival number: the FIFO order across all hosts, and the tie-break.
        var arrival: UInt64
        /// Request index, or -1 once it left the queue (a tombstone).
        var request: Int32
    }

    /// Per source host, then one more list for requests that occupy no source slot.
    private var lists: [[Entry]]
    /// Per list: the first entry that may still be live.
    private var heads: [Int]
    /// Per list: tombstones after its head.
    private var holes: [Int]
    /// Per list: an entry was appended out of key order since the last scan.
    private var unsorted: [Bool]
    /// Lists with live entries, and each list's position in it (-1: none).
    private var busyLists: [Int] = []
    private var busyPosition: [Int]
    private var nextArrival: UInt64 = 0
    /// Requests waiting.
    private(set) var count = 0

    init(hosts: Int) {
        lists = Array(repeating: [], count: hosts + 1)
        heads = Array(repeating: 0, count: hosts + 1)
        holes = Array(repeating: 0, count: hosts + 1)
        unsorted = Array(repeating: false, count: hosts + 1)
        busyPosition = Array(repeating: -1, count: hosts + 1)
    }

    /// The list of requests that occupy no source slot (restarts after a failure).
    private var unsourced: Int { lists.count - 1 }

    /// Queues request `r` from `source` (`nil`: it occupies no source slot)
    /// with scheduling key `key`.
    mutating func append(_ r: Int, source: Int?, key: Double = 0) {
        let l = source ?? unsourced
        if let last = lists[l].last, last.key > key { unsorted[l] = true }
        lists[l].append(Entry(key: key, arrival: nextArrival, request: Int32(r)))
        nextArrival += 1
        count += 1
        if busyPosition[l] < 0 {
            busyPosition[l] = busyLists.count
            busyLists.append(l)
        }
    }

    /// What a visit did with a request.
    enum Outcome {
        /// Started or refused: it leaves the queue.
        case resolved
        /// It waits; later requests are still visited.
        case kept
    }

    /// Visits waiting requests in arrival order and removes those `visit`
    /// resolves. A source host's requests are skipped from the moment
    /// `sourceFull(host)` holds; the scan ends when `stop()` holds.
    mutating func scan(sourceFull: (Int) -> Bool, stop: () -> Bool, visit: (Int) -> Outcome) {
        // Lists that got keys out of order since the last scan: sort their live
        // entries by (key, arrival) once (a drain appends its batch, then scans).
        for l in busyLists where unsorted[l] {
            lists[l] = lists[l][heads[l]...].filter { $0.request >= 0 }.sorted { ($0.key, $0.arrival) < ($1.key, $1.arrival) }
            heads[l] = 0
            holes[l] = 0
            unsorted[l] = false
        }
        // Cursors, one per list with a free source, in a min-heap by the cursor's (key, arrival).
        var heap: [Cursor] = []
        for l in busyLists where l == unsourced || !sourceFull(l) {
            if let i = nextLive(l, from: heads[l]) { heapPush(&heap, cursor(l, i)) }
        }
        while !heap.isEmpty && !stop() {
            let top = heapPop(&heap)
            let l = top.list
            if l != unsourced && sourceFull(l) { continue }  // filled by a start earlier in this scan
            let r = Int(lists[l][top.index].request)
            if case .resolved = visit(r) { remove(l, at: top.index) }
            if let i = nextLive(l, from: top.index + 1) { heapPush(&heap, cursor(l, i)) }
        }
        compact()
    }

    private typealias Cursor = (key: Double, arrival: UInt64, list: Int, index: Int)

    private func cursor(_ l: Int, _ i: Int) -> Cursor { (lists[l][i].key, lists[l][i].arrival, l, i) }

    private static func before(_ a: Cursor, _ b: Cursor) -> Bool { (a.key, a.arrival) < (b.key, b.arrival) }

    /// Every waiting request, in arrival order.
    var waiting: [Int] {
        var all: [(UInt64, Int)] = []
        for l in busyLists {
            for e in lists[l][heads[l]...] where e.request >= 0 { all.append((e.arrival, Int(e.request))) }
        }
        return all.sorted { $0.0 < $1.0 }.map(\.1)
    }

    private func nextLive(_ l: Int, from start: Int) -> Int? {
        var i = start
        while i < lists[l].count {
            if lists[l][i].request >= 0 { return i }
            i += 1
        }
        return nil
    }

    private mutating func remove(_ l: Int, at i: Int) {
        lists[l][i].request = -1
        count -= 1
        if i == heads[l] {
            var h = i + 1
            while h < lists[l].count && lists[l][h].request < 0 { h += 1; holes[l] -= 1 }
            heads[l] = h
        } else {
            holes[l] += 1
        }
        if heads[l] == lists[l].count {
            // Empty: release the storage and leave the busy lists.
            lists[l] = []
            heads[l] = 0
            holes[l] = 0
            let p = busyPosition[l], last = busyLists.removeLast()
            if last != l {
                busyLists[p] = last
                busyPosition[last] = p
            }
            busyPosition[l] = -1
        }
    }

    /// Drops the tombstones of lists that are mostly tombstones (after a
    /// scan: compacting moves entries, which would invalidate its cursors).
    private mutating func compact() {
        for l in busyLists where holes[l] > 64 && holes[l] * 2 > lists[l].count - heads[l] {
            lists[l] = lists[l][heads[l]...].filter { $0.request >= 0 }
            heads[l] = 0
            holes[l] = 0
        }
    }

    private func heapPush(_ h: inout [Cursor], _ x: Cursor) {
        h.append(x)
        var i = h.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            guard Self.before(h[i], h[p]) else { break }
            h.swapAt(i, p)
            i = p
        }
    }

    private func heapPop(_ h: inout [Cursor]) -> Cursor {
        let top = h[0]
        let last = h.removeLast()
        if !h.isEmpty {
            h[0] = last
            var i = 0
            while true {
                let a = 2 * i + 1, b = a + 1
                var m = i
                if a < h.count && Self.before(h[a], h[m]) { m = a }
                if b < h.count && Self.before(h[b], h[m]) { m = b }
                guard m != i else { break }
                h.swapAt(i, m)
                i = m
            }
        }
        return top
    }
}
