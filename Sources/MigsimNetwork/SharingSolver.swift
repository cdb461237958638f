/// The state a ``SharingSolver`` reads: resource capacities and the active
/// flow classes.
///
/// A *flow class* is every active flow with one path and one cap: max-min
/// sharing (and any policy that treats flows alike) gives all of them the same
/// rate, so a solver works on classes, each weighted by its number of flows,
/// and its cost grows with the number of classes, not of flows.
///
/// ``FlowNetwork`` owns one problem and keeps it up to date; a solver only
/// reads it. Classes are stored by class id; `classes` lists the ids of the
/// active ones, and only those entries of `paths`, `caps` and `counts` are
/// meaningful.
public struct SharingProblem: Sendable {
    /// Capacity of each resource in bytes per second, by ``ResourceID/index``; finite and >= 0.
    public internal(set) var capacities: [Double] = []
    /// Ids of the active classes, in the network's (deterministic) order.
    public internal(set) var classes: [Int32] = []
    /// Path of each class, by class id.
    public internal(set) var paths: [FlowPath] = []
    /// Rate cap of each class in bytes per second, by class id; >= 0, possibly infinite.
    /// A class with an empty path always has a finite cap.
    public internal(set) var caps: [Double] = []
    /// Number of flows in each class, by class id; >= 1 for an active class.
    public internal(set) var counts: [Int32] = []
    /// Number of active flows crossing each resource, by ``ResourceID/index``
    /// (kept up to date as flows start and end, so a solver need not count).
    public internal(set) var flowsOn: [Int32] = []
    /// Number of active classes crossing each resource, by ``ResourceID/index``.
    public internal(set) var classesOn: [Int32] = []

    init() {}
}

/// A bandwidth-sharing policy: computes the rate of every active flow class.
///
/// One conforming type per policy, one file each (``MaxMinSolver`` is the
/// default). ``FlowNetwork`` is generic over its solver, so the call is
/// statically dispatched; a solver may keep scratch buffers between calls,
/// which is why ``solve(_:rates:)`` is `mutating`.
///
/// A solution gives each flow of a class the class's rate, in `0...cap`, and
/// the sum over flows of the rates through a resource must not exceed its
/// capacity (debug builds of ``FlowNetwork`` check both after every solve).
/// For a given problem the result must depend on nothing else, so that runs
/// are reproducible.
public protocol SharingSolver {
    /// Writes the rate in bytes per second of each flow of every active class
    /// of `problem` into `rates[class id]`. `rates` has one entry per class
    /// id; entries of inactive ids may be left as they are.
    mutating func solve(_ problem: SharingProblem, rates: inout [Double])
}
