import MigsimConfig
import MigsimModel

/// The figures a predictor gives for one migration.
public struct Prediction: Sendable, Equatable {
    public var downtime: Double?
    public var totalTime: Double?
    public var rounds: Int?
    public var bytesSent: Double?
    /// Bytes of each pre-copy round, in order.
    public var roundBytes: [Double] = []
    /// First request to last end, over every migration of the scenario.
    public var makespan: Double?

    public init(downtime: Double? = nil, totalTime: Double? = nil, rounds: Int? = nil, bytesSent: Double? = nil,
                roundBytes: [Double] = [], makespan: Double? = nil) {
        self.makespan = makespan
        self.downtime = downtime
        self.totalTime = totalTime
        self.rounds = rounds
        self.bytesSent = bytesSent
        self.roundBytes = roundBytes
    }

    /// The figure `metric` names; `nil` when this predictor does not give it.
    public func value(_ metric: Metric) -> Double? {
        switch metric {
        case .downtime: downtime
        case .totalTime: totalTime
        case .rounds: rounds.map(Double.init)
        case .bytesSent: bytesSent
        case .roundBytes(let k): k <= roundBytes.count ? roundBytes[k - 1] : nil
        case .makespan: makespan
        }
    }
}

/// Predicts the figures of the first migration of a scenario given as
/// `--set` assignments: migsim itself, or a closed-form model.
public protocol MigrationPredictor: Sendable {
    /// `migsim`, `akoush-avg`, ...
    var name: String { get }
    /// Whether the prediction depends on the seed (then it is replicated).
    var stochastic: Bool { get }
    func predict(_ settings: [String], seed: UInt64) throws -> Prediction
}

extension MigrationPredictor {
    /// The scenario the settings describe, on top of the built-in defaults.
    static func scenario(_ settings: [String], seed: UInt64) throws -> Scenario {
        var c = ScenarioConfig()
        for s in settings { try c.set(s) }
        try c.set("seed=\(seed)")
        return try c.scenario()
    }
}

/// migsim's own simulation of the scenario.
public struct SimulatorPredictor: MigrationPredictor {
    public init() {}
    public var name: String { "migsim" }
    public var stochastic: Bool { true }

    public func predict(_ settings: [String], seed: UInt64) throws -> Prediction {
        let run = try Self.scenario(settings, seed: seed).run()[0]
        guard let r = run.records.first else { return Prediction() }
        let rounds = run.rounds.filter { $0.vm == r.vm && $0.stage == "memory" }.sorted { $0.round < $1.round }
        let ends = run.records.compactMap(\.endTime)
        let makespan = ends.count == run.records.count ? ends.max()! - run.records.map(\.requestTime).min()! : nil
        return Prediction(downtime: r.downtime, totalTime: r.totalTime, rounds: r.rounds, bytesSent: r.bytesSent,
                          roundBytes: rounds.map(\.bytesSent), makespan: makespan)
    }
}
