import Foundation
import MigsimRandom

/// A sampled sweep design (`sample:` in a sweep spec) in place of a grid:
/// Saltelli's design for Sobol indices, or one-at-a-time levels.
///
/// ```yaml
/// sample:
///   method: saltelli            # or oat
///   points: 64                  # saltelli: N base points; oat: levels per parameter (>= 2)
///   parameters:                 # key: [low, high] or [low, high, UNIT] or [low, high, UNIT, log]
///     vms.dirty_rate: [2000, 50000, "", log]
///     cluster.host.nic: [1, 25, Gbps]
/// ```
///
/// Saltelli: A and B are the two halves of a 2k-dimensional Sobol sequence
/// (GSL's, which starts after the all-zero point); the design runs, for each base point j, A_j, B_j and
/// AB_j^i (A_j with coordinate i from B_j) for every parameter i: N (k + 2)
/// points (Saltelli et al., "Variance based sensitivity analysis of model
/// output. Design and estimator for the total sensitivity index", Computer
/// Physics Communications 181(2):259-270, 2010, section 3). OAT: the middle
/// of every range first, then each parameter alone at `points` evenly spaced
/// levels from low to high with the others at their middle: 1 + k x levels points.
public struct SampleDesign: Sendable, Equatable {
    public enum Method: String, Sendable, CaseIterable {
        case saltelli, oat
    }

    /// One sampled scenario key and its range.
    public struct Parameter: Sendable, Equatable {
        public let key: String
        public let low: Double
        public let high: Double
        public let unit: String
        public let logarithmic: Bool

        /// The value at `u` in [0, 1] of the range (log-uniform when `logarithmic`).
        public func value(_ u: Double) -> Double {
            logarithmic ? exp(log(low) + u * (log(high) - log(low))) : low + u * (high - low)
        }

        /// The scenario value at `u`, printed exactly.
        public func text(_ u: Double) -> String { String(format: "%.17g", value(u)) + unit }
    }

    /// Where a design point sits in the design.
    public enum Role: Equatable, Sendable {
        case a(Int), b(Int), ab(Int, parameter: Int)
        case baseline
        case level(parameter: Int, level: Int)
    }

    public let method: Method
    /// Saltelli: base points N; OAT: levels per parameter.
    public let points: Int
    public let parameters: [Parameter]

    /// Points of the design.
    public var count: Int {
        let k = parameters.count
        return method == .saltelli ? points * (k + 2) : 1 + k * points
    }

    /// Every point in [0, 1]^k, in run order, with its role.
    public func unitPoints() -> [(u: [Double], role: Role)] {
        let k = parameters.count
        switch method {
        case .saltelli:
            var out: [(u: [Double], role: Role)] = []
            for (j, s) in SobolSequence.points(dimension: 2 * k, count: points).enumerated() {
                let a = Array(s[0..<k]), b = Array(s[k..<(2 * k)])
                out.append((a, .a(j)))
                out.append((b, .b(j)))
                for i in 0..<k {
                    var ab = a
                    ab[i] = b[i]
                    out.append((ab, .ab(j, parameter: i)))
                }
            }
            return out
        case .oat:
            let mid = [Double](repeating: 0.5, count: k)
            var out: [(u: [Double], role: Role)] = [(mid, .baseline)]
            for i in 0..<k {
                for l in 0..<points {
                    var u = mid
                    u[i] = Double(l) / Double(points - 1)
                    out.append((u, .level(parameter: i, level: l)))
                }
            }
            return out
        }
    }

    /// The scenario values of every point, in parameter order.
    public func values() -> [[String]] {
        unitPoints().map { p in zip(parameters, p.u).map { $0.text($1) } }
    }
}
