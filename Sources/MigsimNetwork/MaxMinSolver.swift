/// Max-min fair sharing by progressive filling, with per-flow rate caps.
///
/// **Allocation.** An allocation is max-min fair when no flow's rate can be
/// raised without lowering the rate of a flow whose rate is already no larger.
/// Equivalently, every flow is either at its cap or crosses a *bottleneck*: a
/// saturated resource on which no other flow gets a higher rate.
///
/// **Algorithm** (progressive filling; Bertsekas & Gallager, *Data Networks*,
/// 2nd ed., §6.5.2; the same scheme as SimGrid's `maxmin` solver,
/// `src/kernel/lmm/maxmin.cpp`). All rates rise together from zero; whenever a
/// resource fills up or a flow reaches its cap, the flows concerned are frozen
/// at the current level and the others keep rising:
///
/// 1. Every flow is unfrozen; every resource has its full capacity left.
/// 2. The level is the smallest of
///    - `remaining(r) / unfrozen(r)` over resources `r` with unfrozen flows
///      (the fair share left on `r`), and
///    - the cap of each unfrozen flow.
/// 3. Every unfrozen flow whose cap equals the level, and every unfrozen flow
///    crossing a resource whose share equals the level, is frozen at the level;
///    its rate is subtracted from the remaining capacity of each resource on
///    its path.
/// 4. Repeat from 2 until every flow is frozen.
///
/// Each round freezes at least one flow, and a cap acts like a private
/// resource of capacity `cap` crossed by its flow alone, so a flow with an
/// empty path and a finite cap simply gets its cap. Ties are exact
/// floating-point equality, so the result is a function of the problem and
/// the order of `problem.flows` only.
///
/// **Implementation and cost.** The resources in use and the capped flows sit
/// in one binary min-heap keyed by fair share (for a resource) or cap (for a
/// flow); a round pops every entry equal to the minimum. Freezing a flow
/// updates the share of each resource on its path in place (the heap tracks
/// each resource's position), and a capped flow frozen by a resource leaves a
/// stale cap entry that is skipped when popped. Each resource's flows are laid
/// out contiguously once per solve (a counting sort), so a saturating resource
/// finds its flows directly. For F flows of path length at most L, R' resources
/// in use and C capped flows, a solve costs O(F·L·log(R' + C)). Scratch buffers
/// are kept between solves, so a solve allocates only when the problem outgrows
/// every earlier one.
public struct MaxMinSolver: SharingSolver {
    // Per resource (by index).
    private var remaining: [Double] = []
    private var unfrozen: [Int32] = []
    private var degree: [Int32] = []
    private var offset: [Int32] = []
    /// Position of the resource in the heap, or -1.
    private var heapPosition: [Int32] = []
    // Per active-flow position.
    private var frozen: [Bool] = []
    // Lists.
    private var members: [Int32] = []
    private var inUse: [Int32] = []
    private var tied: [Int32] = []
    /// Heap entries: a resource index (>= 0) or `-1 - p` for the cap of the flow at position `p`.
    private var heapItems: [Int32] = []
    private var heapKeys: [Double] = []

    public init() {}

    public mutating func solve(_ problem: SharingProblem, rates: inout [Double]) {
        let flowCount = problem.flows.count
        guard flowCount > 0 else { return }
        let resourceCount = problem.capacities.count
        if degree.count < resourceCount {
            let grow = resourceCount - degree.count
            remaining.append(contentsOf: repeatElement(0, count: grow))
            unfrozen.append(contentsOf: repeatElement(0, count: grow))
            degree.append(contentsOf: repeatElement(0, count: grow))
            offset.append(contentsOf: repeatElement(0, count: grow))
            heapPosition.append(contentsOf: repeatElement(-1, count: grow))
        }
        if frozen.count < flowCount {
            frozen.append(contentsOf: repeatElement(false, count: flowCount - frozen.count))
        }
        inUse.removeAll(keepingCapacity: true)
        heapItems.removeAll(keepingCapacity: true)
        heapKeys.removeAll(keepingCapacity: true)

        // Count the flows on each resource, list the resources in use (in
        // order of first use), and enter the caps in the heap.
        var memberCount = 0
        for p in 0..<flowCount {
            let slot = Int(problem.flows[p])
            frozen[p] = false
            let path = problem.paths[slot]
            for r in path {
                let ri = Int(r.index)
                if degree[ri] == 0 { inUse.append(r.index) }
                degree[ri] += 1
            }
            memberCount += path.count
            let cap = problem.caps[slot]
            if cap < .infinity {
                heapItems.append(-1 - Int32(p))
                heapKeys.append(cap)
            }
        }
        if members.count < memberCount {
            members.append(contentsOf: repeatElement(0, count: memberCount - members.count))
        }

        // Lay out each resource's flow list contiguously in `members`
        // (counting sort): `offset` first marks each list's end, then is
        // decremented while filling, leaving it at the list's start.
        var end: Int32 = 0
        for r in inUse {
            let ri = Int(r)
            end += degree[ri]
            offset[ri] = end
            unfrozen[ri] = degree[ri]
            let c = problem.capacities[ri]
            remaining[ri] = c
            heapPosition[ri] = Int32(heapItems.count)
            heapItems.append(r)
            heapKeys.append(c / Double(degree[ri]))
        }
        for p in stride(from: flowCount - 1, through: 0, by: -1) {
            for r in problem.paths[Int(problem.flows[p])] {
                let ri = Int(r.index)
                offset[ri] -= 1
                members[Int(offset[ri])] = Int32(p)
            }
        }
        for i in stride(from: heapItems.count / 2 - 1, through: 0, by: -1) { siftDown(i) }

        var unfrozenFlows = flowCount
        while unfrozenFlows > 0 {
            // The level is the smallest share or cap; take every entry at it.
            precondition(!heapKeys.isEmpty && heapKeys[0].isFinite,
                         "max-min solve: a flow crosses no resource and has no cap")
            let level = heapKeys[0]
            tied.removeAll(keepingCapacity: true)
            while let top = heapKeys.first, top == level { tied.append(popMin()) }

            // Freeze the flows held at the level by their cap or by a
            // resource that saturates at it.
            for item in tied {
                if item < 0 {
                    let p = Int(-1 - item)
                    if !frozen[p] { freeze(p, at: level, problem, &rates, &unfrozenFlows) }
                } else {
                    let first = Int(offset[Int(item)])
                    for m in first..<first + Int(degree[Int(item)]) where !frozen[Int(members[m])] {
                        freeze(Int(members[m]), at: level, problem, &rates, &unfrozenFlows)
                    }
                }
            }
        }
        for r in inUse {
            degree[Int(r)] = 0
            heapPosition[Int(r)] = -1
        }
    }

    /// Fixes the flow at position `p` at `rate` and updates the shares of its resources.
    private mutating func freeze(_ p: Int, at rate: Double, _ problem: SharingProblem,
                                 _ rates: inout [Double], _ unfrozenFlows: inout Int) {
        frozen[p] = true
        unfrozenFlows -= 1
        let slot = Int(problem.flows[p])
        rates[slot] = rate
        for r in problem.paths[slot] {
            let ri = Int(r.index)
            remaining[ri] -= rate
            unfrozen[ri] -= 1
            let h = Int(heapPosition[ri])
            guard h >= 0 else { continue }
            let n = unfrozen[ri]
            let key = n > 0 ? max(remaining[ri], 0) / Double(n) : .infinity
            let old = heapKeys[h]
            heapKeys[h] = key
            if key < old { siftUp(h) } else { siftDown(h) }
        }
    }

    // MARK: Binary heap (hole-based sifting, positions tracked for resources)

    private mutating func place(_ item: Int32, _ key: Double, at i: Int) {
        heapItems[i] = item
        heapKeys[i] = key
        if item >= 0 { heapPosition[Int(item)] = Int32(i) }
    }

    private mutating func siftUp(_ start: Int) {
        let item = heapItems[start], key = heapKeys[start]
        var i = start
        while i > 0 {
            let parent = (i - 1) >> 1
            guard key < heapKeys[parent] else { break }
            place(heapItems[parent], heapKeys[parent], at: i)
            i = parent
        }
        place(item, key, at: i)
    }

    private mutating func siftDown(_ start: Int) {
        let item = heapItems[start], key = heapKeys[start]
        let n = heapItems.count
        var i = start
        while true {
            var child = 2 * i + 1
            if child >= n { break }
            if child + 1 < n && heapKeys[child + 1] < heapKeys[child] { child += 1 }
            guard heapKeys[child] < key else { break }
            place(heapItems[child], heapKeys[child], at: i)
            i = child
        }
        place(item, key, at: i)
    }

    private mutating func popMin() -> Int32 {
        let top = heapItems[0]
        let lastItem = heapItems.removeLast(), lastKey = heapKeys.removeLast()
        if !heapItems.isEmpty {
            place(lastItem, lastKey, at: 0)
            siftDown(0)
        }
        if top >= 0 { heapPosition[Int(top)] = -1 }
        return top
    }
}
