import MigsimModel

/// A closed-form predictor of one VM's live migration in a scenario.
public protocol ClosedFormPredictor: MigrationPredictor {
    func predict(_ scenario: Scenario, vm: Int) throws -> Prediction
}

/// The closed-form predictors `migsim predict` and `migsim validate` run.
public let closedFormPredictors: [any ClosedFormPredictor] = [AkoushPredictor(.avg), AkoushPredictor(.hist), LiuPredictor()]

/// Akoush et al.'s pre-copy predictors: the iterative series with Xen's (here:
/// the scenario's) stop rule, fed by an average dirty rate (AVG) or by the
/// workload's distinct-page curve in place of a measured histogram (HIST).
///
/// Source: Akoush, Sohan, Rice, Moore and Hopper, "Predicting the Performance
/// of Virtual Machine Migration", MASCOTS 2010, section IV (the AVG and HIST
/// models). migsim's reading: HIST's histogram of pages dirtied per interval
/// is replaced by the expected distinct pages of the scenario's page
/// popularity, so no trace is needed; fixed costs are the scenario's.
public struct AkoushPredictor: ClosedFormPredictor {
    public enum Variant: String, Sendable, CaseIterable {
        case avg, hist
    }

    public let variant: Variant
    public init(_ variant: Variant) { self.variant = variant }
    public var name: String { "akoush-\(variant.rawValue)" }
    public var stochastic: Bool { false }

    public func predict(_ settings: [String], seed: UInt64) throws -> Prediction {
        try predict(Self.scenario(settings, seed: seed), vm: 0)
    }

    public func predict(_ scenario: Scenario, vm: Int) throws -> Prediction {
        try PrecopySeries(scenario, vm: vm).predict(variant == .avg ? .averageRate : .distinctPages)
    }
}

/// Liu et al.'s performance model: the geometric series `V_i = V_mem λ^i`
/// with `λ = D / R` over the whole memory, stopped by the scenario's policy;
/// downtime is the last round's remainder over `R` plus the resume time.
/// The model holds for `λ < 1` only (the series must shrink); at `λ >= 1`
/// it gives no figures (`R` taken at the top of the rate limit).
///
/// Source: Liu, Xu, Jin, Gong and Liao, "Performance and energy modeling for
/// live migration of virtual machines", HPDC 2011, section 3 (the pre-copy
/// model). The writable-working-set correction of the paper is not applied
/// (its regression coefficients were not found in a quotable source).
public struct LiuPredictor: ClosedFormPredictor {
    public init() {}
    public var name: String { "liu" }
    public var stochastic: Bool { false }

    public func predict(_ settings: [String], seed: UInt64) throws -> Prediction {
        try predict(Self.scenario(settings, seed: seed), vm: 0)
    }

    public func predict(_ scenario: Scenario, vm: Int) throws -> Prediction {
        var series = try PrecopySeries(scenario, vm: vm)
        guard series.writesPerSecond * series.pageSize < series.topRate else { return Prediction() }
        series.wholeMemory = true
        return series.predict(.averageRate)
    }
}
