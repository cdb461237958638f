import XCTest
import MigsimKernel
@testable import MigsimNetwork

/// The class representation (``FlowNetwork``: flow classes with virtual
/// clocks, cohorts, the weighted ``MaxMinSolver``) against the flow-by-flow
/// reference it replaced (``ReferenceFlowNetwork``), with stated tolerances.
///
/// Claims checked, for the same sequence of calls:
/// - whenever both hold the same flows, every rate is the same bit for bit
///   (the same problem, solved as progressive filling solves it), every
///   load agrees to 1e-12 relative (summed over the same rates, maybe in
///   another order), and the next completion agrees to 2 ns plus 2e-9 of the
///   longest live flow's duration (the reference may finish a flow up to
///   1e-9 of its size early, when it is asked within that window);
/// - remaining bytes and bytes done at a cancel agree to 1e-9 of the flow's
///   size plus 1e-6 bytes (a clock difference against repeated subtraction);
/// - every flow completes in both, with the same bytes and start, an end time
///   within 2 ns plus 2e-9 of its duration, and an exact duration within
///   the same (a flow the reference finished early ran on in the other, at
///   rates that had not yet changed).
///
/// Flows are named by their tags, since a completion reported one advance
/// later in one network frees its slot later. The random sequences are built
/// to make classes and cohorts: few resources, few distinct paths, caps and
/// sizes, flows started in batches at one instant, capacities drawn from a
/// few values (ties), with cancels, cap and capacity changes, wake-ups at
/// ``FlowNetwork/nextCompletion`` and at arbitrary times in between.
final class ClassCrossCheckTests: XCTestCase {
    /// Both networks, driven together; every call is checked.
    private struct Pair {
        let network = FlowNetwork(solver: MaxMinSolver())
        let reference = ReferenceFlowNetwork()
        var resources: [ResourceID] = []
        /// Tags of the flows live in both, and each tag's id in each network.
        var live: [Int] = []
        var ids: [Int: (FlowID, FlowID)] = [:]
        var sizes: [Int: Double] = [:]
        /// Completions seen in one network only so far, by tag.
        var onlyNetwork: [Int: FlowCompletion] = [:]
        var onlyReference: [Int: FlowCompletion] = [:]
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
            ids[tag] = (a, b)
            sizes[tag] = bytes
            live.append(tag)
        }

        func bytesTolerance(_ tag: Int) -> Double { 1e-9 * sizes[tag]! + 1e-6 }

        mutating func cancel(_ i: Int) {
            let tag = live.remove(at: i)
            let (a, b) = ids[tag]!
            let x = network.cancelFlow(a, now: now), y = reference.cancelFlow(b, now: now)
            XCTAssertLessThanOrEqual(abs(x - y), bytesTolerance(tag), "bytes done at cancel \(context)")
        }

        func setCap(_ tag: Int, _ cap: Double) {
            let (a, b) = ids[tag]!
            network.setCap(a, cap, now: now)
            reference.setCap(b, cap, now: now)
        }

        func setCapacity(_ r: ResourceID, _ c: Double) {
            network.setCapacity(r, c, now: now)
            reference.setCapacity(r, c, now: now)
        }

        /// The earlier of the two networks' next completions.
        var nextCompletion: SimTime? {
            switch (network.nextCompletion, reference.nextCompletion) {
            case let (a?, b?): return min(a, b)
            case let (a, b): return a ?? b
            }
        }

        mutating func advance(to t: SimTime) {
            now = t
            for c in network.advance(to: t) {
                if let other = onlyReference.removeValue(forKey: c.tag) { check(c, other) } else { onlyNetwork[c.tag] = c }
            }
            for c in reference.advance(to: t) {
                if let other = onlyNetwork.removeValue(forKey: c.tag) { check(other, c) } else { onlyReference[c.tag] = c }
            }
            live.removeAll { onlyNetwork[$0] != nil || onlyReference[$0] != nil || ids[$0] == nil }
        }

        /// One flow's completion in both networks.
        mutating func check(_ x: FlowCompletion, _ y: FlowCompletion) {
            let duration = (y.end - y.start).seconds
            XCTAssertEqual(x.bytes.bitPattern, y.bytes.bitPattern, "bytes of tag \(x.tag) \(context)")
            XCTAssertEqual(x.start, y.start, "start of tag \(x.tag) \(context)")
            XCTAssertLessThanOrEqual(abs((x.end - y.end).seconds), 2e-9 + 2e-9 * duration,
                                     "end of tag \(x.tag): \(x.end) vs \(y.end) \(context)")
            XCTAssertLessThanOrEqual(abs(x.exactDuration - y.exactDuration), 2e-9 + 2e-9 * duration,
                                     "exact duration of tag \(x.tag): \(x.exactDuration) vs \(y.exactDuration) \(context)")
            ids[x.tag] = nil
            completions += 1
        }

        /// Compares everything observable at `now`.
        func compare(_ step: Int) {
            if !network.mayFinishNow, let due = network.nextCompletion {
                XCTAssertGreaterThan(due, network.lastUpdate, "mayFinishNow is false but a flow is due \(context) step \(step)")
            }
            for tag in live {
                let (a, b) = ids[tag]!
                XCTAssertLessThanOrEqual(abs(network.remainingBytes(a, now: now) - reference.remainingBytes(b, now: now)),
                                         bytesTolerance(tag), "remaining of tag \(tag) \(context) step \(step)")
                XCTAssertEqual(network.cap(a).bitPattern, reference.cap(b).bitPattern)
                XCTAssertEqual(network.path(a), reference.path(b))
            }
            // The same flows in both: the same problem.
            guard onlyNetwork.isEmpty && onlyReference.isEmpty else { return }
            XCTAssertEqual(network.activeFlowCount, reference.activeFlowCount, "\(context) step \(step)")
            var longest = 0.0
            for tag in live {
                let (a, b) = ids[tag]!
                XCTAssertEqual(network.rate(a).bitPattern, reference.rate(b).bitPattern,
                               "rate of tag \(tag): \(network.rate(a)) vs \(reference.rate(b)) \(context) step \(step)")
                if reference.rate(b) > 0 { longest = max(longest, sizes[tag]! / reference.rate(b)) }
            }
            for r in resources {
                let x = network.load(r), y = reference.load(r)
                XCTAssertLessThanOrEqual(abs(x - y), 1e-12 * abs(y), "load of \(r): \(x) vs \(y) \(context) step \(step)")
            }
            switch (network.nextCompletion, reference.nextCompletion) {
            case let (x?, y?):
                XCTAssertLessThanOrEqual(abs((x - y).seconds), 2e-9 + 2e-9 * longest,
                                         "next completion \(x) vs \(y) \(context) step \(step)")
            case (nil, nil): break
            case let (x, y): XCTFail("next completion \(String(describing: x)) vs \(String(describing: y)) \(context) step \(step)")
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
                if pair.network.path(pair.ids[f]!.0).isEmpty && !cap.isFinite { cap = caps[2] }
                pair.setCap(f, cap)
            case 6:  // sometimes a link goes down (capacity 0: its flows stall) or a flow pauses (cap 0)
                let down = rng.next() % 8 == 0
                pair.setCapacity(pair.resources[rng.int(0...n - 1)],
                                 down ? 0 : rng.next() % 2 == 0 ? capacityValues[rng.int(0...2)] : rng.double(1e6, 1e9))
                if rng.next() % 8 == 0, !pair.live.isEmpty { pair.setCap(pair.live[rng.int(0...pair.live.count - 1)], 0) }
            case 7:  // a wake-up between completions
                if let due = pair.nextCompletion, due > pair.now {
                    let t = pair.now.nanoseconds + Int64(rng.unit() * Double(due.nanoseconds - pair.now.nanoseconds))
                    pair.advance(to: SimTime(nanoseconds: t))
                }
            default:
                if let due = pair.nextCompletion { pair.advance(to: due) }
            }
            pair.compare(step)
        }
        // Run to the end (links back up, paused flows resumed).
        for r in pair.resources where pair.network.capacity(r) == 0 { pair.setCapacity(r, capacityValues[0]) }
        for f in pair.live where pair.network.cap(pair.ids[f]!.0) == 0 { pair.setCap(f, caps[1]) }
        while let due = pair.nextCompletion { pair.advance(to: due) }
        XCTAssertEqual(pair.network.activeFlowCount, 0, context)
        XCTAssertEqual(pair.reference.activeFlowCount, 0, context)
        XCTAssertTrue(pair.onlyNetwork.isEmpty && pair.onlyReference.isEmpty, "a flow completed in one network only \(context)")
        pair.compare(operations)
        return pair.completions
    }

    func testRandomSequencesMatchTheFlowByFlowReference() {
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

/// The single-level path of ``MaxMinSolver`` (every class crossing one
/// resource whose share is the smallest) against the flow-by-flow reference
/// solver, bit for bit, on random evacuation-like problems: hosts' NICs in
/// and out and a core every flow crosses, whose capacity is drawn so that it
/// is sometimes the bottleneck and sometimes not, with caps now and then.
final class SingleLevelTests: XCTestCase {
    func testSingleLevelRatesMatchTheReferenceBitForBit() {
        var rng = TestRandom(state: 0x5EED)
        var taken = 0
        let trials = 2_000
        for trial in 0..<trials {
            let hosts = rng.int(2...8)
            var problem = SharingProblem()
            var reference = ReferenceProblem()
            func add(_ c: Double) {
                problem.capacities.append(c)
                problem.flowsOn.append(0)
                problem.classesOn.append(0)
                reference.capacities.append(c)
            }
            let nic = rng.double(1e8, 1.25e9)
            for _ in 0..<(2 * hosts) { add(rng.next() % 4 == 0 ? rng.double(1e8, 1.25e9) : nic) }
            add(nic * rng.double(0.5, Double(hosts)))  // the core
            let core = ResourceID(index: Int32(2 * hosts))
            for c in 0..<rng.int(1...12) {
                let a = rng.int(0...hosts - 1), b = (a + rng.int(1...hosts - 1)) % hosts
                let path = FlowPath([ResourceID(index: Int32(a)), core, ResourceID(index: Int32(hosts + b))])
                let cap = rng.next() % 5 == 0 ? rng.double(1e7, 1e9) : Double.infinity
                let count = Int32(rng.int(1...40))
                problem.classes.append(Int32(c))
                problem.paths.append(path)
                problem.caps.append(cap)
                problem.counts.append(count)
                for r in path {
                    problem.flowsOn[Int(r.index)] += count
                    problem.classesOn[Int(r.index)] += 1
                }
                for _ in 0..<count {
                    reference.flows.append(Int32(reference.paths.count))
                    reference.paths.append(path)
                    reference.caps.append(cap)
                }
            }
            if MaxMinSolver.singleLevel(problem) != nil { taken += 1 }
            var solver = MaxMinSolver(), referenceSolver = ReferenceMaxMinSolver()
            var rates = [Double](repeating: -1, count: problem.classes.count)
            var flowRates = [Double](repeating: -1, count: reference.paths.count)
            solver.solve(problem, rates: &rates)
            referenceSolver.solve(reference, rates: &flowRates)
            var flow = 0
            for c in problem.classes {
                for _ in 0..<problem.counts[Int(c)] {
                    XCTAssertEqual(rates[Int(c)].bitPattern, flowRates[flow].bitPattern, "trial \(trial) class \(c)")
                    flow += 1
                }
            }
        }
        // Both paths are exercised.
        XCTAssertGreaterThan(taken, trials / 10)
        XCTAssertLessThan(taken, trials * 9 / 10)
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
