import XCTest
import MigsimKernel
import MigsimNetwork

/// The max-min solver on hand-solved topologies.
///
/// Each test writes out the system it checks: capacities `C`, flows `x` with
/// their paths, the constraints (one per resource: the sum of the rates
/// crossing it is at most its capacity; one per capped flow), and the expected
/// max-min rates worked out by progressive filling. All comparisons are
/// relative, tolerance 1e-9.
final class MaxMinSolverTests: XCTestCase {
    func testSingleLinkSharedByNFlows() {
        // C(L) = 1000.
        // x1..xN all cross L:  x1 + ... + xN <= 1000.
        // Expected: xi = 1000 / N for every i.
        for n in [1, 2, 3, 7, 64] {
            let rates = maxMinRates(capacities: [1000], flows: Array(repeating: FlowSpec(path: [0]), count: n))
            for r in rates { assertRelative(r, 1000 / Double(n), "N = \(n)") }
        }
    }

    func testTwoLinksInSeries() {
        // C(A) = 100, C(B) = 60.
        // x1: A, B alone.       x1 <= 100, x1 <= 60.
        // Expected: x1 = 60 (B is the bottleneck).
        assertRelative(maxMinRates(capacities: [100, 60], flows: [FlowSpec(path: [0, 1])])[0], 60)

        // Same links, plus a flow on each link alone.
        // x1: A, B.   x2: A.   x3: B.
        //   A: x1 + x2 <= 100
        //   B: x1 + x3 <= 60
        // Filling: B's share 30 < A's share 50, so x1 = x3 = 30 (B saturated);
        // A has 70 left for x2 alone: x2 = 70 (A saturated).
        let rates = maxMinRates(capacities: [100, 60], flows: [FlowSpec(path: [0, 1]), FlowSpec(path: [0]), FlowSpec(path: [1])])
        assertRelative(rates[0], 30)
        assertRelative(rates[1], 70)
        assertRelative(rates[2], 30)
    }

    func testParkingLotEqualCapacities() {
        // Links A, B, C; C(A) = C(B) = C(C) = 10.
        // xL: A, B, C (the long flow).  xA: A.  xB: B.  xC: C.
        //   A: xL + xA <= 10
        //   B: xL + xB <= 10
        //   C: xL + xC <= 10
        // Every link's share is 5 and all saturate together: every rate is 5.
        let rates = parkingLot(a: 10, b: 10, c: 10)
        for r in rates { assertRelative(r, 5) }
    }

    func testParkingLotMiddleBottleneck() {
        // C(A) = 10, C(B) = 4, C(C) = 10; flows as in the equal case.
        // Shares: A 5, B 2, C 5. Level 2: xL = xB = 2 (B saturated).
        // A has 8 left for xA: xA = 8; C likewise: xC = 8.
        let rates = parkingLot(a: 10, b: 4, c: 10)
        assertRelative(rates[0], 2)   // xL
        assertRelative(rates[1], 8)   // xA
        assertRelative(rates[2], 2)   // xB
        assertRelative(rates[3], 8)   // xC
    }

    func testParkingLotLastLinkBottleneck() {
        // C(A) = 6, C(B) = 10, C(C) = 3.
        // Shares: A 3, B 5, C 1.5. Level 1.5: xL = xC = 1.5 (C saturated).
        // A: 6 - 1.5 = 4.5 for xA. B: 10 - 1.5 = 8.5 for xB.
        let rates = parkingLot(a: 6, b: 10, c: 3)
        assertRelative(rates[0], 1.5)
        assertRelative(rates[1], 4.5)
        assertRelative(rates[2], 8.5)
        assertRelative(rates[3], 1.5)
    }

    func testParkingLotTwoShortFlowsOnMiddleLink() {
        // C(A) = 10, C(B) = 9, C(C) = 10.
        // xL: A, B, C.  xA: A.  xB1, xB2: B.  xC: C.
        //   A: xL + xA <= 10
        //   B: xL + xB1 + xB2 <= 9
        //   C: xL + xC <= 10
        // Shares: A 5, B 3, C 5. Level 3: xL = xB1 = xB2 = 3 (B saturated).
        // A and C have 7 left each: xA = xC = 7.
        let rates = maxMinRates(capacities: [10, 9, 10], flows: [
            FlowSpec(path: [0, 1, 2]), FlowSpec(path: [0]), FlowSpec(path: [1]), FlowSpec(path: [1]), FlowSpec(path: [2]),
        ])
        for (r, e) in zip(rates, [3.0, 7, 3, 3, 7]) { assertRelative(r, e) }
    }

    func testCapBelowFairShareRedistributesLeftover() {
        // C(L) = 100. x1 (cap 10), x2, x3 all on L.
        //   L: x1 + x2 + x3 <= 100;  x1 <= 10.
        // Level min(100/3, 10) = 10: x1 = 10 (at its cap).
        // L has 90 left for x2, x3: 45 each.
        var rates = maxMinRates(capacities: [100], flows: [FlowSpec(path: [0], cap: 10), FlowSpec(path: [0]), FlowSpec(path: [0])])
        assertRelative(rates[0], 10)
        assertRelative(rates[1], 45)
        assertRelative(rates[2], 45)

        // Same with x1's cap 50, above the fair share 100/3: the cap does not bind.
        rates = maxMinRates(capacities: [100], flows: [FlowSpec(path: [0], cap: 50), FlowSpec(path: [0]), FlowSpec(path: [0])])
        for r in rates { assertRelative(r, 100.0 / 3) }

        // Two capped flows and one free flow across two links.
        // C(A) = 100, C(B) = 100. x1: A (cap 5). x2: A, B (cap 20). x3: B.
        //   A: x1 + x2 <= 100;  B: x2 + x3 <= 100;  x1 <= 5;  x2 <= 20.
        // Level 5: x1 = 5 (cap). Level 20: x2 = 20 (cap; A's share 95, B's 50).
        // B has 80 left for x3: x3 = 80.
        rates = maxMinRates(capacities: [100, 100], flows: [
            FlowSpec(path: [0], cap: 5), FlowSpec(path: [0, 1], cap: 20), FlowSpec(path: [1]),
        ])
        for (r, e) in zip(rates, [5.0, 20, 80]) { assertRelative(r, e) }
    }

    func testFlowWithEmptyPathRunsAtItsCap() {
        // No resource; x1 <= 7 only. Expected x1 = 7.
        assertRelative(maxMinRates(capacities: [], flows: [FlowSpec(path: [], cap: 7)])[0], 7)
    }

    func testAsymmetricCapacitiesBottleneckDiffersPerFlow() {
        // Four NIC directions: T1 (host 1 transmit) 10, T2 (host 2 transmit) 4,
        // R3 (host 3 receive) 6, R4 (host 4 receive) 12.
        // x1: T1→R3.  x2: T1→R4.  x3: T2→R3.  x4: T2→R4.
        //   T1: x1 + x2 <= 10
        //   T2: x3 + x4 <= 4
        //   R3: x1 + x3 <= 6
        //   R4: x2 + x4 <= 12
        // Shares: T1 5, T2 2, R3 3, R4 6. Level 2: x3 = x4 = 2 (T2 saturated).
        // Left: T1 10 for x1, x2 (share 5); R3 4 for x1 (share 4); R4 10 for x2 (share 10).
        // Level 4: x1 = 4 (R3 saturated). Left: T1 6 for x2; R4 10. Level 6: x2 = 6 (T1 saturated).
        // Each flow has a different bottleneck: x1 R3, x2 T1, x3 and x4 T2.
        let rates = maxMinRates(capacities: [10, 4, 6, 12], flows: [
            FlowSpec(path: [0, 2]), FlowSpec(path: [0, 3]), FlowSpec(path: [1, 2]), FlowSpec(path: [1, 3]),
        ])
        for (r, e) in zip(rates, [4.0, 6, 2, 2]) { assertRelative(r, e) }
    }

    func testZeroCapacityStallsItsFlows() {
        // C(A) = 0 (link down), C(B) = 10. x1: A, B. x2: B.
        //   A: x1 <= 0;  B: x1 + x2 <= 10.  Expected x1 = 0, x2 = 10.
        let network = FlowNetwork(solver: MaxMinSolver())
        let a = network.addResource(name: "A", capacity: 1)
        let b = network.addResource(name: "B", capacity: 10)
        network.setCapacity(a, 0, now: .zero)
        let f1 = network.startFlow(bytes: 100, path: [a, b], tag: 1, now: .zero)
        let f2 = network.startFlow(bytes: 100, path: [b], tag: 2, now: .zero)
        XCTAssertEqual(network.rate(f1), 0)
        assertRelative(network.rate(f2), 10)
        XCTAssertEqual(network.utilisation(a), 0)
        assertRelative(network.nextCompletion!.seconds, 10)
    }

    func testLoadAndUtilisation() {
        // C(A) = 100, C(B) = 60, C(C) = 5; x1: A, B; x2: A (cap 30); nothing on C.
        //   A: x1 + x2 <= 100;  B: x1 <= 60;  x2 <= 30.
        // Level 30: x2 = 30 (cap); then B's share 60 < A's 70: x1 = 60.
        // load(A) = 90 (utilisation 0.9), load(B) = 60, load(C) = 0.
        let network = FlowNetwork(solver: MaxMinSolver())
        let a = network.addResource(name: "A", capacity: 100)
        let b = network.addResource(name: "B", capacity: 60)
        let c = network.addResource(name: "C", capacity: 5)
        network.startFlow(bytes: 1e6, path: [a, b], tag: 0, now: .zero)
        network.startFlow(bytes: 1e6, path: [a], cap: 30, tag: 0, now: .zero)
        assertRelative(network.load(a), 90)
        assertRelative(network.utilisation(a), 0.9)
        assertRelative(network.load(b), 60)
        XCTAssertEqual(network.load(c), 0)
        XCTAssertEqual(network.name(b), "B")
        XCTAssertEqual(network.capacity(c), 5)
        XCTAssertEqual(network.resourceCount, 3)
    }

    /// The parking lot: links A, B, C; rates of [xL (A, B, C), xA, xB, xC].
    private func parkingLot(a: Double, b: Double, c: Double) -> [Double] {
        maxMinRates(capacities: [a, b, c], flows: [FlowSpec(path: [0, 1, 2]), FlowSpec(path: [0]), FlowSpec(path: [1]), FlowSpec(path: [2])])
    }
}
