import Foundation
@testable import MigsimModel
import XCTest

/// ``PlacementIndex`` against the scan over every host it replaces in large
/// clusters: the same targets, so the same records, field for field.
///
/// The cases put many hosts in play with different free memory, CPU demand
/// and updated flags, migrations under way (loaded NICs, so ratings below
/// their bounds), hosts without room for a VM, busy hosts at their slot
/// limit and refused requests: rolling maintenance of VMs of mixed sizes on
/// 201 and 1,001 hosts (updated hosts rated 100 above the rest), the same
/// with one migration per host at a time, and PRO balancing on a
/// 150-host cluster.
final class PlacementIndexTests: XCTestCase {
    private func compare(_ s: Scenario, _ name: String) throws {
        var scan = s
        scan.placementIndex = false
        var indexed = s
        indexed.placementIndex = true
        let a = try indexed.run(), b = try scan.run()
        XCTAssertEqual(a.count, b.count, name)
        for (x, y) in zip(a, b) {
            XCTAssertEqual(x.records.count, y.records.count, name)
            XCTAssertGreaterThan(x.records.count, 0, name)
            for (r, q) in zip(x.records, y.records) {
                XCTAssertEqual(r.vm, q.vm, name)
                XCTAssertEqual(r.target, q.target, "\(name): VM \(r.vm)")
                XCTAssertEqual(r.refusedReason, q.refusedReason, "\(name): VM \(r.vm)")
                XCTAssertEqual(r.startTime, q.startTime, "\(name): VM \(r.vm)")
                XCTAssertEqual(r.endTime, q.endTime, "\(name): VM \(r.vm)")
            }
        }
    }

    /// The index alone against a scan over random hosts: free memory and
    /// bounds from a few values (so ranges tie and some hosts lack the
    /// memory), ratings at their bound or below it by a random slack (some
    /// exactly at it, so ratings tie too), random suitability and free slots,
    /// and random updates between 20,000 queries. The same host (highest
    /// rating, ties to the lower index) and the same "some host could take
    /// it" every time.
    func testIndexFindsTheScansHostOnRandomHosts() {
        var state: UInt64 = 0x1DE5
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        func pick<T>(_ xs: [T]) -> T { xs[Int(next() % UInt64(xs.count))] }
        for trial in 0..<200 {
            let n = Int(next() % 300) + 1
            var free = (0..<n).map { _ in pick([0.0, 1, 2, 4, 8]) }
            var bound = (0..<n).map { _ in pick([1.0, 1.5, 2, 2.5, 101]) }
            var slack = (0..<n).map { _ in pick([0.0, 0, 0.25, 0.5, 1]) }
            var suitable = (0..<n).map { _ in next() % 5 != 0 }
            var slot = (0..<n).map { _ in next() % 4 != 0 }
            let index = PlacementIndex(hosts: n, free: { free[$0] }, bound: { bound[$0] })
            for query in 0..<100 {
                for _ in 0..<Int(next() % 4) {
                    let h = Int(next() % UInt64(n))
                    free[h] = pick([0.0, 1, 2, 4, 8])
                    bound[h] = pick([1.0, 1.5, 2, 2.5, 101])
                    slack[h] = pick([0.0, 0, 0.25, 0.5, 1])
                    suitable[h] = next() % 5 != 0
                    slot[h] = next() % 4 != 0
                    index.update(h, free: free[h], bound: bound[h])
                }
                let memory = pick([0.5, 1, 3, 8])
                let canTake = { (h: Int) in free[h] >= memory && suitable[h] }
                let rating = { (h: Int) in bound[h] - slack[h] }
                var want = -1, wantRating = -Double.infinity, any = false
                for h in 0..<n where canTake(h) {
                    any = true
                    if slot[h] && rating(h) > wantRating { want = h; wantRating = rating(h) }
                }
                let got = index.best(memory: memory, canTake: canTake, hasSlot: { slot[$0] }, rating: rating)
                XCTAssertEqual(got.host, want >= 0 ? want : nil, "trial \(trial) query \(query)")
                if want < 0 { XCTAssertEqual(got.anyCanTake, any, "trial \(trial) query \(query)") }
            }
        }
    }

    func testRollingMaintenancePlacesAsTheScan() throws {
        for (hosts, perHost) in [(201, 8), (1_001, 3)] {
            var s = Scenario.rollingMaintenance(hosts: hosts, vmsPerHost: perHost, seed: 7)
            s.recordRounds = false
            // Mixed sizes, so some hosts have room for a small VM but not a large one.
            let sizes = [1.0, 2, 4, 8].map { $0 * Units.GiB }
            for i in s.vms.indices { s.vms[i].memoryBytes = sizes[(i * 7) % sizes.count] }
            for h in s.cluster.hosts.indices { s.cluster.hosts[h].memoryBytes = Double(perHost + 1) * 8 * Units.GiB }
            try compare(s, "rolling \(hosts)")
            s.limits = ConcurrencyLimits(perHost: 1)
            try compare(s, "rolling \(hosts), one migration per host")
        }
    }

    func testBalancingPlacesAsTheScan() throws {
        var s = Scenario.proBalancing(seed: 4)
        let template = s.cluster.hosts[0]
        let perHost = max(1, s.vms.count / s.cluster.hosts.count)
        s.cluster.hosts = (0..<150).map { i in
            var h = template
            h.name = "host\(i)"
            return h
        }
        var vms: [VMSpec] = []
        for h in 0..<150 {
            for k in 0..<perHost {
                var v = s.vms[(h * perHost + k) % s.vms.count]
                v.host = h
                vms.append(v)
            }
        }
        s.vms = vms
        s.recordRounds = false
        try compare(s, "balance")
    }
}
