import MigsimKernel
import MigsimRandom
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
        private(set) var pendingCount = 0
        private var events: [Event] = []  // index == handle; state 0 pending, 1 ran, 2 cancelled

        func schedule(at time: Int64, priority: UInt8, _ payload: Int) -> SchedulingError? {
            if time < now { return .inThePast(now: SimTime(nanoseconds: now), requested: SimTime(nanoseconds: time)) }
            events.append(Event(time: time, priority: priority, sequence: events.count, payload: payload, state: 0))
            pendingCount += 1
            return nil
        }

        func cancel(_ handle: Int) -> Bool {
            guard events[handle].state == 0 else { return false }
            events[handle].state = 2
            pendingCount -= 1
            return true
        }

        func step(horizon: Int64) -> Int? {
            var next: Int?
            for (i, e) in events.enumerated() where e.state == 0 {
                if let n = next, (events[n].time, events[n].priority, events[n].sequence) < (e.time, e.priority, e.sequence) {
                    continue
                }
                next = i
            }
            guard let next, events[next].time <= horizon else { return nil }
            events[next].state = 1
            pendingCount -= 1
            now = events[next].time
            return events[next].payload
        }
    }

    /// One operation, drawn from the fixed generator.
    enum Operation {
        case schedule(at: Int64, priority: UInt8, payload: Int)
        case cancel(handle: Int)  // index into all schedule operations so far
        case step(horizon: Int64)
    }

    /// Applies operations to one scheduler under test and records what it did.
    final class Harness<Q: EventQueue<Int>> {
        let s = Scheduler<Int, Q>()
        var handles: [EventID?] = []  // nil where the schedule was rejected

        func apply(_ op: Operation) -> Record {
            switch op {
            case let .schedule(time, priority, payload):
                do {
                    handles.append(try s.schedule(at: SimTime(nanoseconds: time), priority: priority, payload))
                    return .scheduled(payload)
                } catch {
                    handles.append(nil)
                    return .rejected(error)
                }
            case let .cancel(index):
                return .cancelled(index: index, result: handles[index].map { s.cancel($0) } ?? false)
            case let .step(horizon):
                guard let p = s.step(horizon: SimTime(nanoseconds: horizon)) else { return .idle(now: s.now) }
                return .delivered(payload: p, at: s.now)
            }
        }
    }

    /// The reference model under the same protocol as ``Harness``.
    final class ReferenceHarness {
        let s = ReferenceScheduler()
        var handles: [Int?] = []
        var next = 0

        func apply(_ op: Operation) -> Record {
            switch op {
            case let .schedule(time, priority, payload):
                if let error = s.schedule(at: time, priority: priority, payload) {
                    handles.append(nil)
                    return .rejected(error)
                }
                handles.append(next)
                next += 1
                return .scheduled(payload)
            case let .cancel(index):
                return .cancelled(index: index, result: handles[index].map { s.cancel($0) } ?? false)
            case let .step(horizon):
                guard let p = s.step(horizon: horizon) else { return .idle(now: SimTime(nanoseconds: s.now)) }
                return .delivered(payload: p, at: SimTime(nanoseconds: s.now))
            }
        }
    }

    /// Draws the next operation; times are aimed near the reference's `now`.
    func nextOperation(_ rng: inout SplitMix64, now: Int64, scheduled: Int, payload: Int) -> Operation {
        let r = Int.random(in: 0..<100, using: &rng)
        if r < 45 || scheduled == 0 {
            // A small time window and few priorities give plenty of exact ties;
            // about 1 in 42 lands just before now and must be rejected.
            let time = now + Int64.random(in: -1...40, using: &rng)
            let priority: UInt8 = [0, 128, 128, 128, 255].randomElement(using: &rng)!
            return .schedule(at: time, priority: priority, payload: payload)
        } else if r < 65 {
            // Any handle so far: pending, ran, cancelled or rejected.
            return .cancel(handle: Int.random(in: 0..<scheduled, using: &rng))
        } else if r < 90 {
            return .step(horizon: .max)
        } else {
            return .step(horizon: now + Int64.random(in: 0...10, using: &rng))
        }
    }

    func testAllQueuesAndReferenceAgreeOnRandomOperations() {
        for seed: UInt64 in [1, 2, 3, 0xDEAD_BEEF] {
            var rng = SplitMix64(seed: seed)
            let reference = ReferenceHarness()
            let binary = Harness<BinaryHeapQueue<Int>>()
            let quaternary = Harness<QuaternaryHeapQueue<Int>>()
            let sorted = Harness<SortedArrayQueue<Int>>()
            var delivered = 0, cancelled = 0, rejected = 0

            for i in 0..<4_000 {
                let op = nextOperation(&rng, now: reference.s.now, scheduled: reference.handles.count, payload: i)
                let expected = reference.apply(op)
                switch expected {
                case .delivered: delivered += 1
                case .cancelled(_, true): cancelled += 1
                case .rejected: rejected += 1
                default: break
                }
                for (name, got, pending) in [
                    ("BinaryHeapQueue", binary.apply(op), binary.s.pendingCount),
                    ("QuaternaryHeapQueue", quaternary.apply(op), quaternary.s.pendingCount),
                    ("SortedArrayQueue", sorted.apply(op), sorted.s.pendingCount),
                ] {
                    guard got == expected, pending == reference.s.pendingCount else {
                        return XCTFail("seed \(seed), operation \(i) (\(op)): \(name) gave \(got) with "
                                       + "\(pending) pending; reference \(expected) with \(reference.s.pendingCount)")
                    }
                }
            }
            // The mix really exercises ordering, cancellation and rejection.
            XCTAssertGreaterThan(delivered, 1_000, "seed \(seed)")
            XCTAssertGreaterThan(cancelled, 100, "seed \(seed)")
            XCTAssertGreaterThan(rejected, 5, "seed \(seed)")
        }
    }
}
