import MigsimKernel

/// Groups of flows whose state is bit-identical: same class (so the same rate
/// at every instant), same size, same start, same bytes remaining.
///
/// Such flows stay identical for ever: every progress step subtracts the same
/// `rate × dt` from the same value. So a cohort keeps one `remaining` for all
/// its members, and progressing time, finding the next completion and
/// detecting finished flows cost O(cohorts), not O(flows), while giving the
/// same bits as doing it flow by flow.
///
/// A flow joins a cohort only at the instant the cohort was formed, through a
/// table of the cohorts formed since time last moved (looked up, never
/// iterated; emptied when time moves, since `remaining` then changes). Flows
/// that start together with the same size on the same route, such as the
/// rounds of migrations that run in lockstep, therefore share one cohort;
/// otherwise a flow gets its own. Joining or leaving costs O(1) amortised.
struct FlowCohorts {
    /// The class of each cohort, by cohort id.
    private(set) var flowClass: [Int32] = []
    /// Size in bytes of the members.
    private(set) var size: [Double] = []
    /// Bytes each member still has to transfer at the network's last update.
    var remaining: [Double] = []
    /// When the members started.
    private(set) var start: [SimTime] = []
    /// Slots of the members, in no particular order.
    private(set) var members: [[Int32]] = []
    /// Whether the members might be finished at the network's last update
    /// at some feasible rate (see ``FlowNetwork/mayFinishNow``), by cohort id.
    var suspect: [Bool] = []
    /// Number of active cohorts marked `suspect`.
    var suspectCount = 0
    /// Ids of the cohorts that have members.
    private(set) var active: [Int32] = []
    /// Position of each cohort in `active`, or -1 when the id is free.
    private var positions: [Int32] = []
    private var freeIDs: [Int32] = []

    private struct Key: Hashable {
        var flowClass: Int32
        var size: UInt64
        var remaining: UInt64
        var start: Int64
    }
    /// Cohorts formed since time last moved.
    private var joinable: [Key: Int32] = [:]

    /// Adds flow `slot` to the cohort of this state, forming it if needed;
    /// returns the cohort and the flow's index among its members.
    mutating func join(slot: Int32, flowClass c: Int32, size s: Double, remaining r: Double,
                       start t: SimTime) -> (cohort: Int32, member: Int32) {
        let key = Key(flowClass: c, size: s.bitPattern, remaining: r.bitPattern, start: t.nanoseconds)
        if let k = joinable[key] {
            members[Int(k)].append(slot)
            return (k, Int32(members[Int(k)].count - 1))
        }
        let k: Int32
        if let id = freeIDs.popLast() {
            k = id
            flowClass[Int(k)] = c
            size[Int(k)] = s
            remaining[Int(k)] = r
            start[Int(k)] = t
            suspect[Int(k)] = false
            members[Int(k)].append(slot)
        } else {
            precondition(positions.count < Int(Int32.max), "too many flow cohorts")
            k = Int32(positions.count)
            flowClass.append(c)
            size.append(s)
            remaining.append(r)
            start.append(t)
            members.append([slot])
            suspect.append(false)
            positions.append(-1)
        }
        positions[Int(k)] = Int32(active.count)
        active.append(k)
        joinable[key] = k
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
        let key = Key(flowClass: flowClass[ki], size: size[ki].bitPattern, remaining: remaining[ki].bitPattern,
                      start: start[ki].nanoseconds)
        if joinable[key] == k { joinable[key] = nil }
        if suspect[ki] {
            suspect[ki] = false
            suspectCount -= 1
        }
        let p = Int(positions[ki])
        let moved = active.removeLast()
        if moved != k {
            active[p] = moved
            positions[Int(moved)] = Int32(p)
        }
        positions[ki] = -1
        freeIDs.append(k)
    }

    /// Time moved: no cohort formed so far can be joined any more.
    mutating func closeJoining() {
        if !joinable.isEmpty { joinable.removeAll() }
    }
}
