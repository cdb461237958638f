import XCTest
import MigsimKernel
import MigsimNetwork

/// Random topologies checked against the max-min optimality conditions, and
/// reproducibility of whole operation sequences. (The bit-for-bit comparison
/// with the flow-by-flow reference is in `ClassCrossCheckTests.swift`.)
final class RandomizedTests: XCTestCase {
    /// Builds a random network and flows; returns the network, its resources and the flows.
    private func randomProblem(_ rng: inout TestRandom) -> (FlowNetwork<MaxMinSolver>, [ResourceID], [FlowID]) {
        let network = FlowNetwork(solver: MaxMinSolver())
        // A few capacity values repeat on purpose, so that ties occur.
        let resourceCount = rng.int(1...12)
        let resources = (0..<resourceCount).map { i in
            network.addResource(name: "r\(i)", capacity: rng.next() % 3 == 0 ? Double(rng.int(1...3)) * 10 : rng.double(1, 100))
        }
        var flows: [FlowID] = []
        // Half the flows repeat an earlier flow's path and cap (and sometimes
        // its size), so that classes of several flows and shared cohorts occur.
        var earlier: [(FlowPath, Double, Double)] = []
        for tag in 0..<rng.int(1...24) {
            if !earlier.isEmpty && rng.next() % 2 == 0 {
                let (path, cap, size) = earlier[rng.int(0...earlier.count - 1)]
                let bytes = rng.next() % 2 == 0 ? size : rng.double(1, 500)
                flows.append(network.startFlow(bytes: bytes, path: path, cap: cap, tag: tag, now: network.lastUpdate))
                continue
            }
            var path = FlowPath()
            let length = rng.int(0...min(4, resourceCount))
            while path.count < length {
                let r = resources[rng.int(0...resourceCount - 1)]
                if !path.contains(r) { path.append(r) }
            }
            let cap = path.isEmpty || rng.next() % 3 == 0 ? rng.double(0.5, 50) : .infinity
            let bytes = rng.double(1, 500)
            earlier.append((path, cap, bytes))
            flows.append(network.startFlow(bytes: bytes, path: path, cap: cap, tag: tag, now: network.lastUpdate))
        }
        return (network, resources, flows)
    }

    /// Checks feasibility and max-min optimality of the current rates.
    ///
    /// Feasible: every resource's load <= capacity (relative 1e-9), every rate
    /// in 0...cap. Optimal (Bertsekas & Gallager, §6.5.2): every flow is at its
    /// cap, or crosses a saturated resource on which no flow has a higher rate.
    private func checkMaxMin(_ network: FlowNetwork<MaxMinSolver>, _ resources: [ResourceID], _ flows: [FlowID],
                             context: String) {
        let tol = 1e-9
        for r in resources {
            XCTAssertLessThanOrEqual(network.load(r), network.capacity(r) * (1 + tol), "overloaded \(r) \(context)")
        }
        for f in flows {
            let rate = network.rate(f), cap = network.cap(f)
            XCTAssertGreaterThanOrEqual(rate, 0, context)
            XCTAssertLessThanOrEqual(rate, cap, context)
            if rate >= cap * (1 - tol) { continue }
            let bottlenecked = network.path(f).contains { r in
                let saturated = network.load(r) >= network.capacity(r) * (1 - tol)
                let highest = flows.filter { network.path($0).contains(r) }.allSatisfy { network.rate($0) <= rate * (1 + tol) }
                return saturated && highest
            }
            XCTAssertTrue(bottlenecked, "flow \(f) at \(rate) below its cap \(cap) has no bottleneck \(context)")
        }
    }

    func testRandomTopologiesAreMaxMinFairThroughoutTheirLife() {
        var rng = TestRandom(state: 20_240_611)
        for trial in 0..<300 {
            let (network, resources, initial) = randomProblem(&rng)
            var flows = initial
            checkMaxMin(network, resources, flows, context: "trial \(trial) at start")
            // Run to the end, changing a cap or a capacity now and then; every
            // wake-up at nextCompletion must complete at least one flow.
            var step = 0
            while let due = network.nextCompletion {
                let done = network.advance(to: due)
                XCTAssertFalse(done.isEmpty, "trial \(trial): nothing completed at nextCompletion \(due)")
                XCTAssertEqual(done.map(\.id.index), done.map(\.id.index).sorted())
                let finished = Set(done.map(\.id))
                flows.removeAll { finished.contains($0) }
                if !flows.isEmpty && step % 3 == 0 {
                    let f = flows[rng.int(0...flows.count - 1)]
                    network.setCap(f, network.path(f).isEmpty ? rng.double(0.5, 50) : (rng.next() % 2 == 0 ? .infinity : rng.double(0.5, 50)), now: due)
                }
                if step % 4 == 1 {
                    network.setCapacity(resources[rng.int(0...resources.count - 1)], rng.double(1, 100), now: due)
                }
                checkMaxMin(network, resources, flows, context: "trial \(trial) step \(step)")
                step += 1
            }
            XCTAssertEqual(network.activeFlowCount, 0, "trial \(trial): flows left that can never finish")
        }
    }

    func testSameOperationsGiveBitIdenticalResults() {
        func run() -> [(FlowID, Int, Int64, UInt64, UInt64)] {
            var rng = TestRandom(state: 99)
            let network = FlowNetwork(solver: MaxMinSolver())
            let resources = (0..<30).map { network.addResource(name: "r\($0)", capacity: rng.double(1e8, 1e10)) }
            var log: [(FlowID, Int, Int64, UInt64, UInt64)] = []
            var live: [FlowID] = []
            var now = SimTime.zero
            for op in 0..<1500 {
                switch rng.next() % 10 {
                case 0..<3:
                    var path = FlowPath()
                    while path.count < 3 {
                        let r = resources[rng.int(0...29)]
                        if !path.contains(r) { path.append(r) }
                    }
                    live.append(network.startFlow(bytes: rng.double(1e6, 1e10), path: path,
                                                  cap: rng.next() % 4 == 0 ? 1.34e8 : .infinity, tag: op, now: now))
                case 3 where !live.isEmpty:
                    let f = live.remove(at: rng.int(0...live.count - 1))
                    log.append((f, -1, now.nanoseconds, network.cancelFlow(f, now: now).bitPattern, 0))
                case 4 where !live.isEmpty:
                    network.setCap(live[rng.int(0...live.count - 1)], rng.double(1e7, 1e9), now: now)
                case 5:
                    network.setCapacity(resources[rng.int(0...29)], rng.double(1e8, 1e10), now: now)
                default:
                    guard let due = network.nextCompletion else { continue }
                    now = due
                    for c in network.advance(to: now) {
                        live.removeAll { $0 == c.id }
                        log.append((c.id, c.tag, c.end.nanoseconds, c.exactDuration.bitPattern, c.bytes.bitPattern))
                    }
                }
                for f in live { log.append((f, -2, 0, network.rate(f).bitPattern, 0)) }
            }
            return log
        }
        let a = run(), b = run()
        XCTAssertEqual(a.count, b.count)
        XCTAssertGreaterThan(a.filter { $0.1 >= 0 }.count, 100, "the sequence should complete many flows")
        for (x, y) in zip(a, b) {
            XCTAssertTrue(x.0 == y.0 && x.1 == y.1 && x.2 == y.2 && x.3 == y.3 && x.4 == y.4, "runs diverge at \(x) vs \(y)")
        }
    }
}
