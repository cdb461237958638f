import Foundation
import MigsimRandom

/// One sampled scenario key of a sweep's `sample:` section: a range, its scale
/// and how a point of [0, 1) becomes the value written into the scenario.
///
/// The bounds are numbers in one unit as written (`[1Gbps, 25Gbps]`); a value
/// is computed on those numbers and written back with the same unit, so the
/// scenario parses it as it would parse the bounds.
public struct SampledParameter: Sendable, Equatable {
    public enum Scale: String, Sendable, CaseIterable { case linear, log }

    /// Scenario key, e.g. `cluster.host.nic`.
    public let key: String
    /// The bounds' numbers, in `unit` (low < high).
    public let low: Double, high: Double
    /// The bounds' common unit as written (`Gbps`, `ms`), or empty for bare numbers.
    public let unit: String
    public let scale: Scale
    /// Whole numbers only: `low...high` each with equal probability.
    public let integer: Bool

    public init(key: String, low: Double, high: Double, unit: String, scale: Scale = .linear, integer: Bool = false) {
        self.key = key
        self.low = low
        self.high = high
        self.unit = unit
        self.scale = scale
        self.integer = integer
    }

    /// The value (in `unit`) at `u` in [0, 1]: `low + u (high - low)` (linear),
    /// `exp(ln low + u (ln high - ln low))` (log), with `u = 1` giving `high`
    /// exactly. Integer: the linear or log value on `[low, high + 1)` rounded
    /// down, capped at `high`, so each whole number of a linear range is
    /// equally likely under uniform `u`.
    public func value(_ u: Double) -> Double {
        if integer {
            let top = high + 1
            let x = scale == .log ? Foundation.exp(Foundation.log(low) + u * (Foundation.log(top) - Foundation.log(low))) : low + u * (top - low)
            return Swift.min(high, x.rounded(.down))
        }
        if u >= 1 { return high }
        switch scale {
        case .linear: return low + u * (high - low)
        case .log: return Foundation.exp(Foundation.log(low) + u * (Foundation.log(high) - Foundation.log(low)))
        }
    }

    /// The scenario text of `x`: a whole number for integer parameters, else
    /// Swift's shortest decimal that reads back as exactly `x` (`12.5Gbps`,
    /// `0.93999999999999995` never appears: `0.94`), then the unit. The
    /// scenario parser turns it into the same double, on every machine.
    public func text(_ x: Double) -> String {
        if integer { return String(Int64(x)) + unit }
        return (x == x.rounded() && Swift.abs(x) < 1e15 ? String(Int64(x)) : x.description) + unit
    }
}

/// How a sweep samples its parameters (`sample.method`).
public enum SampleMethod: Sendable, Equatable {
    /// Saltelli's design for Sobol indices with `basePoints` rows N: N (k + 2) points.
    case saltelli(basePoints: Int)
    /// One at a time: the base scenario, then each parameter at `levels`
    /// evenly spaced points of its range (linear or log) with the others left
    /// at the base scenario's values: 1 + k x levels points.
    case oat(levels: Int)

    public var name: String {
        switch self {
        case .saltelli: return "saltelli"
        case .oat: return "oat"
        }
    }
}

/// The role of one point of a sampling design.
public enum SampleRole: Sendable, Equatable {
    /// Row `row` of matrix A (Saltelli).
    case a(row: Int)
    /// Row `row` of matrix B (Saltelli).
    case b(row: Int)
    /// Row `row` of A_B^(i): A with column `parameter` taken from B (Saltelli).
    case ab(row: Int, parameter: Int)
    /// Every parameter at the base scenario's value (OAT).
    case base
    /// Parameter `parameter` at level `level` (0 = low), the others at the base (OAT).
    case level(parameter: Int, level: Int)
}

/// The points of a sweep's `sample:` section: for each, its role and the text
/// of every sampled key.
///
/// **Saltelli.** Saltelli et al. 2010 ("Variance based sensitivity analysis of
/// model output. Design and estimator for the total sensitivity index",
/// Computer Physics Communications 181(2):259-270), section 3: N points of a
/// 2k-dimensional Sobol sequence (``SobolSequence``, GSL) give row j of A (the
/// first k coordinates) and of B (the last k). The sequence's first point,
/// 0.5 in every coordinate, is skipped: its A and B rows would be equal, so its
/// k + 2 runs would repeat one scenario (SALib's `saltelli.sample` skips
/// leading points for the same reason); row j comes from point j + 2. The points are, for j = 0..N-1
/// in blocks of k + 2: A_j, A_B^(1)_j, ..., A_B^(k)_j, B_j, where A_B^(i) is A
/// with column i from B. N (k + 2) points in all; at most k = 20 (GSL's Sobol
/// sequence has 40 dimensions).
///
/// **OAT.** Point 0 is the base scenario; then parameter after parameter (in
/// declared order), level after level from low to high, one changed at a time.
/// The unchanged keys keep the base scenario's text (its value or default).
public struct SampleDesign: Sendable {
    public let method: SampleMethod
    public let parameters: [SampledParameter]
    /// Per point: its role and the text of each parameter, in parameter order.
    public let roles: [SampleRole]
    public let texts: [[String]]
    /// Coordinates in [0, 1] of each point (OAT: `nil` where a key keeps its base value).
    public let units: [[Double?]]

    /// Points the design has for `k` parameters, or `nil` when that overflows.
    public static func pointCount(_ method: SampleMethod, parameters k: Int) -> Int? {
        switch method {
        case .saltelli(let n):
            let (p, o) = n.multipliedReportingOverflow(by: k + 2)
            return o ? nil : p
        case .oat(let levels):
            let (p, o) = levels.multipliedReportingOverflow(by: k)
            return o ? nil : p + 1
        }
    }

    /// The design; `baseTexts` are the base scenario's texts of the parameters (OAT).
    /// - Precondition: Saltelli with 1 to 20 parameters; OAT with at least 2 levels.
    public init(method: SampleMethod, parameters: [SampledParameter], baseTexts: [String]) {
        self.method = method
        self.parameters = parameters
        let k = parameters.count
        var roles: [SampleRole] = [], units: [[Double?]] = []
        switch method {
        case .saltelli(let n):
            let sobol = SobolSequence(dimension: 2 * k)
            _ = sobol.next()
            for j in 0..<n {
                let p = sobol.next()
                let a = Array(p[0..<k]), b = Array(p[k..<(2 * k)])
                roles.append(.a(row: j)); units.append(a)
                for i in 0..<k {
                    var ab = a
                    ab[i] = b[i]
                    roles.append(.ab(row: j, parameter: i)); units.append(ab)
                }
                roles.append(.b(row: j)); units.append(b)
            }
        case .oat(let levels):
            roles.append(.base); units.append(Array(repeating: nil, count: k))
            for i in 0..<k {
                for l in 0..<levels {
                    var u = [Double?](repeating: nil, count: k)
                    u[i] = l == levels - 1 ? 1 : Double(l) / Double(levels - 1)
                    roles.append(.level(parameter: i, level: l)); units.append(u)
                }
            }
        }
        self.roles = roles
        self.units = units
        self.texts = units.map { u in
            u.enumerated().map { i, x in x.map { parameters[i].text(parameters[i].value($0)) } ?? baseTexts[i] }
        }
    }
}
