/// The flow classes of a ``FlowNetwork``: every active flow with one path and
/// one cap belongs to one class, which the solver sees as a single weighted
/// entry of the ``SharingProblem``.
///
/// Classes are found by (path, cap bits) in a hash table that is only looked
/// up, never iterated; ids are reused through a free list and the active ids
/// are kept in an array with swap-removal. Joining or leaving a class costs
/// O(L) for a path of L resources, plus one hash lookup.
///
/// Per resource it also keeps how many flows and classes cross it
/// (``SharingProblem/flowsOn``, ``SharingProblem/classesOn``) and the xor of
/// the classes' ids, which is the id itself while exactly one class crosses
/// it (the loads of such resources need no pass over the flows).
struct FlowClasses {
    /// Capacities and the classes, as the solver reads them.
    var problem = SharingProblem()
    /// Number of classes crossing each resource.
    var classesOn: [Int32] { problem.classesOn }
    /// Xor of the ids of the classes crossing each resource.
    private(set) var idXor: [Int32] = []

    private struct Key: Hashable {
        var path: FlowPath
        var cap: UInt64
    }
    private var index: [Key: Int32] = [:]
    /// Position of each class id in `problem.classes`, or -1 when the id is free.
    private var positions: [Int32] = []
    private var freeIDs: [Int32] = []
    /// The class returned by the last ``join(path:cap:)`` (checked before use: its id may have been freed or reused).
    private var lastJoined: Int32 = -1

    mutating func addResource(capacity: Double) {
        problem.capacities.append(capacity)
        problem.classesOn.append(0)
        problem.flowsOn.append(0)
        idXor.append(0)
    }

    /// Adds one flow to the class of (`path`, `cap`), creating it if needed;
    /// returns its id and whether it was created.
    mutating func join(path: FlowPath, cap: Double) -> (id: Int32, created: Bool) {
        for r in path { problem.flowsOn[Int(r.index)] += 1 }
        // The class joined last, when it is still active with this path and
        // cap, is the one the table would find: flows of one route and cap
        // tend to start in runs (every migration of a drain, round after round).
        let m = Int(lastJoined)
        if m >= 0, positions[m] >= 0, problem.caps[m].bitPattern == cap.bitPattern, problem.paths[m] == path {
            problem.counts[m] += 1
            return (Int32(m), false)
        }
        let c = joinByKey(path: path, cap: cap)
        lastJoined = c.id
        return c
    }

    private mutating func joinByKey(path: FlowPath, cap: Double) -> (id: Int32, created: Bool) {
        let key = Key(path: path, cap: cap.bitPattern)
        if let c = index[key] {
            problem.counts[Int(c)] += 1
            return (c, false)
        }
        let c: Int32
        if let id = freeIDs.popLast() {
            c = id
            problem.paths[Int(c)] = path
            problem.caps[Int(c)] = cap
            problem.counts[Int(c)] = 1
        } else {
            precondition(positions.count < Int(Int32.max), "too many flow classes")
            c = Int32(positions.count)
            positions.append(-1)
            problem.paths.append(path)
            problem.caps.append(cap)
            problem.counts.append(1)
        }
        index[key] = c
        positions[Int(c)] = Int32(problem.classes.count)
        problem.classes.append(c)
        for r in path {
            problem.classesOn[Int(r.index)] += 1
            idXor[Int(r.index)] ^= c
        }
        return (c, true)
    }

    /// Removes one flow from class `c`, and the class when it was the last;
    /// returns whether it removed the class.
    @discardableResult
    mutating func leave(_ c: Int32) -> Bool {
        let ci = Int(c)
        for r in problem.paths[ci] { problem.flowsOn[Int(r.index)] -= 1 }
        problem.counts[ci] -= 1
        guard problem.counts[ci] == 0 else { return false }
        index[Key(path: problem.paths[ci], cap: problem.caps[ci].bitPattern)] = nil
        for r in problem.paths[ci] {
            problem.classesOn[Int(r.index)] -= 1
            idXor[Int(r.index)] ^= c
        }
        let p = Int(positions[ci])
        let moved = problem.classes.removeLast()
        if moved != c {
            problem.classes[p] = moved
            positions[Int(moved)] = Int32(p)
        }
        positions[ci] = -1
        freeIDs.append(c)
        return true
    }

    /// Number of class ids ever used (the length of the per-class arrays).
    var idCount: Int { positions.count }
}

extension FlowPath: Hashable {
    public func hash(into hasher: inout Hasher) {
        hasher.combine(length)
        let w = words
        hasher.combine(w[0] ^ (w[1] &* 0x9E37_79B9_7F4A_7C15) ^ (w[2] &* 0xC2B2_AE3D_27D4_EB4F) ^ (w[3] &* 0x1656_67B1_9E37_79F9))
    }
}
