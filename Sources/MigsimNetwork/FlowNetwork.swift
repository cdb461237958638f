import MigsimKernel

/// Bandwidth resources and the transfers (flows) that share them.
///
/// The bookkeeping layer of bandwidth sharing: it owns the resources and the
/// flows, progresses every flow at its rate as simulated time passes, and asks
/// its `Solver` (``MaxMinSolver`` by default) for new rates whenever a flow
/// starts or ends or a cap or capacity changes.
///
/// **Using it with a scheduler.** The network does not own the scheduler.
/// After any change, read ``nextCompletion`` and (re)schedule one wake-up event
/// at that time; when it runs, call ``advance(to:)`` and handle the completions
/// it returns, then read ``nextCompletion`` again. Every method that takes
/// `now` first progresses all flows to `now` at the rates in force since the
/// last change, so calls may come at any time at or after the last one.
/// A caller handling several events at one instant may read
/// ``nextCompletion`` once, after the last, when ``mayFinishNow`` is false.
///
/// **Lazy solving.** Changes only mark the rates stale; they are recomputed
/// once, when next needed (``nextCompletion``, ``rate(_:)``, ``load(_:)``, or
/// progressing time). Several changes at one instant therefore cost one solve.
///
/// **Completion.** A flow finishes at the first whole nanosecond at or after
/// the instant its last byte is sent (its class's virtual clock reaches its
/// finishing point, ``FlowCohorts``); ``FlowCompletion/exactDuration`` keeps
/// the unrounded time. A zero-byte flow completes at the next
/// ``advance(to:)``, even at the same time.
///
/// **Representation and cost.** Flows with the same path and cap form a
/// class (``FlowClasses``); the solver works on classes, so a solve costs
/// O(classes), not O(flows) (see ``MaxMinSolver``). Every flow of a class
/// runs at the class's rate, so each class keeps a virtual clock of the bytes
/// each of its flows has received, brought up to date only when its rate
/// changes; a flow's remaining bytes are its finishing point minus the
/// clock. Nothing is done per flow as time passes: progressing time costs
/// O(1), and completions come from a heap of classes keyed by the time each
/// next finishes a flow, above a heap of cohorts per class. Starting,
/// finishing or cancelling a flow costs O(L + log) for a path of L
/// resources; a solve that changes rates costs O(classes) more to re-key the
/// classes. A solve is skipped when every class has the flows it had at the
/// last one (a migration's next round replacing its last at the same
/// instant), since the rates cannot have changed.
///
/// **Against flow-by-flow bookkeeping.** The rates and loads are those of
/// the flow-by-flow bookkeeping and progressive filling this replaces, bit
/// for bit (``MaxMinSolver``; loads summed in the same order). Remaining bytes
/// differ in the last bits (a clock difference instead of repeated
/// subtraction), and so completion times may differ by a nanosecond:
/// `Tests/MigsimNetworkTests/ClassCrossCheckTests.swift` replays random
/// operation sequences against that reference with those tolerances.
///
/// **Determinism.** Flows, classes and cohorts are kept in arrays with free
/// lists; hash tables are only looked up, never iterated. The same sequence
/// of calls gives bit-identical rates and completion times.
///
/// Debug builds check every solution: no resource carries more than its
/// capacity (relative tolerance 1e-9) and no flow exceeds its cap.
public final class FlowNetwork<Solver: SharingSolver> {
    // The private state is marked `@exclusivity(unchecked)`, as the kernel's
    // scheduler state is: only this class's methods reach it, and the one
    // inout use (`solver.solve(_:rates: &classRates)`) cannot reach back into
    // the network. The run-time checks cost about a fifth of a
    // 20,000-migration run (0.47 s -> 0.38 s whole process).

    /// The sharing policy.
    @exclusivity(unchecked) public private(set) var solver: Solver

    @exclusivity(unchecked) private var classes = FlowClasses()
    /// Rate of each flow of a class, by class id.
    @exclusivity(unchecked) private var classRates: [Double] = []
    /// Each class's virtual clock: bytes per flow at `clockTime`, by class id.
    @exclusivity(unchecked) private var clockBase: [Double] = []
    @exclusivity(unchecked) private var clockTime: [SimTime] = []
    /// Each class's flow count at the last solve, and the classes whose count changed since.
    @exclusivity(unchecked) private var countAtSolve: [Int32] = []
    @exclusivity(unchecked) private var touched: [Int32] = []
    @exclusivity(unchecked) private var isTouched: [Bool] = []
    /// Scratch for a solve: the old rates by position, and the classes whose rate changed.
    @exclusivity(unchecked) private var oldRates: [Double] = []
    @exclusivity(unchecked) private var changed: [Int32] = []
    /// A class, capacity or cap appeared or went since the last solve.
    @exclusivity(unchecked) private var structureChanged = false
    @exclusivity(unchecked) private var due = ClassDueHeap()
    @exclusivity(unchecked) private var cohorts = FlowCohorts()
    private var resourceNames: [String] = []
    /// Cached loads, valid where `loadEpochs[r] == loadEpoch`.
    @exclusivity(unchecked) private var loads: [Double] = []
    @exclusivity(unchecked) private var loadEpochs: [UInt64] = []
    /// Advanced by every change and solve, which invalidates every cached load.
    @exclusivity(unchecked) private var loadEpoch: UInt64 = 1

    // Flows, by slot.
    @exclusivity(unchecked) private var generations: [UInt32] = []
    /// Position of the slot's flow in `order`, or -1 when the slot is free.
    @exclusivity(unchecked) private var positions: [Int32] = []
    @exclusivity(unchecked) private var tags: [Int] = []
    @exclusivity(unchecked) private var cohortOf: [Int32] = []
    /// Index of the flow among its cohort's members.
    @exclusivity(unchecked) private var memberIndex: [Int32] = []
    @exclusivity(unchecked) private var freeSlots: [Int32] = []
    /// Slots of the active flows. Kept as the flow-by-flow bookkeeping kept
    /// them (appended, swap-removed), because that order decides which slots
    /// are reused first and the order of the terms of a load.
    @exclusivity(unchecked) private var order: [Int32] = []

    /// The time all flows were last progressed to.
    @exclusivity(unchecked) public private(set) var lastUpdate: SimTime
    @exclusivity(unchecked) private var dirty = false
    @exclusivity(unchecked) private var cachedNextCompletion: SimTime?
    @exclusivity(unchecked) private var nextCompletionValid = true
    /// Scratch for ``advance(to:into:)``: the slots finishing at one call.
    @exclusivity(unchecked) private var finishing: [Int32] = []

    /// An empty network whose clock starts at `start`.
    public init(solver: Solver, start: SimTime = .zero) {
        self.solver = solver
        self.lastUpdate = start
    }

    // MARK: Resources

    /// Adds a resource of `capacity` bytes per second (> 0 and finite).
    public func addResource(name: String, capacity: Double) -> ResourceID {
        precondition(capacity > 0 && capacity.isFinite, "resource '\(name)': capacity \(capacity) B/s must be > 0 and finite")
        precondition(classes.problem.capacities.count < Int(Int32.max), "too many resources")
        let id = ResourceID(index: Int32(classes.problem.capacities.count))
        classes.addResource(capacity: capacity)
        resourceNames.append(name)
        loads.append(0)
        loadEpochs.append(0)
        return id
    }

    /// Number of resources added so far.
    public var resourceCount: Int { classes.problem.capacities.count }

    /// The name given to ``addResource(name:capacity:)``.
    public func name(_ r: ResourceID) -> String { resourceNames[checked(r)] }

    /// Capacity of `r` in bytes per second.
    public func capacity(_ r: ResourceID) -> Double { classes.problem.capacities[checked(r)] }

    /// Changes the capacity of `r` at `now` (finite and >= 0; 0 models a link
    /// that is down: its flows stall at rate 0).
    public func setCapacity(_ r: ResourceID, _ c: Double, now: SimTime) {
        let ri = checked(r)
        precondition(c >= 0 && c.isFinite, "resource '\(resourceNames[ri])': capacity \(c) B/s must be >= 0 and finite")
        progress(to: now)
        classes.problem.capacities[ri] = c
        structureChanged = true
        markDirty()
    }

    /// Sum of the current rates of the flows through `r`, in bytes per second.
    ///
    /// Summed flow by flow in the network's flow order, as the flow-by-flow
    /// bookkeeping did, so the bits do not depend on the classes: in closed
    /// form for a resource crossed by one class (``addRepeatedly(_:count:)``),
    /// by one pass over the flows for all resources that several classes
    /// cross. Cached per resource until the next change, so asking for the
    /// loads of many lightly used resources (placement rates every host)
    /// costs O(1) each.
    public func load(_ r: ResourceID) -> Double {
        let ri = checked(r)
        solveIfDirty()
        if loadEpochs[ri] != loadEpoch {
            switch classes.classesOn[ri] {
            case 0: loads[ri] = 0
            case 1:
                let c = Int(classes.idXor[ri])
                let count = Int(classes.problem.counts[c])
                loads[ri] = count == 1 ? classRates[c] : addRepeatedly(classRates[c], count: count)
            default: computeSharedLoads()
            }
            loadEpochs[ri] = loadEpoch
        }
        return loads[ri]
    }

    /// ``load(_:)`` as a fraction of the capacity (0 for a resource of capacity 0).
    public func utilisation(_ r: ResourceID) -> Double {
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
    public func startFlow(bytes: Double, path: [ResourceID], cap: Double = .infinity, tag: Int, now: SimTime) -> FlowID {
        startFlow(bytes: bytes, path: FlowPath(path), cap: cap, tag: tag, now: now)
    }

    /// Starts a transfer over a prebuilt ``FlowPath`` (build it once per route
    /// to avoid an array per call); otherwise as the `[ResourceID]` overload.
    @discardableResult
    public func startFlow(bytes: Double, path: FlowPath, cap: Double = .infinity, tag: Int, now: SimTime) -> FlowID {
        precondition(bytes >= 0 && bytes.isFinite, "flow size \(bytes) bytes must be >= 0 and finite")
        checkCap(cap, path: path)
        for r in path { _ = checked(r) }
        progress(to: now)
        let slot: Int
        if let s = freeSlots.popLast() {
            slot = Int(s)
            tags[slot] = tag
        } else {
            precondition(positions.count < Int(Int32.max), "too many flows")
            slot = positions.count
            generations.append(0)
            positions.append(-1)
            tags.append(tag)
            cohortOf.append(-1)
            memberIndex.append(-1)
        }
        positions[slot] = Int32(order.count)
        order.append(Int32(slot))
        let (c, clockMoved) = join(path: path, cap: cap)
        place(slot: slot, flowClass: c, clockMoved: clockMoved, size: bytes, remaining: bytes, start: now)
        markDirty()
        return FlowID(index: Int32(slot), generation: generations[slot])
    }

    /// Changes the rate cap of `f` at `now` (>= 0, possibly infinite unless the path is empty).
    public func setCap(_ f: FlowID, _ cap: Double, now: SimTime) {
        let slot = checked(f)
        let path = classes.problem.paths[Int(classOf(slot))]
        checkCap(cap, path: path)
        progress(to: now)
        let k = Int(cohortOf[slot])
        let old = classOf(slot)
        let size = cohorts.size[k], remaining = cohorts.finish[k] - clock(old, at: now), start = cohorts.start[k]
        leaveCohort(slot)
        leave(old)
        let (c, clockMoved) = join(path: path, cap: cap)
        place(slot: slot, flowClass: c, clockMoved: clockMoved, size: size, remaining: remaining, start: start)
        markDirty()
    }

    /// The rate cap of `f` in bytes per second.
    public func cap(_ f: FlowID) -> Double { classes.problem.caps[Int(classOf(checked(f)))] }

    /// The resources `f` crosses.
    public func path(_ f: FlowID) -> FlowPath { classes.problem.paths[Int(classOf(checked(f)))] }

    /// Stops `f` at `now` and removes it; returns the bytes it had transferred.
    @discardableResult
    public func cancelFlow(_ f: FlowID, now: SimTime) -> Double {
        let slot = checked(f)
        progress(to: now)
        let k = Int(cohortOf[slot])
        let size = cohorts.size[k]
        let c = classOf(slot)
        let done = min(max(size - (cohorts.finish[k] - clock(c, at: now)), 0), size)
        leaveCohort(slot)
        leave(c)
        remove(slot: slot)
        markDirty()
        return done
    }

    /// Whether `f` names a flow that is still in the network.
    public func isActive(_ f: FlowID) -> Bool {
        let s = Int(f.index)
        return s >= 0 && s < positions.count && positions[s] >= 0 && generations[s] == f.generation
    }

    /// Current rate of `f` in bytes per second.
    public func rate(_ f: FlowID) -> Double {
        let slot = checked(f)
        solveIfDirty()
        return classRates[Int(classOf(slot))]
    }

    /// Bytes `f` still has to transfer at `now` (>= ``lastUpdate``), at its current rate.
    public func remainingBytes(_ f: FlowID, now: SimTime) -> Double {
        let slot = checked(f)
        precondition(now >= lastUpdate, "remainingBytes at \(now) is before the last update \(lastUpdate)")
        let k = Int(cohortOf[slot])
        if now > lastUpdate { solveIfDirty() }
        return max(cohorts.finish[k] - clock(classOf(slot), at: now), 0)
    }

    /// Number of flows in the network (started, neither completed nor cancelled).
    public var activeFlowCount: Int { order.count }

    /// Whether some flow might finish at ``lastUpdate``, answered without
    /// solving: `false` guarantees that ``nextCompletion`` is later than
    /// ``lastUpdate``, whatever changes are made at ``lastUpdate``.
    ///
    /// A flow finishes at ``lastUpdate`` only when its last byte is sent by
    /// then, which no rate change at ``lastUpdate`` can alter; each class's
    /// due time is kept at the rates in force up to ``lastUpdate``, so this
    /// reads the earliest of them, with a nanosecond's margin for rounding.
    /// So a caller handling several events at one instant can solve once,
    /// after the last of them, when this is `false`: no completion can be due
    /// before them.
    public var mayFinishNow: Bool {
        guard let top = due.top else { return false }
        return top.due <= lastUpdate.nanoseconds &+ 1
    }

    /// Number of flow classes (distinct path and cap) among the active flows.
    public var activeClassCount: Int { classes.problem.classes.count }

    /// Number of cohorts (flows of one class in lockstep) among the active flows.
    public var activeCohortCount: Int { cohorts.active.count }

    /// The earliest time at which an active flow finishes, rounded up to a
    /// whole nanosecond; `nil` when no flow can finish (none active, or all at
    /// rate 0, or beyond the representable time).
    public var nextCompletion: SimTime? {
        solveIfDirty()
        if !nextCompletionValid {
            if let top = due.top, top.due != .max {
                cachedNextCompletion = SimTime(nanoseconds: Swift.max(top.due, lastUpdate.nanoseconds))
            } else {
                cachedNextCompletion = nil
            }
            nextCompletionValid = true
        }
        return cachedNextCompletion
    }

    /// Progresses all flows to `now` and removes and returns those that have
    /// finished, in increasing ``FlowID/index`` order.
    public func advance(to now: SimTime) -> [FlowCompletion] {
        var completions: [FlowCompletion] = []
        advance(to: now, into: &completions)
        return completions
    }

    /// ``advance(to:)`` appending to a caller-owned buffer, so a loop can
    /// reuse one array instead of allocating one per call.
    public func advance(to now: SimTime, into completions: inout [FlowCompletion]) {
        precondition(now >= lastUpdate, "advance to \(now) is before the last update \(lastUpdate)")
        solveIfDirty()
        if now > lastUpdate { cohorts.closeJoining() }
        let first = completions.count
        finishing.removeAll(keepingCapacity: true)
        // Class by class, the cohorts whose last byte is sent by now.
        while let top = due.top, top.due <= now.nanoseconds {
            let c = top.flowClass, ci = Int(c)
            var classGone = false
            while !classGone, let k = cohorts.heaps[ci].first, dueTime(c, finish: cohorts.finish[Int(k)]) <= now.nanoseconds {
                let ki = Int(k)
                let size = cohorts.size[ki], start = cohorts.start[ki], rate = classRates[ci]
                let left = cohorts.finish[ki] - clockBase[ci]
                let exact = (clockTime[ci] - start).seconds + (rate > 0 ? left / rate : 0)
                for s in cohorts.members[ki] {
                    let slot = Int(s)
                    completions.append(FlowCompletion(
                        id: FlowID(index: s, generation: generations[slot]),
                        tag: tags[slot], bytes: size, start: start, end: now, exactDuration: exact))
                    finishing.append(s)
                    cohortOf[slot] = -1
                }
                let count = cohorts.members[ki].count
                cohorts.free(k)
                for _ in 0..<count where leave(c, refresh: false) { classGone = true }
            }
            if !classGone { refreshDue(c) }
        }
        lastUpdate = now
        if completions.count > first {
            // Free the slots as the flow-by-flow scan did: from the last
            // position in `order` to the first, each swap-removed.
            finishing.sort { positions[Int($0)] > positions[Int($1)] }
            for s in finishing { remove(slot: Int(s)) }
            completions[first...].sort { $0.id.index < $1.id.index }
            markDirty()
        }
    }

    // MARK: Internals

    private func checked(_ r: ResourceID) -> Int {
        let ri = Int(r.index)
        precondition(ri >= 0 && ri < classes.problem.capacities.count, "unknown resource \(r)")
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

    @inline(__always) private func classOf(_ slot: Int) -> Int32 { cohorts.flowClass[Int(cohortOf[slot])] }

    /// Puts flow `slot` of class `c` into the cohort of its state; `remaining`
    /// bytes from now on the class's clock.
    private func place(slot: Int, flowClass c: Int32, clockMoved: Bool, size: Double, remaining: Double, start: SimTime) {
        let ci = Int(c)
        let (k, m) = cohorts.join(slot: Int32(slot), flowClass: c, size: size, finish: clockBase[ci] + remaining,
                                  start: start)
        cohortOf[slot] = k
        memberIndex[slot] = m
        // Re-keyed when the class's clock was just brought to now (its due
        // time is computed from that base) or a cohort formed. A flow that
        // joins an existing cohort of a class whose clock did not move
        // changes nothing the due time depends on (thousands of flows in
        // lockstep join one cohort at one instant).
        if clockMoved || m == 0 { refreshDue(c) }
    }

    /// Adds a flow to the class of (`path`, `cap`): a new class starts its
    /// clock at 0 now, at rate 0 until solved; an existing one has its clock
    /// brought to now, so the new flow's finishing point is the clock plus
    /// its bytes. Also returns whether the class's clock moved (a new class
    /// counts as moved).
    private func join(path: FlowPath, cap: Double) -> (Int32, clockMoved: Bool) {
        let (c, created) = classes.join(path: path, cap: cap)
        let ci = Int(c)
        if ci >= classRates.count {
            let n = classes.idCount - classRates.count
            classRates.append(contentsOf: repeatElement(0, count: n))
            clockBase.append(contentsOf: repeatElement(0, count: n))
            clockTime.append(contentsOf: repeatElement(.zero, count: n))
            countAtSolve.append(contentsOf: repeatElement(0, count: n))
            isTouched.append(contentsOf: repeatElement(false, count: n))
        }
        if created {
            classRates[ci] = 0
            clockBase[ci] = 0
            clockTime[ci] = lastUpdate
            countAtSolve[ci] = 0
            structureChanged = true
            return (c, true)
        }
        let moved = clockTime[ci] != lastUpdate
        rebase(c, at: lastUpdate)
        touch(c)
        return (c, moved)
    }

    /// Takes one flow out of class `c`; returns whether the class went.
    @discardableResult
    private func leave(_ c: Int32, refresh: Bool = true) -> Bool {
        if classes.leave(c) {
            due.remove(c)
            structureChanged = true
            return true
        }
        touch(c)
        if refresh { refreshDue(c) }
        return false
    }

    private func touch(_ c: Int32) {
        if !isTouched[Int(c)] {
            isTouched[Int(c)] = true
            touched.append(c)
        }
    }

    /// Class `c`'s virtual clock at `t` (>= its last rebase), at its current rate.
    @inline(__always) private func clock(_ c: Int32, at t: SimTime) -> Double {
        let ci = Int(c)
        return t == clockTime[ci] ? clockBase[ci] : clockBase[ci] + classRates[ci] * (t - clockTime[ci]).seconds
    }

    /// Brings class `c`'s clock to `t` at the rate in force until then.
    ///
    /// A clock that has passed ``clockLimit`` bytes is moved back to 0 with
    /// its cohorts' finishing points: a clock differs from a finishing point
    /// by a few of its ulps, and a class that lives for days at a falling
    /// rate would otherwise finish flows tens of nanoseconds off (found in
    /// review: 30 days, ~200 ns). Only when none of its cohorts can be joined
    /// at this instant (their table is keyed by finishing points); it costs one pass
    /// over the class's cohorts per 2^40 bytes a flow of it receives.
    @inline(__always) private func rebase(_ c: Int32, at t: SimTime) {
        rebase(c, at: t, rate: classRates[Int(c)])
    }

    /// ``rebase(_:at:)`` at a given rate (a solve's: the rate in force until
    /// `t`, already replaced in `classRates`).
    @inline(__always) private func rebase(_ c: Int32, at t: SimTime, rate: Double) {
        let ci = Int(c)
        guard t != clockTime[ci] else { return }
        clockBase[ci] += rate * (t - clockTime[ci]).seconds
        clockTime[ci] = t
        if clockBase[ci] > Self.clockLimit && cohorts.nothingJoinable(ofClass: c) {
            cohorts.shiftFinish(ofClass: c, by: clockBase[ci])
            clockBase[ci] = 0
        }
    }

    /// Bytes a class's clock may count before it is moved back to 0: at
    /// 2^40 its ulp is 2^-12 byte, a fifth of a nanosecond at 1.25 MB/s.
    private static var clockLimit: Double { 0x1p40 }

    /// When class `c`'s clock reaches `finish`, rounded up to a whole
    /// nanosecond: at once when it has, never (`Int64.max`) at rate 0 or
    /// beyond the representable time.
    @inline(__always) private func dueTime(_ c: Int32, finish: Double) -> Int64 {
        let ci = Int(c)
        let left = finish - clockBase[ci]
        let base = clockTime[ci].nanoseconds
        // Done once what is left is rounding (a few ulps of the finishing
        // point): otherwise a flow could wait a nanosecond for 1e-11 byte,
        // and stall on it if its rate dropped to 0 then.
        guard left > 4 * finish.ulp else { return base }
        let rate = classRates[ci]
        guard rate > 0, let d = SimDuration(atLeastSeconds: left / rate) else { return .max }
        let (t, overflow) = base.addingReportingOverflow(d.nanoseconds)
        return overflow ? .max : t
    }

    /// Re-keys class `c` by the time its first cohort finishes.
    private func refreshDue(_ c: Int32) {
        if Int(c) < cohorts.heaps.count, !cohorts.heaps[Int(c)].isEmpty {
            due.set(c, firstDue(c))
            nextCompletionValid = false
        } else {
            due.remove(c)
        }
    }

    /// When class `c`'s first cohort finishes (a class in the heap has one).
    private func firstDue(_ c: Int32) -> Int64 {
        dueTime(c, finish: cohorts.finish[Int(cohorts.heaps[Int(c)][0])])
    }

    /// Takes flow `slot` out of its cohort (not out of its class).
    private func leaveCohort(_ slot: Int) {
        if let moved = cohorts.leave(cohortOf[slot], member: memberIndex[slot]) {
            memberIndex[Int(moved)] = memberIndex[slot]
        }
        cohortOf[slot] = -1
    }

    private func markDirty() {
        dirty = true
        nextCompletionValid = false
        loadEpoch &+= 1
    }

    /// Solves when something changed since the last solve. When every class
    /// holds the flows it held then (and no class, capacity or cap came or
    /// went), the problem is the same, so are the rates, and nothing is done.
    /// Otherwise the solver sets the new rates, and each class whose rate
    /// changed has its clock brought to ``lastUpdate`` at its old rate and is
    /// re-keyed (all at once, by rebuilding the heap, when most changed: a
    /// shared link or core whose share moves for every class).
    private func solveIfDirty() {
        guard dirty else { return }
        dirty = false
        var same = !structureChanged
        for c in touched {
            isTouched[Int(c)] = false
            if same && classes.problem.counts[Int(c)] != countAtSolve[Int(c)] { same = false }
        }
        touched.removeAll(keepingCapacity: true)
        guard !same else { return }
        structureChanged = false
        let active = classes.problem.classes
        oldRates.removeAll(keepingCapacity: true)
        for c in active { oldRates.append(classRates[Int(c)]) }
        solver.solve(classes.problem, rates: &classRates)
        changed.removeAll(keepingCapacity: true)
        for (p, c) in active.enumerated() {
            let ci = Int(c)
            countAtSolve[ci] = classes.problem.counts[ci]
            guard classRates[ci].bitPattern != oldRates[p].bitPattern else { continue }
            rebase(c, at: lastUpdate, rate: oldRates[p])
            changed.append(c)
        }
        if changed.count > 64 && 4 * changed.count > active.count {
            for c in changed { due.setUnordered(c, firstDue(c)) }
            due.heapify()
        } else {
            for c in changed { refreshDue(c) }
        }
        nextCompletionValid = false
        loadEpoch &+= 1
        #if DEBUG
        checkSolution()
        #endif
    }

    /// Moves the network's time to `now`, solving first if something changed
    /// (the rates in force since ``lastUpdate`` are needed): O(1) otherwise,
    /// since each class's clock runs on its own.
    private func progress(to now: SimTime) {
        precondition(now >= lastUpdate, "network change at \(now) is before the last update \(lastUpdate)")
        guard now > lastUpdate else { return }
        solveIfDirty()
        cohorts.closeJoining()
        lastUpdate = now
    }

    /// Frees the slot of a flow that has left its cohort and class.
    private func remove(slot: Int) {
        let p = Int(positions[slot])
        let moved = order.removeLast()
        if Int(moved) != slot {
            order[p] = moved
            positions[Int(moved)] = Int32(p)
        }
        positions[slot] = -1
        generations[slot] &+= 1
        freeSlots.append(Int32(slot))
    }

    /// The loads of every resource that several classes cross, as the
    /// flow-by-flow sum `0 + rate + rate + ...` in `order`: one pass over the flows.
    private func computeSharedLoads() {
        for s in order {
            let c = Int(classOf(Int(s)))
            let rate = classRates[c]
            for r in classes.problem.paths[c] where classes.classesOn[Int(r.index)] > 1 {
                let ri = Int(r.index)
                if loadEpochs[ri] != loadEpoch {
                    loads[ri] = 0
                    loadEpochs[ri] = loadEpoch
                }
                loads[ri] += rate
            }
        }
    }

    #if DEBUG
    /// Debug-only check of a solution: capacities and caps respected.
    /// Sums each class's flows as count × rate, so it costs O(classes), not O(flows).
    private func checkSolution() {
        var sums = [Double](repeating: 0, count: loads.count)
        for c in classes.problem.classes {
            let ci = Int(c)
            let rate = classRates[ci]
            precondition(rate >= 0 && rate <= classes.problem.caps[ci],
                         "sharing solver gave flow class \(ci) rate \(rate) B/s outside 0...cap \(classes.problem.caps[ci]) B/s")
            for r in classes.problem.paths[ci] { sums[Int(r.index)] += Double(classes.problem.counts[ci]) * rate }
        }
        for ri in sums.indices {
            let c = classes.problem.capacities[ri]
            precondition(sums[ri] <= c * (1 + 1e-9),
                         "sharing solver overloaded resource '\(resourceNames[ri])': load \(sums[ri]) B/s > capacity \(c) B/s")
        }
    }
    #endif
}

extension FlowNetwork where Solver == MaxMinSolver {
    /// An empty network with max-min fair sharing.
    public convenience init(start: SimTime = .zero) {
        self.init(solver: MaxMinSolver(), start: start)
    }
}
