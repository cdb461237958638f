import XCTest
import MigsimKernel
@testable import MigsimNetwork

/// The class representation (``FlowNetwork``: flow classes, cohorts, the
/// weighted ``MaxMinSolver``) against the flow-by-flow reference it replaced
/// (``ReferenceFlowNetwork``), bit for bit.
///
/// Claim checked: for the same sequence of calls, both give the same flow ids,
/// the same rates, loads, remaining bytes and next completion, and the same
/// completions (id, tag, bytes, start, end, exact duration), compared as bit
/// patterns. No tolerance: the class network must reproduce every rounding
/// of the reference (see ``FlowNetwork`` and ``MaxMinSolver``).
///
/// The random sequences are built to make classes and cohorts: few resources,
/// few distinct paths, caps and sizes, flows started in batches at one
/// instant, capacities drawn from a few values (ties), with cancels, cap and
/// capacity changes, wake-ups at ``FlowNetwork/nextCompletion`` and at
/// arbitrary times in between.
final class ClassCrossCheckTests: XCTestCase {
    /// Both networks, driven together; every call is checked.
    private struct Pair {
        let network = FlowNetwork(solver: MaxMinSolver())
        let reference = ReferenceFlowNetwork()
        var resources: [ResourceID] = []
        var live: [FlowID] = []
        var now = SimTime.zero
        var completions = 0
        let context: String

        init(context: String) { self.context = context }

        mutating func addResource(_ capacity: Double) {
            let a = network.addResource(name: "r\(resources.count)", capacity: capacity)
            let b = reference.addResource(name: "r\(resources.count)", capacity: capacity)
            XCTAssertEqual(a, b, context)
            resources.append(a)
        }

        mutating func start(bytes: Double, path: FlowPath, cap: Double, tag: Int) {
            let a = network.startFlow(bytes: bytes, path: path, cap: cap, tag: tag, now: now)
            let b = reference.startFlow(bytes: bytes, path: path, cap: cap, tag: tag, now: now)
            XCTAssertEqual(a, b, "flow ids \(context)")
            live.append(a)
        }

        mutating func cancel(_ i: Int) {
            let f = live.remove(at: i)
            XCTAssertEqual(network.cancelFlow(f, now: now).bitPattern, reference.cancelFlow(f, now: now).bitPattern,
                           "bytes done at cancel \(context)")
        }

        func setCap(_ f: FlowID, _ cap: Double) {
            network.setCap(f, cap, now: now)
            reference.setCap(f, cap, now: now)
        }

        func setCapacity(_ r: ResourceID, _ c: Double) {
            network.setCapacity(r, c, now: now)
            reference.setCapacity(r, c, now: now)
        }

        mutating func advance(to t: SimTime) {
            now = t
            let a = network.advance(to: t), b = reference.advance(to: t)
            XCTAssertEqual(a.count, b.count, "completions at \(t) \(context)")
            for (x, y) in zip(a, b) {
                XCTAssertTrue(x.id == y.id && x.tag == y.tag && x.bytes.bitPattern == y.bytes.bitPattern
                              && x.start == y.start && x.end == y.end
                              && x.exactDuration.bitPattern == y.exactDuration.bitPattern,
                              "completion \(x) vs reference \(y) \(context)")
            }
            let done = Set(a.map(\.id))
            live.removeAll { done.contains($0) }
            completions += a.count
        }

        /// Compares everything observable at `now`.
        func compare(_ step: Int) {
            XCTAssertEqual(network.activeFlowCount, reference.activeFlowCount, "\(context) step \(step)")
            XCTAssertEqual(network.nextCompletion, reference.nextCompletion, "next completion \(context) step \(step)")
            if !network.mayFinishNow, let due = network.nextCompletion {
                XCTAssertGreaterThan(due, network.lastUpdate, "mayFinishNow is false but a flow is due \(context) step \(step)")
            }
            for f in live {
                XCTAssertEqual(network.rate(f).bitPattern, reference.rate(f).bitPattern,
                               "rate of \(f): \(network.rate(f)) vs \(reference.rate(f)) \(context) step \(step)")
                XCTAssertEqual(network.remainingBytes(f, now: now).bitPattern, reference.remainingBytes(f, now: now).bitPattern,
                               "remaining of \(f) \(context) step \(step)")
                XCTAssertEqual(network.cap(f).bitPattern, reference.cap(f).bitPattern)
                XCTAssertEqual(network.path(f), reference.path(f))
            }
            for r in resources {
                XCTAssertEqual(network.load(r).bitPattern, reference.load(r).bitPattern,
                               "load of \(r): \(network.load(r)) vs \(reference.load(r)) \(context) step \(step)")
            }
        }
    }

    /// One random operation sequence; returns the number of completions.
    @discardableResult
    private func randomSequence(_ rng: inout TestRandom, trial: Int, operations: Int, batch: ClosedRange<Int>) -> Int {
        var pair = Pair(context: "trial \(trial)")
        let context = pair.context
        let capacityValues = (0..<3).map { _ in rng.double(1e6, 1e9) }
        for _ in 0..<rng.int(1...6) {
            pair.addResource(rng.next() % 2 == 0 ? capacityValues[rng.int(0...2)] : rng.double(1e6, 1e9))
        }
        let n = pair.resources.count
        var paths: [FlowPath] = []
        for _ in 0..<rng.int(1...4) {
            var p = FlowPath()
            let length = rng.int(0...min(3, n))
            while p.count < length {
                let r = pair.resources[rng.int(0...n - 1)]
                if !p.contains(r) { p.append(r) }
            }
            paths.append(p)
        }
        let caps = [Double.infinity, rng.double(1e5, 5e8), rng.double(1e5, 5e8)]
        let sizes = [rng.double(1e3, 1e9), rng.double(1e3, 1e9), 0, 1e9]
        var tag = 0
        for step in 0..<operations {
            switch rng.next() % 12 {
            case 0..<4:  // a batch of flows at one instant: cohorts form
                for _ in 0..<rng.int(batch) {
                    let path = paths[rng.int(0...paths.count - 1)]
                    var cap = caps[rng.int(0...2)]
                    if path.isEmpty && !cap.isFinite { cap = caps[1] }
                    pair.start(bytes: sizes[rng.int(0...3)], path: path, cap: cap, tag: tag)
                    tag += 1
                }
            case 4 where !pair.live.isEmpty:
                pair.cancel(rng.int(0...pair.live.count - 1))
            case 5 where !pair.live.isEmpty:
                let f = pair.live[rng.int(0...pair.live.count - 1)]
                var cap = caps[rng.int(0...2)]
                if pair.network.path(f).isEmpty && !cap.isFinite { cap = caps[2] }
                pair.setCap(f, cap)
            case 6:  // sometimes a link goes down (capacity 0: its flows stall) or a flow pauses (cap 0)
                let down = rng.next() % 8 == 0
                pair.setCapacity(pair.resources[rng.int(0...n - 1)],
                                 down ? 0 : rng.next() % 2 == 0 ? capacityValues[rng.int(0...2)] : rng.double(1e6, 1e9))
                if rng.next() % 8 == 0, !pair.live.isEmpty { pair.setCap(pair.live[rng.int(0...pair.live.count - 1)], 0) }
            case 7:  // a wake-up between completions
                if let due = pair.network.nextCompletion, due > pair.now {
                    let t = pair.now.nanoseconds + Int64(rng.unit() * Double(due.nanoseconds - pair.now.nanoseconds))
                    pair.advance(to: SimTime(nanoseconds: t))
                }
            default:
                if let due = pair.network.nextCompletion { pair.advance(to: due) }
            }
            pair.compare(step)
        }
        // Run to the end (links back up, paused flows resumed).
        for r in pair.resources where pair.network.capacity(r) == 0 { pair.setCapacity(r, capacityValues[0]) }
        for f in pair.live where pair.network.cap(f) == 0 { pair.setCap(f, caps[1]) }
        while let due = pair.network.nextCompletion { pair.advance(to: due) }
        XCTAssertEqual(pair.network.activeFlowCount, 0, context)
        pair.compare(operations)
        return pair.completions
    }

    func testRandomSequencesMatchTheFlowByFlowReferenceBitForBit() {
        var rng = TestRandom(state: 0xC1A5_5E5)
        var completions = 0
        for trial in 0..<3_000 {
            completions += randomSequence(&rng, trial: trial, operations: 40, batch: 1...6)
        }
        XCTAssertGreaterThan(completions, 100_000, "the sequences should complete many flows")
    }

    func testLargeBatchesMatchTheReference() {
        // Fewer trials, batches of up to 300 flows: long repeated subtractions
        // in the solver and long closed-form load sums.
        var rng = TestRandom(state: 77)
        for trial in 0..<60 {
            randomSequence(&rng, trial: trial, operations: 30, batch: 50...300)
        }
    }

    /// Thousands of flows on one link, started together: one class, one
    /// cohort; the same completions as the reference.
    func testThousandsOfFlowsOnOneLinkAreOneClassAndOneCohort() {
        var pair = Pair(context: "one link")
        pair.addResource(1.25e8)
        let path = FlowPath([pair.resources[0]])
        for i in 0..<3_000 { pair.start(bytes: 1_073_741_824, path: path, cap: 1.25e8, tag: i) }
        XCTAssertEqual(pair.network.activeClassCount, 1)
        XCTAssertEqual(pair.network.activeCohortCount, 1)
        pair.compare(0)
        pair.advance(to: pair.network.nextCompletion!)
        XCTAssertEqual(pair.completions, 3_000)
        XCTAssertEqual(pair.network.activeClassCount, 0)
        XCTAssertEqual(pair.network.activeCohortCount, 0)
    }
}

/// ``subtractRepeatedly(_:_:count:)`` and ``addRepeatedly(_:count:)`` against the loops they replace.
final class RepeatedSubtractionTests: XCTestCase {
    private func loop(_ x: Double, _ y: Double, _ n: Int) -> Double {
        var a = x
        for _ in 0..<n { a -= y }
        return a
    }

    private func check(_ x: Double, _ y: Double, _ n: Int, file: StaticString = #filePath, line: UInt = #line) {
        let want = loop(x, y, n), got = subtractRepeatedly(x, y, count: n)
        XCTAssertTrue(got.bitPattern == want.bitPattern || (got.isNaN && want.isNaN),
                      "\(x) - \(y) × \(n): \(got) vs loop \(want)", file: file, line: line)
    }

    func testRandomValuesMatchTheLoop() {
        var rng = TestRandom(state: 5)
        for _ in 0..<20_000 {
            let x = rng.double(0, 1) * pow(2, Double(rng.int(-20...40)))
            let n = rng.int(0...3_000)
            // Shares near x / n (a resource being filled), and arbitrary ones.
            let y = rng.next() % 2 == 0 ? x / Double(max(n, 1)) * rng.double(0.9, 1.1)
                                        : rng.double(0, 1) * pow(2, Double(rng.int(-30...40)))
            check(x, y, n)
            check(-x, y, n)
        }
    }

    func testEdgeCasesMatchTheLoop() {
        // Ties: y exactly halfway between multiples of the ulp of x.
        let x = 1.0, u = x.ulp
        check(x, 3 * u + u / 2, 1_000)
        check(x, u / 2, 1_000)
        check(1.5, 0.5.ulp * 7.5, 999)
        // Crossing zero, reaching zero exactly, subnormals, fixed points, zero steps.
        check(10, 1, 25)
        check(0x1p-1030, 0x1p-1037, 500)  // subnormal
        check(1e300, 1, 1_000_000)
        check(0, 0.1, 100)
        check(-0.0, 0.1, 100)
        check(1, 0, 10)
        check(1, 0.25, 0)
        check(1, -0.1, 50)
        check(1, .infinity, 3)
        check(.infinity, 1, 3)
        check(.nan, 1, 3)
        check(2, .ulpOfOne, 10_000)
        check(1.25e8, 1.25e8 / 3, 3)
        check(1.25e8, 1.25e8 / 100_000, 100_000)
    }

    func testRepeatedAdditionMatchesTheLoop() {
        var rng = TestRandom(state: 6)
        for _ in 0..<5_000 {
            let y = rng.double(0, 1) * pow(2, Double(rng.int(-10...40)))
            let n = rng.int(0...5_000)
            var want = 0.0
            for _ in 0..<n { want += y }
            XCTAssertEqual(addRepeatedly(y, count: n).bitPattern, want.bitPattern, "\(y) × \(n)")
        }
        XCTAssertEqual(addRepeatedly(0, count: 4).bitPattern, (0.0 + 0 + 0 + 0 + 0).bitPattern)
    }
}
