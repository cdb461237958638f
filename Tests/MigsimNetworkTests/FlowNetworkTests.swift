import XCTest
import MigsimKernel
import MigsimNetwork

/// Flows over time: progress, rescheduled completions, cancel, caps, capacities.
///
/// Unless stated otherwise one link L of 1 GB/s (1e9 B/s) carries 1 GB (1e9 B)
/// flows, so a lone flow takes exactly 1 s.
final class FlowNetworkTests: XCTestCase {
    private var network: FlowNetwork<MaxMinSolver>!
    private var link: ResourceID!

    override func setUp() {
        network = FlowNetwork(solver: MaxMinSolver())
        link = network.addResource(name: "L", capacity: 1e9)
    }

    func testTwoEqualFlowsStartingTogetherFinishAtTwoSeconds() {
        // x1 + x2 <= 1e9 → 5e8 each; 1e9 B / 5e8 B/s = 2 s.
        let f1 = network.startFlow(bytes: 1e9, path: [link], tag: 1, now: .zero)
        let f2 = network.startFlow(bytes: 1e9, path: [link], tag: 2, now: .zero)
        assertRelative(network.rate(f1), 5e8)
        assertRelative(network.rate(f2), 5e8)
        XCTAssertEqual(network.nextCompletion, .s(2))
        let done = network.advance(to: .s(2))
        XCTAssertEqual(done.map(\.id), [f1, f2])
        XCTAssertEqual(done.map(\.tag), [1, 2])
        for c in done {
            XCTAssertEqual(c.start, .zero)
            XCTAssertEqual(c.end, .s(2))
            XCTAssertEqual(c.bytes, 1e9)
            assertRelative(c.exactDuration, 2, tolerance: 1e-12)
        }
        XCTAssertEqual(network.activeFlowCount, 0)
        XCTAssertNil(network.nextCompletion)
        XCTAssertFalse(network.isActive(f1))
    }

    func testFlowStartingHalfwayReschedulesTheFirst() {
        // A alone: 1e9 B/s, due at 1 s. At 0.5 s (A half done, 5e8 B left) B starts:
        // both at 5e8 B/s, so A is due at 0.5 + 5e8/5e8 = 1.5 s. B has 5e8 B left
        // then and the whole link: due at 1.5 + 0.5 = 2 s.
        let a = network.startFlow(bytes: 1e9, path: [link], tag: 0, now: .zero)
        XCTAssertEqual(network.nextCompletion, .s(1))
        XCTAssertTrue(network.advance(to: .s(0.5)).isEmpty)
        assertRelative(network.remainingBytes(a, now: .s(0.5)), 5e8)
        let b = network.startFlow(bytes: 1e9, path: [link], tag: 0, now: .s(0.5))
        assertRelative(network.rate(a), 5e8)
        XCTAssertEqual(network.nextCompletion, .s(1.5))

        let first = network.advance(to: .s(1.5))
        XCTAssertEqual(first.map(\.id), [a])
        assertRelative(first[0].exactDuration, 1.5, tolerance: 1e-12)
        assertRelative(network.rate(b), 1e9)
        assertRelative(network.remainingBytes(b, now: .s(1.5)), 5e8)
        XCTAssertEqual(network.nextCompletion, .s(2))

        let second = network.advance(to: .s(2))
        XCTAssertEqual(second.map(\.id), [b])
        XCTAssertEqual(second[0].start, .s(0.5))
        assertRelative(second[0].exactDuration, 1.5, tolerance: 1e-12)
    }

    func testCancelReturnsBytesDoneAndFreesBandwidth() {
        // Alone for 0.25 s at 1e9 B/s: 2.5e8 B done.
        let lone = network.startFlow(bytes: 1e9, path: [link], tag: 0, now: .zero)
        assertRelative(network.cancelFlow(lone, now: .s(0.25)), 2.5e8)
        XCTAssertEqual(network.activeFlowCount, 0)
        XCTAssertFalse(network.isActive(lone))
        XCTAssertNil(network.nextCompletion)

        // Two flows from 0.25 s at 5e8 B/s each; cancel f1 at 0.75 s (2.5e8 B done).
        // f2 has 7.5e8 B left at 1e9 B/s: due at 1.5 s.
        let f1 = network.startFlow(bytes: 1e9, path: [link], tag: 1, now: .s(0.25))
        let f2 = network.startFlow(bytes: 1e9, path: [link], tag: 2, now: .s(0.25))
        XCTAssertEqual(network.nextCompletion, .s(2.25))
        assertRelative(network.cancelFlow(f1, now: .s(0.75)), 2.5e8)
        XCTAssertEqual(network.nextCompletion, .s(1.5))
        XCTAssertEqual(network.advance(to: .s(1.5)).map(\.id), [f2])
    }

    func testSetCapMidFlight() {
        // 0.5 s at 1e9 B/s (5e8 B done), then capped at 2.5e8 B/s: 5e8 / 2.5e8 = 2 s more.
        let f = network.startFlow(bytes: 1e9, path: [link], tag: 0, now: .zero)
        network.setCap(f, 2.5e8, now: .s(0.5))
        XCTAssertEqual(network.cap(f), 2.5e8)
        assertRelative(network.rate(f), 2.5e8)
        XCTAssertEqual(network.nextCompletion, .s(2.5))
        // At 1.5 s (2.5e8 B left) the cap is lifted: 0.25 s more.
        network.setCap(f, .infinity, now: .s(1.5))
        XCTAssertEqual(network.nextCompletion, .s(1.75))
        let done = network.advance(to: .s(1.75))
        XCTAssertEqual(done.map(\.id), [f])
        assertRelative(done[0].exactDuration, 1.75, tolerance: 1e-12)
    }

    func testSetCapToZeroPausesAFlow() {
        // Paused from 0.5 s to 1.5 s: done at 2 s instead of 1 s.
        let f = network.startFlow(bytes: 1e9, path: [link], tag: 0, now: .zero)
        network.setCap(f, 0, now: .s(0.5))
        XCTAssertNil(network.nextCompletion)
        network.setCap(f, .infinity, now: .s(1.5))
        XCTAssertEqual(network.nextCompletion, .s(2))
    }

    func testSetCapacityMidFlight() {
        // 0.5 s at 1e9 B/s, then the link doubles: 5e8 / 2e9 = 0.25 s more.
        let f = network.startFlow(bytes: 1e9, path: [link], tag: 0, now: .zero)
        network.setCapacity(link, 2e9, now: .s(0.5))
        XCTAssertEqual(network.capacity(link), 2e9)
        assertRelative(network.rate(f), 2e9)
        XCTAssertEqual(network.nextCompletion, .s(0.75))
        XCTAssertEqual(network.advance(to: .s(0.75)).map(\.id), [f])
    }

    func testZeroByteFlowCompletesAtTheSameTime() {
        _ = network.advance(to: .s(1))
        let f = network.startFlow(bytes: 0, path: [link], tag: 7, now: .s(1))
        let paused = network.startFlow(bytes: 0, path: [], cap: 0, tag: 8, now: .s(1))
        XCTAssertEqual(network.nextCompletion, .s(1))
        let done = network.advance(to: .s(1))
        XCTAssertEqual(done.map(\.id), [f, paused])
        XCTAssertEqual(done.map(\.exactDuration), [0, 0])
        XCTAssertEqual(done.map(\.end), [.s(1), .s(1)])
    }

    func testCompletionsAreInFlowIndexOrderAndIdsAreNotReused() {
        // Slots are reused through a free list; completions still come out by index.
        let f0 = network.startFlow(bytes: 1e9, path: [link], tag: 0, now: .zero)
        let f1 = network.startFlow(bytes: 1e9, path: [link], tag: 1, now: .zero)
        let f2 = network.startFlow(bytes: 1e9, path: [link], tag: 2, now: .zero)
        network.cancelFlow(f0, now: .zero)
        let g = network.startFlow(bytes: 1e9, path: [link], tag: 3, now: .zero)
        XCTAssertEqual(g.index, f0.index)
        XCTAssertNotEqual(g, f0)
        XCTAssertFalse(network.isActive(f0))
        XCTAssertTrue(network.isActive(g))
        // Three flows at 1e9/3 B/s: all due at 3 s.
        let done = network.advance(to: network.nextCompletion!)
        XCTAssertEqual(done.map(\.id), [g, f1, f2])
        XCTAssertEqual(done.map(\.tag), [3, 1, 2])
    }

    func testAdvanceAtArbitraryTimesDoesNotChangeTheOutcome() {
        // One flow of 1e9 B over A (3e8 B/s) → 10/3 s; advancing in 37 uneven
        // steps before that changes nothing.
        let a = network.addResource(name: "A", capacity: 3e8)
        let f = network.startFlow(bytes: 1e9, path: [a], tag: 0, now: .zero)
        let due = network.nextCompletion!
        var t = SimTime.zero
        for i in 1...37 {
            t = t + SimDuration(nanoseconds: 12_345_678 * Int64(i % 5 + 1))
            XCTAssertTrue(network.advance(to: t).isEmpty)
            XCTAssertEqual(network.nextCompletion, due)
        }
        let done = network.advance(to: due)
        XCTAssertEqual(done.map(\.id), [f])
        assertRelative(done[0].exactDuration, 1e9 / 3e8, tolerance: 1e-12)
    }

    func testLateAdvanceStillReportsTheExactDuration() {
        // Due at 1 s; the caller only advances at 3 s, with nothing else happening.
        let f = network.startFlow(bytes: 1e9, path: [link], tag: 0, now: .zero)
        let done = network.advance(to: .s(3))
        XCTAssertEqual(done.map(\.id), [f])
        XCTAssertEqual(done[0].end, .s(3))
        assertRelative(done[0].exactDuration, 1, tolerance: 1e-12)
    }

    func testSimGridReferenceOneFlowThenTwo() {
        // SimGrid's validation pattern: one transfer alone takes T; two identical
        // ones at once on the same path take 2T each.
        // Path: source NIC transmit 1.2125e8 B/s (1 GbE × 0.97), core 1.25e9 B/s,
        // target NIC receive 1.2125e8 B/s; X = 1 GiB.
        //   alone:  x <= 1.2125e8 → T = X / 1.2125e8.
        //   two:    x1 + x2 <= 1.2125e8 → 6.0625e7 each → 2T.
        let x = 1024.0 * 1024 * 1024
        func run(flows: Int) -> [FlowCompletion] {
            let net = FlowNetwork(solver: MaxMinSolver())
            let path = [net.addResource(name: "src.tx", capacity: 1.2125e8),
                        net.addResource(name: "core", capacity: 1.25e9),
                        net.addResource(name: "dst.rx", capacity: 1.2125e8)]
            for i in 0..<flows { net.startFlow(bytes: x, path: path, tag: i, now: .zero) }
            return net.advance(to: net.nextCompletion!)
        }
        let t = x / 1.2125e8
        let one = run(flows: 1)
        XCTAssertEqual(one.count, 1)
        assertRelative(one[0].exactDuration, t)
        let two = run(flows: 2)
        XCTAssertEqual(two.count, 2)
        for c in two { assertRelative(c.exactDuration, 2 * t) }
        assertRelative(two[0].end.seconds, 2 * one[0].end.seconds)
    }

    func testExactDurationIsBytesOverRateWithoutNanosecondRounding() {
        // Constant-rate flows whose bytes/rate is not a whole number of
        // nanoseconds, some starting at odd times, one with an unrelated change
        // (a flow on another resource) part-way: exactDuration = bytes/rate to
        // 1e-12, end - start = that rounded up to the nanosecond.
        let cases: [(bytes: Double, capacity: Double, start: Int64)] = [
            (1e9, 7e8, 0), (123_456_789, 3.3e7, 1_234_567_891), (1, 3, 5), (4096, 1.17e9, 999),
            (8.1e10, 1.2125e9, 42),
        ]
        for (bytes, capacity, startNs) in cases {
            let net = FlowNetwork(solver: MaxMinSolver())
            let r = net.addResource(name: "r", capacity: capacity)
            let other = net.addResource(name: "other", capacity: 1)
            let start = SimTime(nanoseconds: startNs)
            _ = net.advance(to: start)
            let f = net.startFlow(bytes: bytes, path: [r], tag: 0, now: start)
            let exact = bytes / capacity
            let midway = start + SimDuration(nanoseconds: Int64(exact * 0.4e9))
            net.startFlow(bytes: 1e30, path: [other], tag: 1, now: midway)
            let due = net.nextCompletion!
            let done = net.advance(to: due)
            XCTAssertEqual(done.map(\.id), [f])
            assertRelative(done[0].exactDuration, exact, tolerance: 1e-12, "bytes \(bytes) capacity \(capacity)")
            let ns = (due - start).nanoseconds
            XCTAssertGreaterThanOrEqual(Double(ns), exact * 1e9 * (1 - 1e-15))
            XCTAssertLessThan(Double(ns - 1), exact * 1e9)
        }
    }

    func testRemainingBytesDoesNotChangeState() {
        let f = network.startFlow(bytes: 1e9, path: [link], tag: 0, now: .zero)
        assertRelative(network.remainingBytes(f, now: .s(0.3)), 7e8)
        assertRelative(network.remainingBytes(f, now: .s(0.6)), 4e8)
        XCTAssertEqual(network.remainingBytes(f, now: .s(5)), 0)
        XCTAssertEqual(network.lastUpdate, .zero)
        XCTAssertEqual(network.nextCompletion, .s(1))
    }

    func testPrebuiltPathMatchesArrayPath() {
        var path = FlowPath()
        path.append(link)
        XCTAssertEqual(path, FlowPath([link]))
        XCTAssertEqual(Array(path), [link])
        let f = network.startFlow(bytes: 1e9, path: path, tag: 0, now: .zero)
        XCTAssertEqual(network.rate(f), 1e9)
    }

    func testMayFinishNowBoundsTheNextCompletionWithoutSolving() {
        // 1 GB at <= 1e9 B/s: at least 1 s away, so nothing can finish now.
        let f = network.startFlow(bytes: 1e9, path: [link], tag: 0, now: .zero)
        XCTAssertFalse(network.mayFinishNow)
        // A zero-byte flow finishes at once.
        let z = network.startFlow(bytes: 0, path: [link], tag: 1, now: .zero)
        XCTAssertTrue(network.mayFinishNow)
        XCTAssertEqual(network.nextCompletion, .zero)
        XCTAssertEqual(network.advance(to: .zero).map(\.id), [z])
        XCTAssertFalse(network.mayFinishNow)
        XCTAssertTrue(network.advance(to: .s(0.5)).isEmpty)
        XCTAssertFalse(network.mayFinishNow)
        // Half a byte at 5e8 B/s (the link shared with f) takes a
        // nanosecond: due at 0.5 s + 1 ns, within mayFinishNow's
        // one-nanosecond margin, so flagged.
        let tiny = network.startFlow(bytes: 0.5, path: [link], tag: 2, now: .s(0.5))
        XCTAssertTrue(network.mayFinishNow)
        let oneNanosecond = SimTime(nanoseconds: 500_000_001)
        XCTAssertEqual(network.nextCompletion, oneNanosecond)
        XCTAssertTrue(network.advance(to: .s(0.5)).isEmpty)
        XCTAssertEqual(network.advance(to: oneNanosecond).map(\.id), [tiny])
        XCTAssertFalse(network.mayFinishNow)
        // f: 5e8 bytes left at 0.5 s, less the half byte it got while sharing,
        // at 1e9 B/s alone: 1 s + 0.5 ns, rounded up to a whole nanosecond.
        XCTAssertEqual(network.nextCompletion, SimTime(nanoseconds: 1_000_000_001))
        XCTAssertTrue(network.isActive(f))
    }

    /// A class that lives 30 days keeps its flows' times to the nanosecond
    /// (found in review: its clock counted every byte since the class began,
    /// and at 2^51 bytes a flow finished ~200 ns off once the class's rate
    /// fell). One flow keeps the class alive at 1.25 GB/s for 30 days, then
    /// 1,000 flows of another cap join the link (the class's rate falls to
    /// 1.25e9 / 1,002 B/s), and 20 small flows of the class start one after
    /// another. Each ends within 2 ns after its exact time and reports that
    /// time within 1 ns. A flow of the class started 3 ns before an announced
    /// completion (which moves the class's clock, and slows it a little)
    /// never brings that completion earlier, and mayFinishNow stays right.
    func testAClassLivingThirtyDaysKeepsItsTimesToTheNanosecond() {
        let network = FlowNetwork(solver: MaxMinSolver())
        let l = network.addResource(name: "l", capacity: 1.25e9)
        let p = FlowPath([l])
        _ = network.startFlow(bytes: 1e18, path: p, tag: -1, now: .zero)
        var now = SimTime.s(30 * 86_400)
        for i in 0..<1_000 { _ = network.startFlow(bytes: 1e18, path: p, cap: 1e12, tag: -2 - i, now: now) }
        let rate = 1.25e9 / 1_002
        for k in 0..<20 {
            let bytes = 1e4 + Double(k) * 37.123456789
            _ = network.startFlow(bytes: bytes, path: p, tag: k, now: now)
            let exact = bytes / rate
            let due = network.nextCompletion!
            let late = Double((due - now).nanoseconds) - exact * 1e9
            XCTAssertTrue(late >= 0 && late < 2, "flow \(k) due \(late) ns after its exact time")
            let ahead = SimTime(nanoseconds: due.nanoseconds - 3)
            XCTAssertTrue(network.advance(to: ahead).isEmpty, "flow \(k)")
            let joiner = network.startFlow(bytes: 5e4, path: p, tag: 100 + k, now: ahead)
            let may = network.mayFinishNow
            let next = network.nextCompletion!
            XCTAssertGreaterThanOrEqual(next, due, "flow \(k): a join brought the completion earlier")
            if !may { XCTAssertGreaterThan(next, ahead, "flow \(k): mayFinishNow false but a flow is due") }
            let c = network.advance(to: next).first { $0.tag == k }
            XCTAssertNotNil(c, "flow \(k)")
            XCTAssertEqual(c?.exactDuration ?? 0, exact, accuracy: 1e-9, "flow \(k)")
            now = next
            network.cancelFlow(joiner, now: now)
        }
    }
}
