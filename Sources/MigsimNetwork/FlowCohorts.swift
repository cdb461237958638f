import MigsimKernel

/// Groups of flows in lockstep: same class (so the same rate at every
/// instant), same size, same start, same finishing point on their class's
/// virtual clock. They finish together, so a cohort is one entry of its
/// class's completion heap however many flows it holds.
///
/// **Virtual clocks.** Every flow of a class runs at the class's rate, so a
/// class keeps one clock of the bytes each of its flows has received
/// (``FlowNetwork``: `V(t) = base + rate × (t − baseTime)`), and a flow is
/// done when the clock reaches its finishing point `finish` = the clock when it
/// started (or last changed class) plus its bytes. The bytes a flow still has
/// to send are `finish − V(t)`: nothing is updated as time passes, and the
/// flow that finishes first in a class is the one with the smallest `finish`
/// (each class keeps its cohorts in a binary min-heap on `finish`).
///
/// A flow joins a cohort only at the instant the cohort was formed, through a
/// table of the cohorts formed since time last moved (looked up, never
/// iterated; emptied when time moves). Flows that start together with the
/// same size on the same route, such as the rounds of migrations that run in
/// lockstep, therefore share one cohort; otherwise a flow gets its own.
/// Joining or leaving costs O(log k) for a class of k cohorts.
struct FlowCohorts {
    /// The class of each cohort, by cohort id.
    private(set) var flowClass: [Int32] = []
    /// Size in bytes of the members.
    private(set) var size: [Double] = []
    /// The members' finishing point on their class's virtual clock.
    private(set) var finish: [Double] = []
    /// When the members started.
    private(set) var start: [SimTime] = []
    /// Slots of the members, in no particular order.
    private(set) var members: [[Int32]] = []
    /// Ids of the cohorts that have members.
    private(set) var active: [Int32] = []
    /// Position of each cohort in `active`, or -1 when the id is free.
    private var positions: [Int32] = []
    private var freeIDs: [Int32] = []
    /// Each class's cohorts as a binary min-heap on `finish`, by class id:
    /// the first is the cohort of the class that finishes first. (Read as a
    /// stored property: a method call here copied the whole struct, a retain
    /// and release of each of its arrays.)
    private(set) var heaps: [[Int32]] = []
    /// Position of each cohort in its class's heap.
    private var heapPosition: [Int32] = []

    private struct Key: Hashable {
        var flowClass: Int32
        var size: UInt64
        var finish: UInt64
        var start: Int64
    }
    /// Cohorts formed since time last moved.
    private var joinable: [Key: Int32] = [:]
    /// How many of them each class has, by class id, and the classes with any.
    private var joinableOf: [Int32] = []
    private var joinableClasses: [Int32] = []
    /// The cohort last formed or joined, while it can still be joined: flows
    /// in lockstep join one after another, so most joins find their cohort
    /// here without hashing.
    private var lastJoined: (key: Key, cohort: Int32)?

    /// Adds flow `slot` to the cohort of this state, forming it if needed;
    /// returns the cohort and the flow's index among its members.
    mutating func join(slot: Int32, flowClass c: Int32, size s: Double, finish f: Double,
                       start t: SimTime) -> (cohort: Int32, member: Int32) {
        let key = Key(flowClass: c, size: s.bitPattern, finish: f.bitPattern, start: t.nanoseconds)
        if let last = lastJoined, last.key == key {
            members[Int(last.cohort)].append(slot)
            return (last.cohort, Int32(members[Int(last.cohort)].count - 1))
        }
        if let k = joinable[key] {
            lastJoined = (key, k)
            members[Int(k)].append(slot)
            return (k, Int32(members[Int(k)].count - 1))
        }
        let k: Int32
        if let id = freeIDs.popLast() {
            k = id
            flowClass[Int(k)] = c
            size[Int(k)] = s
            finish[Int(k)] = f
            start[Int(k)] = t
            members[Int(k)].append(slot)
        } else {
            precondition(positions.count < Int(Int32.max), "too many flow cohorts")
            k = Int32(positions.count)
            flowClass.append(c)
            size.append(s)
            finish.append(f)
            start.append(t)
            members.append([slot])
            positions.append(-1)
            heapPosition.append(-1)
        }
        positions[Int(k)] = Int32(active.count)
        active.append(k)
        joinable[key] = k
        lastJoined = (key, k)
        while joinableOf.count <= Int(c) { joinableOf.append(0) }
        if joinableOf[Int(c)] == 0 { joinableClasses.append(c) }
        joinableOf[Int(c)] += 1
        while heaps.count <= Int(c) { heaps.append([]) }
        heaps[Int(c)].append(k)
        heapPosition[Int(k)] = Int32(heaps[Int(c)].count - 1)
        siftUp(Int(c), heaps[Int(c)].count - 1)
        return (k, 0)
    }


    /// Removes the member at `member` of cohort `k` by moving the last member
    /// into its place; returns the slot moved (whose member index is now
    /// `member`), or nil. Frees the cohort when it becomes empty.
    mutating func leave(_ k: Int32, member: Int32) -> Int32? {
        let ki = Int(k)
        let last = members[ki].removeLast()
        var moved: Int32?
        if Int(member) < members[ki].count {
            members[ki][Int(member)] = last
            moved = last
        }
        if members[ki].isEmpty { free(k) }
        return moved
    }

    /// Frees cohort `k`, whose members have all left (or are being removed together).
    mutating func free(_ k: Int32) {
        let ki = Int(k)
        members[ki].removeAll(keepingCapacity: false)
        let key = Key(flowClass: flowClass[ki], size: size[ki].bitPattern, finish: finish[ki].bitPattern,
                      start: start[ki].nanoseconds)
        if joinable[key] == k {
            joinable[key] = nil
            joinableOf[Int(flowClass[ki])] -= 1
        }
        if lastJoined?.cohort == k { lastJoined = nil }
        removeFromHeap(k)
        let p = Int(positions[ki])
        let moved = active.removeLast()
        if moved != k {
            active[p] = moved
            positions[Int(moved)] = Int32(p)
        }
        positions[ki] = -1
        freeIDs.append(k)
    }

    /// Whether no cohort of class `c` formed at this instant can still be
    /// joined (the table is keyed by finishing points, so they may move).
    func nothingJoinable(ofClass c: Int32) -> Bool { Int(c) >= joinableOf.count || joinableOf[Int(c)] == 0 }

    /// Moves every finishing point of class `c` back by `delta` (its clock is
    /// moved back by the same): the order in its heap stays, as subtraction
    /// is monotone. Only when ``nothingJoinable(ofClass:)``.
    mutating func shiftFinish(ofClass c: Int32, by delta: Double) {
        precondition(nothingJoinable(ofClass: c), "finishing points moved while cohorts can be joined")
        guard Int(c) < heaps.count else { return }
        for k in heaps[Int(c)] { finish[Int(k)] -= delta }
    }

    /// Time moved: no cohort formed so far can be joined any more.
    mutating func closeJoining() {
        if !joinable.isEmpty { joinable.removeAll() }
        lastJoined = nil
        for c in joinableClasses { joinableOf[Int(c)] = 0 }
        joinableClasses.removeAll(keepingCapacity: true)
    }

    // MARK: The class heaps

    private mutating func removeFromHeap(_ k: Int32) {
        let c = Int(flowClass[Int(k)])
        let i = Int(heapPosition[Int(k)])
        let last = heaps[c].removeLast()
        heapPosition[Int(k)] = -1
        guard i < heaps[c].count else { return }
        heaps[c][i] = last
        heapPosition[Int(last)] = Int32(i)
        siftUp(c, i)
        siftDown(c, Int(heapPosition[Int(last)]))
    }

    private mutating func siftUp(_ c: Int, _ start: Int) {
        let item = heaps[c][start], key = finish[Int(item)]
        var i = start
        while i > 0 {
            let parent = (i - 1) >> 1
            let p = heaps[c][parent]
            guard key < finish[Int(p)] else { break }
            heaps[c][i] = p
            heapPosition[Int(p)] = Int32(i)
            i = parent
        }
        heaps[c][i] = item
        heapPosition[Int(item)] = Int32(i)
    }

    private mutating func siftDown(_ c: Int, _ start: Int) {
        let n = heaps[c].count
        let item = heaps[c][start], key = finish[Int(item)]
        var i = start
        while true {
            var child = 2 * i + 1
            if child >= n { break }
            if child + 1 < n && finish[Int(heaps[c][child + 1])] < finish[Int(heaps[c][child])] { child += 1 }
            let ch = heaps[c][child]
            guard finish[Int(ch)] < key else { break }
            heaps[c][i] = ch
            heapPosition[Int(ch)] = Int32(i)
            i = child
        }
        heaps[c][i] = item
        heapPosition[Int(item)] = Int32(i)
    }
}

/// The active classes in a binary min-heap on the time (in nanoseconds) at
/// which each next finishes a flow; `Int64.max` for never. Positions are
/// tracked by class id, so a class's time can change in O(log classes).
struct ClassDueHeap {
    private var items: [Int32] = []
    private var keys: [Int64] = []
    /// Position of each class id, or -1.
    private var position: [Int32] = []

    /// The class due first and its time, if any class is in the heap.
    var top: (flowClass: Int32, due: Int64)? { items.isEmpty ? nil : (items[0], keys[0]) }

    /// Sets class `c`'s due time, adding it if needed.
    mutating func set(_ c: Int32, _ due: Int64) {
        while position.count <= Int(c) { position.append(-1) }
        let p = Int(position[Int(c)])
        if p < 0 {
            items.append(c)
            keys.append(due)
            position[Int(c)] = Int32(items.count - 1)
            siftUp(items.count - 1)
            return
        }
        let old = keys[p]
        keys[p] = due
        if due < old { siftUp(p) } else if due > old { siftDown(p) }
    }

    /// Sets the due time of class `c`, which is in the heap, without
    /// restoring the heap order: ``heapify()`` must follow.
    mutating func setUnordered(_ c: Int32, _ due: Int64) {
        keys[Int(position[Int(c)])] = due
    }

    /// Restores the heap order after ``setUnordered(_:_:)`` (Floyd's method, O(n)).
    mutating func heapify() {
        var i = items.count / 2 - 1
        while i >= 0 {
            siftDown(i)
            i -= 1
        }
    }

    /// Removes class `c` if it is in the heap.
    mutating func remove(_ c: Int32) {
        guard Int(c) < position.count, position[Int(c)] >= 0 else { return }
        let p = Int(position[Int(c)])
        position[Int(c)] = -1
        let lastItem = items.removeLast(), lastKey = keys.removeLast()
        guard p < items.count else { return }
        items[p] = lastItem
        keys[p] = lastKey
        position[Int(lastItem)] = Int32(p)
        siftUp(p)
        siftDown(Int(position[Int(lastItem)]))
    }

    private mutating func siftUp(_ start: Int) {
        let item = items[start], key = keys[start]
        var i = start
        while i > 0 {
            let parent = (i - 1) >> 1
            guard key < keys[parent] else { break }
            place(items[parent], keys[parent], at: i)
            i = parent
        }
        place(item, key, at: i)
    }

    private mutating func siftDown(_ start: Int) {
        let item = items[start], key = keys[start]
        var i = start
        while true {
            var child = 2 * i + 1
            if child >= items.count { break }
            if child + 1 < items.count && keys[child + 1] < keys[child] { child += 1 }
            guard keys[child] < key else { break }
            place(items[child], keys[child], at: i)
            i = child
        }
        place(item, key, at: i)
    }

    @inline(__always) private mutating func place(_ item: Int32, _ key: Int64, at i: Int) {
        items[i] = item
        keys[i] = key
        position[Int(item)] = Int32(i)
    }
}
