import MigsimKernel
@testable import MigsimNetwork

/// The flow-by-flow bookkeeping that ``FlowNetwork`` replaced (migsim
/// 3a39012, `Sources/MigsimNetwork/FlowNetwork.swift`), kept verbatim but for
/// names as the reference the class representation is checked against, bit
/// for bit: every flow progressed, solved and checked one by one, with
/// ``ReferenceMaxMinSolver`` (progressive filling flow by flow).
final class ReferenceFlowNetwork {
    /// The sharing policy.
    private(set) var solver = ReferenceMaxMinSolver()

    private var problem = ReferenceProblem()
    private var resourceNames: [String] = []
    private var loads: [Double] = []
    private var loadsValid = true

    // Flows, by slot.
    private var generations: [UInt32] = []
    /// Position of the slot's flow in `problem.flows`, or -1 when the slot is free.
    private var positions: [Int32] = []
    private var sizes: [Double] = []
    private var remaining: [Double] = []
    private var rates: [Double] = []
    private var tags: [Int] = []
    private var starts: [SimTime] = []
    private var freeSlots: [Int32] = []

    /// The time all flows were last progressed to.
    private(set) var lastUpdate: SimTime
    private var dirty = false
    private var cachedNextCompletion: SimTime?
    private var nextCompletionValid = true

    /// An empty network whose clock starts at `start`.
    init(start: SimTime = .zero) {
        self.lastUpdate = start
    }

    // MARK: Resources

    /// Adds a resource of `capacity` bytes per second (> 0 and finite).
    func addResource(name: String, capacity: Double) -> ResourceID {
        precondition(capacity > 0 && capacity.isFinite, "resource '\(name)': capacity \(capacity) B/s must be > 0 and finite")
        precondition(problem.capacities.count < Int(Int32.max), "too many resources")
        let id = ResourceID(index: Int32(problem.capacities.count))
        problem.capacities.append(capacity)
        resourceNames.append(name)
        loads.append(0)
        return id
    }

    /// Number of resources added so far.
    var resourceCount: Int { problem.capacities.count }

    /// The name given to ``addResource(name:capacity:)``.
    func name(_ r: ResourceID) -> String { resourceNames[checked(r)] }

    /// Capacity of `r` in bytes per second.
    func capacity(_ r: ResourceID) -> Double { problem.capacities[checked(r)] }

    /// Changes the capacity of `r` at `now` (finite and >= 0; 0 models a link
    /// that is down: its flows stall at rate 0).
    func setCapacity(_ r: ResourceID, _ c: Double, now: SimTime) {
        let ri = checked(r)
        precondition(c >= 0 && c.isFinite, "resource '\(resourceNames[ri])': capacity \(c) B/s must be >= 0 and finite")
        progress(to: now)
        problem.capacities[ri] = c
        markDirty()
    }

    /// Sum of the current rates of the flows through `r`, in bytes per second.
    func load(_ r: ResourceID) -> Double {
        let ri = checked(r)
        solveIfDirty()
        if !loadsValid { computeLoads() }
        return loads[ri]
    }

    /// ``load(_:)`` as a fraction of the capacity (0 for a resource of capacity 0).
    func utilisation(_ r: ResourceID) -> Double {
        let c = capacity(r)
        return c > 0 ? load(r) / c : 0
    }

    // MARK: Flows

    /// Starts a transfer of `bytes` over the resources of `path` at `now`.
    ///
    /// - Parameters:
    ///   - bytes: size, finite and >= 0.
    ///   - path: distinct resources, at most ``FlowPath/maxLength``; may be
    ///     empty only when `cap` is finite.
    ///   - cap: the flow's own rate limit in bytes per second (>= 0; 0 pauses it).
    ///   - tag: any value of the caller's, returned in the completion.
    @discardableResult
    func startFlow(bytes: Double, path: [ResourceID], cap: Double = .infinity, tag: Int, now: SimTime) -> FlowID {
        startFlow(bytes: bytes, path: FlowPath(path), cap: cap, tag: tag, now: now)
    }

    /// Starts a transfer over a prebuilt ``FlowPath`` (build it once per route
    /// to avoid an array per call); otherwise as the `[ResourceID]` overload.
    @discardableResult
    func startFlow(bytes: Double, path: FlowPath, cap: Double = .infinity, tag: Int, now: SimTime) -> FlowID {
        precondition(bytes >= 0 && bytes.isFinite, "flow size \(bytes) bytes must be >= 0 and finite")
        checkCap(cap, path: path)
        for r in path { _ = checked(r) }
        progress(to: now)
        let slot: Int
        if let s = freeSlots.popLast() {
            slot = Int(s)
            problem.paths[slot] = path
            problem.caps[slot] = cap
            sizes[slot] = bytes
            remaining[slot] = bytes
            rates[slot] = 0
            tags[slot] = tag
            starts[slot] = now
        } else {
            precondition(positions.count < Int(Int32.max), "too many flows")
            slot = positions.count
            generations.append(0)
            positions.append(-1)
            problem.paths.append(path)
            problem.caps.append(cap)
            sizes.append(bytes)
            remaining.append(bytes)
            rates.append(0)
            tags.append(tag)
            starts.append(now)
        }
        positions[slot] = Int32(problem.flows.count)
        problem.flows.append(Int32(slot))
        markDirty()
        return FlowID(index: Int32(slot), generation: generations[slot])
    }

    /// Changes the rate cap of `f` at `now` (>= 0, possibly infinite unless the path is empty).
    func setCap(_ f: FlowID, _ cap: Double, now: SimTime) {
        let slot = checked(f)
        checkCap(cap, path: problem.paths[slot])
        progress(to: now)
        problem.caps[slot] = cap
        markDirty()
    }

    /// The rate cap of `f` in bytes per second.
    func cap(_ f: FlowID) -> Double { problem.caps[checked(f)] }

    /// The resources `f` crosses.
    func path(_ f: FlowID) -> FlowPath { problem.paths[checked(f)] }

    /// Stops `f` at `now` and removes it; returns the bytes it had transferred.
    @discardableResult
    func cancelFlow(_ f: FlowID, now: SimTime) -> Double {
        let slot = checked(f)
        progress(to: now)
        let done = min(max(sizes[slot] - remaining[slot], 0), sizes[slot])
        remove(slot: slot)
        markDirty()
        return done
    }

    /// Whether `f` names a flow that is still in the network.
    func isActive(_ f: FlowID) -> Bool {
        let s = Int(f.index)
        return s >= 0 && s < positions.count && positions[s] >= 0 && generations[s] == f.generation
    }

    /// Current rate of `f` in bytes per second.
    func rate(_ f: FlowID) -> Double {
        let slot = checked(f)
        solveIfDirty()
        return rates[slot]
    }

    /// Bytes `f` still has to transfer at `now` (>= ``lastUpdate``), at its current rate.
    func remainingBytes(_ f: FlowID, now: SimTime) -> Double {
        let slot = checked(f)
        precondition(now >= lastUpdate, "remainingBytes at \(now) is before the last update \(lastUpdate)")
        guard now > lastUpdate else { return max(remaining[slot], 0) }
        solveIfDirty()
        return max(remaining[slot] - rates[slot] * (now - lastUpdate).seconds, 0)
    }

    /// Number of flows in the network (started, neither completed nor cancelled).
    var activeFlowCount: Int { problem.flows.count }

    /// The earliest time at which an active flow finishes, rounded up to a
    /// whole nanosecond; `nil` when no flow can finish (none active, or all at
    /// rate 0, or beyond the representable time).
    var nextCompletion: SimTime? {
        solveIfDirty()
        if !nextCompletionValid {
            cachedNextCompletion = computeNextCompletion()
            nextCompletionValid = true
        }
        return cachedNextCompletion
    }

    /// Progresses all flows to `now` and removes and returns those that have
    /// finished, in increasing ``FlowID/index`` order.
    func advance(to now: SimTime) -> [FlowCompletion] {
        var completions: [FlowCompletion] = []
        advance(to: now, into: &completions)
        return completions
    }

    /// ``advance(to:)`` appending to a caller-owned buffer, so a loop can
    /// reuse one array instead of allocating one per call.
    func advance(to now: SimTime, into completions: inout [FlowCompletion]) {
        precondition(now >= lastUpdate, "advance to \(now) is before the last update \(lastUpdate)")
        solveIfDirty()
        let dt = (now - lastUpdate).seconds
        let first = completions.count
        // Backwards, so that swap-removing position i only moves a flow that
        // was already visited.
        var i = problem.flows.count - 1
        while i >= 0 {
            let slot = Int(problem.flows[i])
            let before = remaining[slot]
            let rate = rates[slot]
            let after = before - rate * dt
            remaining[slot] = after
            if isFinished(remaining: after, size: sizes[slot], rate: rate) {
                let last = (lastUpdate - starts[slot]).seconds
                completions.append(FlowCompletion(
                    id: FlowID(index: Int32(slot), generation: generations[slot]),
                    tag: tags[slot], bytes: sizes[slot], start: starts[slot], end: now,
                    exactDuration: rate > 0 ? last + before / rate : last))
                remove(slot: slot)
            }
            i -= 1
        }
        lastUpdate = now
        if completions.count > first {
            completions[first...].sort { $0.id.index < $1.id.index }
            markDirty()
        }
    }

    // MARK: Internals

    private func checked(_ r: ResourceID) -> Int {
        let ri = Int(r.index)
        precondition(ri >= 0 && ri < problem.capacities.count, "unknown resource \(r)")
        return ri
    }

    private func checked(_ f: FlowID) -> Int {
        precondition(isActive(f), "flow \(f) is not active (completed, cancelled or never started)")
        return Int(f.index)
    }

    private func checkCap(_ cap: Double, path: FlowPath) {
        precondition(cap >= 0, "flow cap \(cap) B/s must be >= 0")
        precondition(!path.isEmpty || cap.isFinite, "a flow with an empty path needs a finite cap")
    }

    /// The completion rule shared by ``advance(to:into:)`` and ``nextCompletion``.
    private func isFinished(remaining: Double, size: Double, rate: Double) -> Bool {
        remaining <= max(1e-9 * size, rate * 1e-9)
    }

    private func markDirty() {
        dirty = true
        nextCompletionValid = false
        loadsValid = false
    }

    private func solveIfDirty() {
        guard dirty else { return }
        solver.solve(problem, rates: &rates)
        dirty = false
        nextCompletionValid = false
        loadsValid = false
        #if DEBUG
        checkSolution()
        #endif
    }

    /// Progresses every flow to `now` at the rates in force since ``lastUpdate``.
    private func progress(to now: SimTime) {
        precondition(now >= lastUpdate, "network change at \(now) is before the last update \(lastUpdate)")
        guard now > lastUpdate else { return }
        solveIfDirty()
        let dt = (now - lastUpdate).seconds
        for slot in problem.flows {
            remaining[Int(slot)] -= rates[Int(slot)] * dt
        }
        lastUpdate = now
    }

    private func remove(slot: Int) {
        let p = Int(positions[slot])
        let moved = problem.flows.removeLast()
        if Int(moved) != slot {
            problem.flows[p] = moved
            positions[Int(moved)] = Int32(p)
        }
        positions[slot] = -1
        generations[slot] &+= 1
        freeSlots.append(Int32(slot))
    }

    private func computeNextCompletion() -> SimTime? {
        var best = Int64.max
        for s in problem.flows {
            let slot = Int(s)
            let rate = rates[slot]
            if isFinished(remaining: remaining[slot], size: sizes[slot], rate: rate) {
                best = lastUpdate.nanoseconds
                break
            }
            guard rate > 0, let d = SimDuration(atLeastSeconds: remaining[slot] / rate) else { continue }
            let (t, overflow) = lastUpdate.nanoseconds.addingReportingOverflow(d.nanoseconds)
            if !overflow && t < best { best = t }
        }
        return best == .max ? nil : SimTime(nanoseconds: best)
    }

    private func computeLoads() {
        for i in loads.indices { loads[i] = 0 }
        for s in problem.flows {
            let rate = rates[Int(s)]
            for r in problem.paths[Int(s)] { loads[Int(r.index)] += rate }
        }
        loadsValid = true
    }

    #if DEBUG
    /// Debug-only check of a solution: capacities and caps respected.
    private func checkSolution() {
        computeLoads()
        for ri in loads.indices {
            let c = problem.capacities[ri]
            precondition(loads[ri] <= c * (1 + 1e-9),
                         "sharing solver overloaded resource '\(resourceNames[ri])': load \(loads[ri]) B/s > capacity \(c) B/s")
        }
        for s in problem.flows {
            let slot = Int(s)
            precondition(rates[slot] >= 0 && rates[slot] <= problem.caps[slot],
                         "sharing solver gave flow \(slot) rate \(rates[slot]) B/s outside 0...cap \(problem.caps[slot]) B/s")
        }
    }
    #endif
}

