import MigsimModel
import MigsimOutput
import MigsimTestSupport
import XCTest

/// PRO balancing and the utilisation time series.
final class BalancingTests: XCTestCase {
    func testBalancingReducesPeakLoadWithoutPingPong() throws {
        let s = Scenario.proBalancing()
        let run = try s.run()[0]
        let peaks = run.balancingPeaks
        XCTAssertGreaterThan(peaks.count, 50)
        // Three hosts carry 16 VMs of ~1.5 cores on 16 cores: load ~1.5 at first.
        XCTAssertGreaterThan(peaks[0].load, 1.2)
        let late = peaks.suffix(10).map(\.load)
        XCTAssertLessThan(late.max()!, peaks[0].load * 0.7, "balancing brings the peak down")
        let moves = run.records.filter { $0.refusedReason == nil }
        XCTAssertGreaterThan(moves.count, 5)
        // No ping-pong: no VM goes straight back to the host it just left, and
        // no VM moves twice within the cooldown.
        for vm in Set(moves.map(\.vm)) {
            let path = moves.filter { $0.vm == vm }.sorted { $0.startTime! < $1.startTime! }
            for (prev, m) in zip(path, path.dropFirst()) {
                XCTAssertNotEqual(m.target, prev.source, "VM \(vm) bounced back to host \(prev.source)")
                XCTAssertGreaterThanOrEqual(m.startTime! - prev.endTime!, BalancingSpec().cooldown - 1e-6)
            }
        }
        XCTAssertTrue(run.hitHorizon, "balancing never ends by itself; the horizon does, and the summary says so")
        let summary = try CSVRows(ResultTables.summary([run]).text)
        XCTAssertEqual(summary.rows.count, 1)
        XCTAssertEqual(summary.rows[0]["horizon_reached"], "true")
    }

    func testTimeSeriesSamplesLinksAndHosts() throws {
        var s = Scenario.builtinDefault()
        s.kinds = [.live]
        s.sampleInterval = 5
        let run = try s.run()[0]
        let hosts = s.cluster.hosts.count
        XCTAssertEqual(run.linkSamples.count % (2 * hosts), 0)
        XCTAssertGreaterThan(run.linkSamples.count, 2 * hosts * 10)
        XCTAssertTrue(run.linkSamples.allSatisfy { $0.utilisation >= 0 && $0.utilisation <= 1 + 1e-9 })
        // The source NIC is busy while the drain runs.
        let busy = run.linkSamples.filter { $0.link == "host0.nic.tx" && $0.utilisation > 0.99 }
        XCTAssertGreaterThan(busy.count, 5)
        // Memory on the drained host falls to zero by the end.
        let last = run.hostSamples.filter { $0.host == 0 }.last!
        XCTAssertEqual(last.memoryUsed, 0, accuracy: 1e-12)
        let links = try CSVRows(ResultTables.links([run]).text)
        XCTAssertEqual(links.columns, ["run_id", "seed", "kind", "time_s", "link", "utilisation"])
        XCTAssertEqual(links.rows.count, run.linkSamples.count)
    }

    /// 100,000 samples and 100,000 balancing checks complete, each recorded once.
    /// (Every append used to copy all earlier samples, so this took minutes; the
    /// speed is printed by `migsim bench`, not asserted here.)
    func testManySamplesAndChecks() throws {
        var s = Scenario.builtinDefault()
        s.kinds = [.live]
        s.vms = Array(s.vms.prefix(2))
        s.cluster.hosts = Array(s.cluster.hosts.prefix(2))
        s.sampleInterval = 0.0002
        let run = try s.run()[0]
        XCTAssertGreaterThan(run.linkSamples.count, 100_000)
        let times = run.linkSamples.map(\.time)
        XCTAssertEqual(times, times.sorted(), "samples in time order")
        var b = Scenario.proBalancing()
        b.horizon = 100_000
        if case .balance(var spec) = b.action { spec.interval = 1; b.action = .balance(spec) }
        let peaks = try b.run()[0].balancingPeaks
        XCTAssertGreaterThanOrEqual(peaks.count, 99_999)
        XCTAssertEqual(Set(peaks.map(\.time)).count, peaks.count, "one peak per check")
    }

    func testPerPairLimit() throws {
        var s = Scenario.builtinDefault()
        s.kinds = [.live]
        s.limits = ConcurrencyLimits(perHost: 4, perPair: 1)
        s.cluster.hosts = Array(s.cluster.hosts.prefix(2))
        s.cluster.hosts[1].memoryBytes = 1024 * Units.GiB
        let run = try s.run()[0]
        let recs = run.records.sorted { $0.startTime! < $1.startTime! }
        for (a, b) in zip(recs, recs.dropFirst()) {
            XCTAssertGreaterThanOrEqual(b.startTime!, a.endTime! - 1e-12, "one migration at a time between the pair")
        }
    }
}
