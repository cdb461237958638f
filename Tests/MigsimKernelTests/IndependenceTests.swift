import Foundation
import MigsimKernel
import MigsimRandom
import XCTest

/// Schedulers share no state: two in one process, interleaved or on two
/// threads at once, behave exactly as each does alone.
final class IndependenceTests: XCTestCase {
    /// A seeded self-rescheduling workload on its own scheduler.
    final class Workload {
        let s: DefaultScheduler<Int>
        var rng: SplitMix64

        init(seed: UInt64, start: SimTime = .zero) throws {
            s = DefaultScheduler<Int>(start: start)
            rng = SplitMix64(seed: seed)
            for i in 0..<20 { try s.schedule(after: SimDuration(nanoseconds: Int64.random(in: 0...100, using: &rng)), i) }
        }

        /// Runs one event, schedules its successor plus, one time in five, an
        /// extra event that is cancelled, and returns the event's time.
        func step() throws -> Int64? {
            guard let p = s.step() else { return nil }
            try s.schedule(after: SimDuration(nanoseconds: Int64.random(in: 0...50, using: &rng)), p &+ 20)
            if Int.random(in: 0..<5, using: &rng) == 0 {
                s.cancel(try s.schedule(after: SimDuration(nanoseconds: Int64.random(in: 0...50, using: &rng)), -p))
            }
            return s.now.nanoseconds
        }

        static func alone(seed: UInt64, steps: Int) throws -> [Int64] {
            let w = try Workload(seed: seed)
            return try (0..<steps).compactMap { _ in try w.step() }
        }
    }

    func testTwoSchedulersHaveSeparateClocksQueuesAndStopFlags() throws {
        let a = DefaultScheduler<Int>(), b = DefaultScheduler<Int>(start: SimTime(nanoseconds: 1_000_000))
        try a.schedule(at: SimTime(nanoseconds: 10), 1)
        try b.schedule(at: SimTime(nanoseconds: 2_000_000), 2)
        try a.schedule(at: SimTime(nanoseconds: 20), 3)
        XCTAssertEqual(a.pendingCount, 2)
        XCTAssertEqual(b.pendingCount, 1)
        XCTAssertEqual(b.step(), 2)
        XCTAssertEqual(b.now, SimTime(nanoseconds: 2_000_000))
        XCTAssertEqual(a.now, .zero, "stepping one scheduler moved the other's clock")
        XCTAssertEqual(a.eventsProcessed, 0)
        // b's clock is far ahead, yet a still accepts an event at its own, earlier time.
        try a.schedule(at: SimTime(nanoseconds: 5), 4)
        var out: [Int] = []
        XCTAssertFalse(a.run { out.append($0); b.stop() }, "stop() on one scheduler stopped the other")
        XCTAssertEqual(out, [4, 1, 3])
        XCTAssertEqual(a.eventsProcessed, 3)
        XCTAssertEqual(b.eventsProcessed, 1)
    }

    func testInterleavedWorkloadsMatchSoloRuns() throws {
        let soloA = try Workload.alone(seed: 1, steps: 2_000), soloB = try Workload.alone(seed: 2, steps: 2_000)
        let a = try Workload(seed: 1), b = try Workload(seed: 2)
        var outA: [Int64] = [], outB: [Int64] = []
        for _ in 0..<2_000 {
            if let x = try a.step() { outA.append(x) }
            if let y = try b.step() { outB.append(y) }
        }
        XCTAssertEqual(outA.count, 2_000)
        XCTAssertEqual(outA, soloA)
        XCTAssertEqual(outB, soloB)
        XCTAssertNotEqual(outA, outB, "test premise: the two workloads differ")
    }

    func testConcurrentSchedulersOnSeparateThreads() throws {
        let seeds: [UInt64] = [10, 11, 12, 13]
        let expected = try seeds.map { try Workload.alone(seed: $0, steps: 20_000) }

        final class Results: @unchecked Sendable {
            private let lock = NSLock()
            private var times: [Int: [Int64]] = [:]
            func set(_ i: Int, _ value: [Int64]) { lock.withLock { times[i] = value } }
            var all: [[Int64]] { lock.withLock { (0..<times.count).map { times[$0] ?? [] } } }
        }
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: seeds.count) { i in
            results.set(i, (try? Workload.alone(seed: seeds[i], steps: 20_000)) ?? [])
        }
        XCTAssertEqual(results.all, expected)
    }
}
