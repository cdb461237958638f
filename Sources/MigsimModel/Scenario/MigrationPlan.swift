/// One row of a migration plan: at `time`, migrate `vm` to `target`
/// (`nil`: migsim's placement picks it), with an optional kind and policy.
public struct PlanRow: Sendable, Equatable {
    public var time: Double
    public var vm: Int
    public var target: Int?
    /// `nil`: the scenario's kind of the run.
    public var kind: MigrationKind?
    /// `nil`: the scenario's policy.
    public var policy: PolicyPreset?

    public init(time: Double, vm: Int, target: Int? = nil, kind: MigrationKind? = nil, policy: PolicyPreset? = nil) {
        self.time = time
        self.vm = vm
        self.target = target
        self.kind = kind
        self.policy = policy
    }
}

/// A migration plan written elsewhere (a consolidation or scheduling
/// algorithm's output), replayed and costed by the simulator.
///
/// Rows are read one at a time while the run goes on, in time order, so a
/// plan of any length costs memory for the rows in flight only. Each run of
/// the scenario (one per kind) opens the plan again.
public protocol MigrationPlanSource: Sendable {
    /// A reader positioned at the first row; each call starts over.
    func open() throws -> any PlanReader
    /// The distinct policies the plan names (resolved before a run so the
    /// engine never looks a policy up per step).
    var policies: [PolicyPreset] { get }
    /// A label for messages and `run.json` (usually the file's path).
    var label: String { get }
}

/// Reads a plan's rows in time order.
public protocol PlanReader {
    /// The next row, or `nil` at the end. Rows never go back in time.
    mutating func next() throws -> PlanRow?
}

/// A plan held in memory (tests and the model API).
public struct InMemoryPlan: MigrationPlanSource {
    public let rows: [PlanRow]
    public let label: String

    public init(_ rows: [PlanRow], label: String = "plan") {
        self.rows = rows
        self.label = label
    }

    public var policies: [PolicyPreset] {
        var seen: [PolicyPreset] = []
        for r in rows { if let p = r.policy, !seen.contains(p) { seen.append(p) } }
        return seen
    }

    public func open() throws -> any PlanReader { Reader(rows: rows) }

    struct Reader: PlanReader {
        let rows: [PlanRow]
        var index = 0
        mutating func next() throws -> PlanRow? {
            guard index < rows.count else { return nil }
            defer { index += 1 }
            return rows[index]
        }
    }
}
