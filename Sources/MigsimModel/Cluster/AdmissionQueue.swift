/// Requests waiting for concurrency slots, served first come, first served,
/// kept per source host so that a host with no free slot costs nothing.
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
        /// Arrival number: the FIFO order across all hosts.
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
        busyPosition = Array(repeating: -1, count: hosts + 1)
    }

    /// The list of requests that occupy no source slot (restarts after a failure).
    private var unsourced: Int { lists.count - 1 }

    /// Queues request `r` from `source` (`nil`: it occupies no source slot).
    mutating func append(_ r: Int, source: Int?) {
        let l = source ?? unsourced
        lists[l].append(Entry(arrival: nextArrival, request: Int32(r)))
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
        // Cursors, one per list with a free source, in a min-heap by the cursor's arrival.
        var heap: [(arrival: UInt64, list: Int, index: Int)] = []
        for l in busyLists where l == unsourced || !sourceFull(l) {
            if let i = nextLive(l, from: heads[l]) { heapPush(&heap, (lists[l][i].arrival, l, i)) }
        }
        while !heap.isEmpty && !stop() {
            let top = heapPop(&heap)
            let l = top.list
            if l != unsourced && sourceFull(l) { continue }  // filled by a start earlier in this scan
            let r = Int(lists[l][top.index].request)
            if case .resolved = visit(r) { remove(l, at: top.index) }
            if let i = nextLive(l, from: top.index + 1) { heapPush(&heap, (lists[l][i].arrival, l, i)) }
        }
        compact()
    }

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

    private func heapPush(_ h: inout [(arrival: UInt64, list: Int, index: Int)], _ x: (arrival: UInt64, list: Int, index: Int)) {
        h.append(x)
        var i = h.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            guard h[i].arrival < h[p].arrival else { break }
            h.swapAt(i, p)
            i = p
        }
    }

    private func heapPop(_ h: inout [(arrival: UInt64, list: Int, index: Int)]) -> (arrival: UInt64, list: Int, index: Int) {
        let top = h[0]
        let last = h.removeLast()
        if !h.isEmpty {
            h[0] = last
            var i = 0
            while true {
                let a = 2 * i + 1, b = a + 1
                var m = i
                if a < h.count && h[a].arrival < h[m].arrival { m = a }
                if b < h.count && h[b].arrival < h[m].arrival { m = b }
                guard m != i else { break }
                h.swapAt(i, m)
                i = m
            }
        }
        return top
    }
}
