/// The state a ``SharingSolver`` reads: resource capacities and the active flows.
///
/// ``FlowNetwork`` owns one problem and keeps it up to date; a solver only
/// reads it. Flows are stored by slot (``FlowID/index``); `flows` lists the
/// slots of the active flows, and only those slots of `paths` and `caps` are
/// meaningful.
public struct SharingProblem: Sendable {
    /// Capacity of each resource in bytes per second, by ``ResourceID/index``; finite and >= 0.
    public internal(set) var capacities: [Double] = []
    /// Slots of the active flows, in the network's (deterministic) order.
    public internal(set) var flows: [Int32] = []
    /// Path of each flow, by slot.
    public internal(set) var paths: [FlowPath] = []
    /// Rate cap of each flow in bytes per second, by slot; >= 0, possibly infinite.
    /// A flow with an empty path always has a finite cap.
    public internal(set) var caps: [Double] = []

    init() {}
}

/// A bandwidth-sharing policy: computes the rate of every active flow.
///
/// One conforming type per policy, one file each (``MaxMinSolver`` is the
/// default). ``FlowNetwork`` is generic over its solver, so the call is
/// statically dispatched; a solver may keep scratch buffers between calls,
/// which is why ``solve(_:rates:)`` is `mutating`.
///
/// A solution must give every active flow a rate in `0...cap`, and the sum of
/// the rates through a resource must not exceed its capacity (debug builds of
/// ``FlowNetwork`` check both after every solve). For a given problem the
/// result must depend on nothing else, so that runs are reproducible.
public protocol SharingSolver {
    /// Writes the rate in bytes per second of every active flow of `problem`
    /// into `rates[slot]`. `rates` has one entry per slot; entries of inactive
    /// slots may be left as they are.
    mutating func solve(_ problem: SharingProblem, rates: inout [Double])
}
