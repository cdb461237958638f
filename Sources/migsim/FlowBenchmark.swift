import MigsimKernel
import MigsimNetwork
import MigsimRandom

/// Measures how many flow starts plus flow completions a max-min ``FlowNetwork`` handles per second.
///
/// Builds `resources` resources with capacities between 1 and 10 GB/s, keeps
/// `flows` flows active over random paths of 2 to 4 distinct resources (one in
/// four with a 128 MiB/s cap, sizes 0.5 to 1.5 GB), and runs the caller's
/// usual loop: read ``FlowNetwork/nextCompletion``, ``FlowNetwork/advance(to:into:)``
/// to it, and start one new flow for each completed one. Each completion and
/// each start counts as one operation; the loop stops after at least
/// `operations` of them. Only that loop is timed, with the monotonic
/// `ContinuousClock`. Random numbers come from an inline SplitMix64 with a
/// fixed seed, so the simulated work is the same on every run.
///
/// - Returns: operations per second of wall-clock time.
func flowNetworkBenchmark(flows: Int, resources: Int, operations: Int) -> Double {
    precondition(flows >= 1 && resources >= 4 && operations >= 1,
                 "flow network benchmark needs flows >= 1, resources >= 4, operations >= 1")
    var rng = SplitMix64(seed: 0x5EED_F10E)
    let network = FlowNetwork(solver: MaxMinSolver())
    var ids: [ResourceID] = []
    for i in 0..<resources {
        ids.append(network.addResource(name: "r\(i)", capacity: 1e9 + 9e9 * rng.unit()))
    }

    func startRandomFlow(now: SimTime) {
        var path = FlowPath()
        let length = 2 + Int(rng.next() % 3)
        while path.count < length {
            let r = ids[Int(rng.next() % UInt64(resources))]
            if !path.contains(r) { path.append(r) }
        }
        let cap = rng.next() % 4 == 0 ? 128.0 * 1024 * 1024 : .infinity
        network.startFlow(bytes: 0.5e9 + 1e9 * rng.unit(), path: path, cap: cap, tag: 0, now: now)
    }

    for _ in 0..<flows { startRandomFlow(now: .zero) }
    var completions: [FlowCompletion] = []
    completions.reserveCapacity(flows)

    let clock = ContinuousClock()
    let t0 = clock.now
    var done = 0
    while done < operations, let t = network.nextCompletion {
        completions.removeAll(keepingCapacity: true)
        network.advance(to: t, into: &completions)
        for _ in completions { startRandomFlow(now: t) }
        done += 2 * completions.count
    }
    return Double(done) / t0.duration(to: clock.now).seconds
}
