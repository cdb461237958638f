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
/// floating-point equality.
///
/// **Classes.** Flows with the same path and cap are frozen together, so the
/// solver works on flow classes (``SharingProblem``): a class of `m` flows
/// counts `m` times in `unfrozen(r)` and, when frozen at level `x`, subtracts
/// `x` from `remaining(r)` `m` times, rounded after every step as the
/// per-flow loop rounds (``subtractRepeatedly(_:_:count:)``; skipped when `r`
/// has no unfrozen flow left, since `remaining(r)` is then never read again).
/// Every flow frozen in one round subtracts the same level, so the order of
/// the flows within a round changes no remaining capacity: the rates are bit
/// for bit those of progressive filling flow by flow, whatever the order of
/// `problem.classes`.
///
/// **Implementation and cost.** The resources in use and the capped classes
/// sit in one binary min-heap keyed by fair share (for a resource) or cap (for
/// a class); a round pops every entry equal to the minimum. Freezing a class
/// updates the share of each resource on its path in place (the heap tracks
/// each resource's position), and a capped class frozen by a resource leaves
/// a stale cap entry that is skipped when popped. Each resource's classes are
/// laid out contiguously once per solve (a counting sort), so a saturating
/// resource finds its classes directly. For C classes of path length at most
/// L and R' resources in use, a solve costs O(C·L·log(R' + C)) plus the
/// repeated subtractions (O(1) each in the usual case), whatever the number
/// of flows.
///
/// The scratch memory is kept between solves in raw buffers (no per-access
/// uniqueness, bounds or exclusivity checks), so a solve allocates only when
/// the problem outgrows every earlier one. Copies of a solver share the buffers
/// until one of them solves, which first takes its own.
public struct MaxMinSolver: SharingSolver {
    private var workspace = Workspace()

    public init() {}

    public mutating func solve(_ problem: SharingProblem, rates: inout [Double]) {
        guard !problem.classes.isEmpty else { return }
        if let level = Self.singleLevel(problem) {
            for c in problem.classes { rates[Int(c)] = level }
            return
        }
        if !isKnownUniquelyReferenced(&workspace) { workspace = Workspace() }
        var members = 0
        for c in problem.classes { members += problem.paths[Int(c)].count }
        let buffers = workspace.reserve(resources: problem.capacities.count, classes: problem.classes.count, members: members)
        rates.withUnsafeMutableBufferPointer { buffers.solve(problem, rates: $0) }
    }
}

extension MaxMinSolver {
    /// The rate of every class when progressive filling freezes them all at
    /// its first level, or `nil`: when some resource is crossed by every
    /// class and its fair share (capacity over the flows crossing it) is the
    /// smallest share of any resource in use and no cap is below it, the
    /// first level is that share and every class freezes at it, so that share
    /// is every class's rate, computed as the filling computes it (capacity
    /// / flows, bit for bit). One link shared by thousands of migrations, or
    /// a core that every transfer of an evacuation crosses, is solved so in
    /// O(min(resources, classes x path length) + classes).
    static func singleLevel(_ problem: SharingProblem) -> Double? {
        let n = Int32(problem.classes.count)
        var shared = -1
        for r in problem.paths[Int(problem.classes[0])] where problem.classesOn[Int(r.index)] == n {
            shared = Int(r.index)
            break
        }
        guard shared >= 0 else { return nil }
        let level = problem.capacities[shared] / Double(problem.flowsOn[shared])
        // Every resource in use: through the classes' paths when they are
        // fewer than the resources (a few migrations in a large cluster),
        // else by one pass over the resources.
        if problem.classes.count * FlowPath.maxLength < problem.flowsOn.count {
            for c in problem.classes {
                for r in problem.paths[Int(c)] where problem.capacities[Int(r.index)] / Double(problem.flowsOn[Int(r.index)]) < level {
                    return nil
                }
            }
        } else {
            for (r, flows) in problem.flowsOn.enumerated() where flows > 0 {
                if problem.capacities[r] / Double(flows) < level { return nil }
            }
        }
        for c in problem.classes where problem.caps[Int(c)] < level { return nil }
        return level
    }
}

/// Owns the scratch buffers of one ``MaxMinSolver`` and grows them.
private final class Workspace {
    private var buffers = Buffers()
    private var resourceCapacity = 0
    private var classCapacity = 0
    private var memberCapacity = 0

    deinit { buffers.deallocate() }

    /// Buffers for a problem of this size (old contents are not kept on growth,
    /// only the between-solves invariants).
    func reserve(resources: Int, classes: Int, members: Int) -> Buffers {
        if resourceCapacity < resources || classCapacity < classes || memberCapacity < members {
            resourceCapacity = max(resources, 2 * resourceCapacity)
            classCapacity = max(classes, 2 * classCapacity)
            memberCapacity = max(members, 2 * memberCapacity)
            buffers.deallocate()
            buffers = Buffers(resources: resourceCapacity, classes: classCapacity, members: memberCapacity)
        }
        return buffers
    }
}

/// The scratch memory of a solve, and the solve itself.
///
/// A value of raw pointers: copying it copies no memory, and the methods
/// write through the pointers without mutating the value. Invariant between
/// solves: `degree[r] == 0` and `heapPosition[r] == -1` for every resource.
private struct Buffers {
    // Per resource (by index).
    let remaining: UnsafeMutablePointer<Double>
    /// Flows (not classes) on the resource not frozen yet.
    let unfrozen: UnsafeMutablePointer<Int32>
    /// Classes on the resource.
    let degree: UnsafeMutablePointer<Int32>
    /// Start of the resource's class list in `members`.
    let offset: UnsafeMutablePointer<Int32>
    /// Position of the resource in the heap, or -1.
    let heapPosition: UnsafeMutablePointer<Int32>
    /// Resources in use, in order of first use.
    let inUse: UnsafeMutablePointer<Int32>
    // Per active-class position.
    let frozen: UnsafeMutablePointer<Bool>
    // Heap entries, and the entries tied at one level: at most one per resource and one per class.
    /// A resource index (>= 0) or `-1 - p` for the cap of the class at position `p`.
    let heapItems: UnsafeMutablePointer<Int32>
    let heapKeys: UnsafeMutablePointer<Double>
    let tied: UnsafeMutablePointer<Int32>
    /// Class lists of all resources, back to back.
    let members: UnsafeMutablePointer<Int32>

    init(resources: Int = 0, classes: Int = 0, members memberCount: Int = 0) {
        func make<T>(_ count: Int, _ value: T) -> UnsafeMutablePointer<T> {
            let p = UnsafeMutablePointer<T>.allocate(capacity: count)
            p.initialize(repeating: value, count: count)
            return p
        }
        remaining = make(resources, 0)
        unfrozen = make(resources, 0)
        degree = make(resources, 0)
        offset = make(resources, 0)
        heapPosition = make(resources, -1)
        inUse = make(resources, 0)
        frozen = make(classes, false)
        heapItems = make(resources + classes, 0)
        heapKeys = make(resources + classes, 0)
        tied = make(resources + classes, 0)
        members = make(memberCount, 0)
    }

    func deallocate() {
        remaining.deallocate(); unfrozen.deallocate(); degree.deallocate(); offset.deallocate()
        heapPosition.deallocate(); inUse.deallocate(); frozen.deallocate()
        heapItems.deallocate(); heapKeys.deallocate(); tied.deallocate(); members.deallocate()
    }

    func solve(_ problem: SharingProblem, rates: UnsafeMutableBufferPointer<Double>) {
        let classCount = problem.classes.count

        // Count the classes and flows on each resource, list the resources in
        // use (in order of first use), and enter the caps in the heap.
        var inUseCount = 0
        var heapCount = 0
        for p in 0..<classCount {
            let c = Int(problem.classes[p])
            frozen[p] = false
            let count = problem.counts[c]
            for r in problem.paths[c] {
                let ri = Int(r.index)
                if degree[ri] == 0 {
                    inUse[inUseCount] = r.index
                    inUseCount += 1
                    unfrozen[ri] = 0
                }
                degree[ri] += 1
                unfrozen[ri] += count
            }
            let cap = problem.caps[c]
            if cap < .infinity {
                heapItems[heapCount] = -1 - Int32(p)
                heapKeys[heapCount] = cap
                heapCount += 1
            }
        }

        // Lay out each resource's class list contiguously in `members`
        // (counting sort): `offset` first marks each list's end, then is
        // decremented while filling, leaving it at the list's start.
        var end: Int32 = 0
        for i in 0..<inUseCount {
            let ri = Int(inUse[i])
            end += degree[ri]
            offset[ri] = end
            let c = problem.capacities[ri]
            remaining[ri] = c
            heapPosition[ri] = Int32(heapCount)
            heapItems[heapCount] = Int32(ri)
            heapKeys[heapCount] = c / Double(unfrozen[ri])
            heapCount += 1
        }
        for p in stride(from: classCount - 1, through: 0, by: -1) {
            for r in problem.paths[Int(problem.classes[p])] {
                let ri = Int(r.index)
                offset[ri] -= 1
                members[Int(offset[ri])] = Int32(p)
            }
        }
        for i in stride(from: heapCount / 2 - 1, through: 0, by: -1) { siftDown(i, heapCount) }

        var unfrozenClasses = classCount
        while unfrozenClasses > 0 {
            // The level is the smallest share or cap; take every entry at it.
            precondition(heapCount > 0 && heapKeys[0].isFinite,
                         "max-min solve: a flow crosses no resource and has no cap")
            let level = heapKeys[0]
            var tiedCount = 0
            while heapCount > 0 && heapKeys[0] == level {
                tied[tiedCount] = popMin(&heapCount)
                tiedCount += 1
            }

            // Freeze the classes held at the level by their cap or by a
            // resource that saturates at it.
            for t in 0..<tiedCount {
                let item = tied[t]
                if item < 0 {
                    let p = Int(-1 - item)
                    if !frozen[p] {
                        freeze(p, at: level, problem, rates, heapCount)
                        unfrozenClasses -= 1
                    }
                } else {
                    let first = Int(offset[Int(item)])
                    for m in first..<first + Int(degree[Int(item)]) where !frozen[Int(members[m])] {
                        freeze(Int(members[m]), at: level, problem, rates, heapCount)
                        unfrozenClasses -= 1
                    }
                }
            }
        }
        for i in 0..<inUseCount {
            degree[Int(inUse[i])] = 0
            heapPosition[Int(inUse[i])] = -1
        }
    }

    /// Fixes the class at position `p` at `rate` and updates the shares of its resources.
    private func freeze(_ p: Int, at rate: Double, _ problem: SharingProblem,
                        _ rates: UnsafeMutableBufferPointer<Double>, _ heapCount: Int) {
        frozen[p] = true
        let c = Int(problem.classes[p])
        rates[c] = rate
        let count = problem.counts[c]
        for r in problem.paths[c] {
            let ri = Int(r.index)
            unfrozen[ri] -= count
            if count == 1 {
                remaining[ri] -= rate
            } else if unfrozen[ri] > 0 {
                remaining[ri] = subtractRepeatedly(remaining[ri], rate, count: Int(count))
            }
            let h = Int(heapPosition[ri])
            guard h >= 0 else { continue }
            let n = unfrozen[ri]
            let key = n > 0 ? max(remaining[ri], 0) / Double(n) : .infinity
            let old = heapKeys[h]
            heapKeys[h] = key
            if key < old { siftUp(h) } else { siftDown(h, heapCount) }
        }
    }

    // MARK: Binary min-heap (hole-based sifting; resources' positions tracked)

    @inline(__always) private func place(_ item: Int32, _ key: Double, at i: Int) {
        heapItems[i] = item
        heapKeys[i] = key
        if item >= 0 { heapPosition[Int(item)] = Int32(i) }
    }

    private func siftUp(_ start: Int) {
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

    private func siftDown(_ start: Int, _ count: Int) {
        let item = heapItems[start], key = heapKeys[start]
        var i = start
        while true {
            var child = 2 * i + 1
            if child >= count { break }
            if child + 1 < count && heapKeys[child + 1] < heapKeys[child] { child += 1 }
            guard heapKeys[child] < key else { break }
            place(heapItems[child], heapKeys[child], at: i)
            i = child
        }
        place(item, key, at: i)
    }

    private func popMin(_ count: inout Int) -> Int32 {
        let top = heapItems[0]
        count -= 1
        if count > 0 {
            place(heapItems[count], heapKeys[count], at: 0)
            siftDown(0, count)
        }
        if top >= 0 { heapPosition[Int(top)] = -1 }
        return top
    }
}
