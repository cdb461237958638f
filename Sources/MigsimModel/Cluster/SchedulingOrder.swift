import Foundation

/// A rule that orders requests waiting for concurrency slots: the lower a
/// request's key, the sooner it is served; equal keys go in arrival order.
///
/// Implement it to try your own order (see `experiments/extending/`); the
/// key is computed once, when the request joins the queue.
public protocol SchedulingRule: Sendable {
    /// The name reported in messages and `run.json`.
    var name: String { get }
    /// The key of `request` for `vm`; `expectedSeconds` is migsim's
    /// closed-form estimate of its live migration alone on its source's NIC.
    func key(_ request: MigrationRequest, vm: VMSpec, expectedSeconds: Double) -> Double
}

/// The order in which queued requests get concurrency slots (`scenario.order`).
///
/// - `fifo`: arrival order (list scheduling, LS, in Glikson et al., "Scheduling
///   Live Migrations of Virtual Machines during Host Evacuation", IBM Research).
/// - `smallest-first`, `largest-first`: by VM memory. Dargie ("Estimation of
///   the Cost of VM Migration", TU Dresden) observed that migrating the
///   resource-intensive VMs first gave the shortest total migration time.
/// - `shortest-expected-first`: by ``expectedSeconds(memory:dirtyBytesPerSecond:bandwidth:)``,
///   the shortest-processing-time rule (it minimises the mean completion time
///   of jobs on one machine).
/// - `longest-expected-first`: the longest-processing-time rule (LPT in
///   Glikson et al., who bound its makespan for host evacuation).
/// - `lowest-dirty-rate-first`: by the VM's mean write rate; migsim's option
///   (no published source found).
public enum SchedulingOrder: Sendable {
    case fifo
    case smallestFirst
    case largestFirst
    case lowestDirtyRateFirst
    case shortestExpectedFirst
    case longestExpectedFirst
    case custom(any SchedulingRule)

    /// Accepted names, in documentation order.
    public static let names = ["fifo", "smallest-first", "largest-first", "lowest-dirty-rate-first", "shortest-expected-first",
                               "longest-expected-first"]

    public init?(name: String) {
        switch name {
        case "fifo": self = .fifo
        case "smallest-first": self = .smallestFirst
        case "largest-first": self = .largestFirst
        case "lowest-dirty-rate-first": self = .lowestDirtyRateFirst
        case "shortest-expected-first": self = .shortestExpectedFirst
        case "longest-expected-first": self = .longestExpectedFirst
        default: return nil
        }
    }

    public var name: String {
        switch self {
        case .fifo: return "fifo"
        case .smallestFirst: return "smallest-first"
        case .largestFirst: return "largest-first"
        case .lowestDirtyRateFirst: return "lowest-dirty-rate-first"
        case .shortestExpectedFirst: return "shortest-expected-first"
        case .longestExpectedFirst: return "longest-expected-first"
        case .custom(let r): return r.name
        }
    }

    /// The key of `request` (lower first); `bandwidth` is the source NIC's payload rate, bytes/s.
    func key(_ request: MigrationRequest, vm: VMSpec, bandwidth: Double) -> Double {
        func expected() -> Double {
            Self.expectedSeconds(memory: vm.memoryBytes,
                                 dirtyBytesPerSecond: (vm.workload.rate.mean ?? 0) * Double(vm.pageSize), bandwidth: bandwidth)
        }
        switch self {
        case .fifo: return 0
        case .smallestFirst: return vm.memoryBytes
        case .largestFirst: return -vm.memoryBytes
        case .lowestDirtyRateFirst: return vm.workload.rate.mean ?? 0
        case .shortestExpectedFirst: return expected()
        case .longestExpectedFirst: return -expected()
        case .custom(let r): return r.key(request, vm: vm, expectedSeconds: expected())
        }
    }

    /// Closed-form pre-copy time of `memory` bytes dirtied at
    /// `dirtyBytesPerSecond` over `bandwidth` bytes/s (Liu et al., HPDC 2011:
    /// rounds send `M lambda^k`, lambda = D / R): rounds until at most 1 MiB
    /// remains or 30 rounds, lambda capped at 0.99, plus the remainder;
    /// `M (1 - lambda^(n+1)) / ((1 - lambda) R)`. An estimate for ordering only.
    public static func expectedSeconds(memory: Double, dirtyBytesPerSecond: Double, bandwidth: Double) -> Double {
        guard bandwidth > 0, bandwidth.isFinite else { return .infinity }
        let lambda = min(0.99, max(0, dirtyBytesPerSecond / bandwidth))
        var n = 0, remainder = memory
        while n < 30 && remainder > 1024 * 1024 && lambda > 0 {
            remainder *= lambda
            n += 1
        }
        return memory * (1 - pow(lambda, Double(n + 1))) / (1 - lambda) / bandwidth
    }
}
