import MigsimKernel
import XCTest

/// Randomized cross-check: the three queues, and an independent reference
/// model, see the same few thousand schedule / cancel / step operations and
/// must produce the identical trace.
final class CrossCheckTests: XCTestCase {
    /// What one scheduler did in response to the operation stream.
    enum Record: Equatable {
        case scheduled(Int)
        case rejected(SchedulingError)
        case cancelled(index: Int, result: Bool)
        case delivered(payload: Int, at: SimTime)
        case idle(now: SimTime)
    }

    /// A deliberately naive model of the documented scheduler semantics:
    /// a flat list, searched for the smallest (time, priority, sequence) each step.
    final class ReferenceScheduler {
        struct Event { var time: Int64; var priority: UInt8; var sequence: Int; var payload: Int; var state: Int }
        private(set) var now: Int64 = 0
        private var events: [Event] = []  // index == handle; state 0 pending, 1 ran, 2 cancelled

        func schedule(at time: Int64, priority: UInt8, _ payload: Int) -> SchedulingError? {
            if time < now { return .inThePast(now: SimTime(nanoseconds: now), requested: SimTime(nanoseconds: time)) }
            events.append(Event(time: time, priority: priority, sequence: events.count, payload: payload, state: 0))
            return nil
        }

        func cancel(_ handle: Int) -> Bool {
            guard events[handle].state == 0 else { return false }
            events[handle].state = 2
            return true
        }

        func step(horizon: Int64) -> Int? {
            let pending = events.indices.filter { events[$0].state == 0 }
            guard let next = pending.min(by: { a, b in
                let x = events[a], y = events[b]
                return (x.time, x.priority, x.sequence) < (y.time, y.priority, y.sequence)
            }), events[next].time <= horizon else { return nil }
            events[next].state = 1
            now = events[next].time
            return events[next].payload
        }

        var pendingCount: Int { events.filter { $0.state == 0 }.count }
    }

    /// One operation, drawn from the fixed generator.
    enum Operation {
        case schedule(at: Int64, priority: UInt8, payload: Int)
        case cancel(handle: Int)  // index into the handles returned so far
        case step(horizon: Int64)
    }

    func makeOperations(seed: UInt64, count: Int) -> [Operation] {
        var rng = SplitMix64(seed: seed)
        var ops: [Operation] = []
        var scheduled = 0
        var clock: Int64 = 0  // a lower bound on the scheduler's now, to aim near it
        for payload in 0..<count {
            let r = Int.random(in: 0..<100, using: &rng)
            if r < 45 || scheduled == 0 {
                // Small time range and few priorities: plenty of exact ties.
                // About 3% land in the past and must be rejected.
                let time = clock + Int64.random(in: -1...40, using: &rng)
                let priority: UInt8 = [0, 128, 128, 128, 255].randomElement(using: &rng)!
                ops.append(.schedule(at: time, priority: priority, payload: payload))
                scheduled += 1
            } else if r < 65 {
                // Any handle so far, including ones that ran, were cancelled or were rejected.
                ops.append(.cancel(handle: Int.random(in: 0..<scheduled, using: &rng)))
            } else {
                let horizon = r < 90 ? Int64.max : clock + Int64.random(in: 0...10, using: &rng)
                ops.append(.step(horizon: horizon))
                if horizon != .max { clock = Swift.max(clock, horizon - 20) }
            }
        }
        return ops
    }

    func trace<Q: EventQueue<Int>>(_: Q.Type, _ ops: [Operation]) -> (records: [Record], pending: [Int]) {
        let s = Scheduler<Int, Q>()
        var handles: [EventID?] = []
        var records: [Record] = []
        var pending: [Int] = []
        for op in ops {
            switch op {
            case let .schedule(time, priority, payload):
                do {
                    handles.append(try s.schedule(at: SimTime(nanoseconds: time), priority: priority, payload))
                    records.append(.scheduled(payload))
                } catch {
                    handles.append(nil)
                    records.append(.rejected(error))
                }
            case let .cancel(index):
                records.append(.cancelled(index: index, result: handles[index].map { s.cancel($0) } ?? false))
            case let .step(horizon):
                if let p = s.step(horizon: SimTime(nanoseconds: horizon)) {
                    records.append(.delivered(payload: p, at: s.now))
                } else {
                    records.append(.idle(now: s.now))
                }
            }
            pending.append(s.pendingCount)
        }
        return (records, pending)
    }

    func referenceTrace(_ ops: [Operation]) -> (records: [Record], pending: [Int]) {
        let s = ReferenceScheduler()
        var handles: [Int?] = []
        var records: [Record] = []
        var pending: [Int] = []
        var next = 0
        for op in ops {
            switch op {
            case let .schedule(time, priority, payload):
                if let error = s.schedule(at: time, priority: priority, payload) {
                    handles.append(nil)
                    records.append(.rejected(error))
                } else {
                    handles.append(next)
                    next += 1
                    records.append(.scheduled(payload))
                }
            case let .cancel(index):
                records.append(.cancelled(index: index, result: handles[index].map { s.cancel($0) } ?? false))
            case let .step(horizon):
                if let p = s.step(horizon: horizon) {
                    records.append(.delivered(payload: p, at: SimTime(nanoseconds: s.now)))
                } else {
                    records.append(.idle(now: SimTime(nanoseconds: s.now)))
                }
            }
            pending.append(s.pendingCount)
        }
        return (records, pending)
    }

    func testAllQueuesAndReferenceAgreeOnRandomOperations() {
        for seed: UInt64 in [1, 2, 3, 0xDEAD_BEEF] {
            let ops = makeOperations(seed: seed, count: 4_000)
            let reference = referenceTrace(ops)
            let binary = trace(BinaryHeapQueue<Int>.self, ops)
            let quaternary = trace(QuaternaryHeapQueue<Int>.self, ops)
            let sorted = trace(SortedArrayQueue<Int>.self, ops)

            // The operation mix really exercises what it should.
            let delivered = reference.records.filter { if case .delivered = $0 { true } else { false } }.count
            let cancelled = reference.records.filter { $0 == .cancelled(index: 0, result: true) || {
                if case .cancelled(_, true) = $0 { true } else { false } }() }.count
            let rejected = reference.records.filter { if case .rejected = $0 { true } else { false } }.count
            XCTAssertGreaterThan(delivered, 800, "seed \(seed)")
            XCTAssertGreaterThan(cancelled, 100, "seed \(seed)")
            XCTAssertGreaterThan(rejected, 5, "seed \(seed)")

            for (name, got) in [("BinaryHeapQueue", binary), ("QuaternaryHeapQueue", quaternary),
                                ("SortedArrayQueue", sorted)] {
                XCTAssertEqual(got.records.count, reference.records.count)
                if let i = zip(got.records, reference.records).firstIndex(where: { $0 != $1 }) {
                    XCTFail("seed \(seed): \(name) diverges from the reference at operation \(i): "
                            + "\(got.records[i]) vs \(reference.records[i])")
                }
                XCTAssertEqual(got.pending, reference.pending, "seed \(seed): \(name) pendingCount")
            }
        }
    }
}
