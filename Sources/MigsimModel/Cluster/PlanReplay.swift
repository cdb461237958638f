/// Replays a migration plan: each row becomes a request at its time.
///
/// One row is read ahead at a time, so a plan of any length costs memory for
/// the rows in flight only. A reference type owned by the engine; its event
/// (`.planRow`) submits the pending row and schedules the next.
final class PlanReplay {
    private var reader: any PlanReader
    /// The kind of rows that name none (the run's kind).
    let kind: MigrationKind
    private var pending: PlanRow?
    /// A read error met during the run (the plan was checked whole before it).
    private(set) var error: Error?
    /// Rows submitted so far.
    private(set) var submitted = 0

    init(reader: any PlanReader, kind: MigrationKind) {
        self.reader = reader
        self.kind = kind
    }

    /// Reads the next row and schedules it (at its time, never before now).
    func advance(_ sim: ClusterSimulation) {
        do {
            pending = try reader.next()
        } catch {
            self.error = error
            pending = nil
        }
        guard let row = pending else { return }
        sim.scheduleLater(max(0, row.time - sim.now), .planRow)
    }

    /// The pending row is due: request it, then read the next.
    func rowDue(_ sim: ClusterSimulation) {
        guard let row = pending else { return }
        submitted += 1
        sim.submitNow([MigrationRequest(vm: row.vm, kind: row.kind ?? kind, target: row.target, at: sim.now, policy: row.policy)])
        advance(sim)
    }
}

extension ClusterSimulation {
    /// Replays `plan` from now: rows without a kind use `kind`.
    public func startPlan(_ plan: any MigrationPlanSource, kind: MigrationKind) throws {
        for p in plan.policies { environment.addVariant(p) }
        let replay = PlanReplay(reader: try plan.open(), kind: kind)
        self.plan = replay
        replay.advance(self)
    }

    /// A read error the plan met during the run, if any.
    public var planError: Error? { plan?.error }
}
