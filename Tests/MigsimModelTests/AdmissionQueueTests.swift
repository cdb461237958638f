@testable import MigsimModel
import MigsimRandom
import XCTest

/// The per-host admission queue against the plain FIFO scan it replaced.
final class AdmissionQueueTests: XCTestCase {
    /// Random arrivals from random hosts (a few without a source), random
    /// scans in which visits start (possibly filling the source), refuse or
    /// keep requests: the queue visits exactly the requests the old full scan
    /// would have tried, in the same order, and keeps the same ones waiting.
    func testVisitsWhatTheFullScanWouldHaveTried() {
        var rng = SplitMix64(seed: 12)
        for trial in 0..<300 {
            let hostCount = 1 + Int(rng.next() % 6)
            var queue = AdmissionQueue(hosts: hostCount)
            var reference: [(request: Int, source: Int?)] = []
            var next = 0
            for _ in 0..<40 {
                for _ in 0..<Int(rng.next() % 6) {
                    let source: Int? = rng.next() % 8 == 0 ? nil : Int(rng.next() % UInt64(hostCount))
                    queue.append(next, source: source)
                    reference.append((next, source))
                    next += 1
                }
                // Hosts full at the scan's start, and how each visit ends (decided per request, the same for both).
                var full = (0..<hostCount).map { _ in rng.next() % 3 == 0 }
                var outcome: [Int: (resolved: Bool, fills: Bool, stops: Bool)] = [:]
                for r in reference { outcome[r.request] = (rng.next() % 2 == 0, rng.next() % 4 == 0, rng.next() % 20 == 0) }
                // The old scan: every request in order; a full source keeps it.
                var expectedVisits: [Int] = [], kept: [(request: Int, source: Int?)] = []
                var refFull = full, stopped = false
                for r in reference {
                    if stopped || (r.source.map { refFull[$0] } ?? false) { kept.append(r); continue }
                    expectedVisits.append(r.request)
                    let o = outcome[r.request]!
                    if o.resolved { if o.fills, let s = r.source { refFull[s] = true } } else { kept.append(r) }
                    if o.stops { stopped = true }
                }
                var visits: [Int] = [], stop = false
                let sourceOf = Dictionary(uniqueKeysWithValues: reference.map { ($0.request, $0.source) })
                queue.scan(sourceFull: { full[$0] }, stop: { stop }) { r in
                    visits.append(r)
                    let o = outcome[r]!
                    if o.resolved, o.fills, let s = sourceOf[r]! { full[s] = true }
                    if o.stops { stop = true }
                    return o.resolved ? .resolved : .kept
                }
                XCTAssertEqual(visits, expectedVisits, "trial \(trial)")
                reference = kept
                XCTAssertEqual(queue.waiting, reference.map(\.request), "trial \(trial)")
                XCTAssertEqual(queue.count, reference.count)
            }
        }
    }
}
