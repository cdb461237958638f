@testable import MigsimModel
import MigsimRandom
import XCTest

/// Regression tests for the typed lifecycle (issue 12): cluster operations are
/// reference types that see every write, and a VM's second migration draws
/// new random numbers.
final class LifecycleTests: XCTestCase {
    /// Rolling maintenance where every request of every drained host is
    /// refused at once (quick migration without shared storage). Before, the
    /// refusals resolved the drain on a copy of the operation, so it stopped
    /// after the first host with VMs: 10 of 40 requests were written and the
    /// maintenance never ended.
    func testRollingWithEveryRequestRefusedVisitsEveryHost() throws {
        var s = Scenario.rollingMaintenance(hosts: 5, vmsPerHost: 10)
        s.cluster.sharedStorage = nil
        s.kinds = [.quick]
        let run = try XCTUnwrap(try s.run().first)
        XCTAssertEqual(run.records.count, 40, "one row per request: every VM of hosts 1 to 4")
        XCTAssertEqual(Set(run.records.map(\.vm)), Set(0..<40))
        XCTAssertTrue(run.records.allSatisfy { $0.refusedReason == "no-shared-storage" })
        XCTAssertFalse(run.hitHorizon)
        XCTAssertFalse(run.records.contains(where: \.unfinished))
        XCTAssertNotNil(run.maintenanceWindow, "the last host came back")
    }

    /// A rolling run where the spare is too small for the 8 GiB VMs: those
    /// are refused by memory and stay, the others move; the maintenance still
    /// visits every host, requests every VM once, and ends.
    func testRollingEndsWhenSomeRequestsAreRefusedByMemory() throws {
        var s = Scenario.rollingMaintenance(hosts: 4, vmsPerHost: 3)
        s.cluster.hosts[0].memoryBytes = 6 * Units.GiB
        let run = try XCTUnwrap(try s.run().first)
        XCTAssertEqual(run.records.count, 9)
        XCTAssertEqual(Set(run.records.map(\.vm)), Set(0..<9))
        XCTAssertGreaterThan(run.records.filter { $0.refusedReason == "memory" }.count, 0)
        XCTAssertGreaterThan(run.records.filter { $0.endTime != nil }.count, 0)
        XCTAssertNotNil(run.maintenanceWindow)
        XCTAssertFalse(run.hitHorizon)
    }

    /// PRO balancing whose requests are refused during the check itself
    /// (quick migration without shared storage). Before, the refusal cleared
    /// the VM's "migrating" flag on a copy of the balancer that the check then
    /// overwrote, so each VM was tried once and never again.
    func testBalancerRetriesAVMWhoseRequestWasRefused() throws {
        var s = Scenario.proBalancing()
        s.cluster.sharedStorage = nil
        var spec = BalancingSpec()
        spec.kind = .quick
        s.action = .balance(spec)
        s.kinds = [.quick]
        s.horizon = 600
        let sim = try ClusterSimulation(cluster: s.cluster, vms: s.vms, settings: s.settings, limits: s.limits, seed: s.seed)
        try sim.startBalancing(spec)
        sim.run(horizon: s.horizon)
        XCTAssertTrue(sim.records.allSatisfy { $0.refusedReason == "no-shared-storage" })
        let perVM = Dictionary(grouping: sim.records, by: \.vm).mapValues(\.count)
        XCTAssertGreaterThan(perVM.values.max() ?? 0, 1, "a refused VM is requested again at a later check")
        let balancer = try XCTUnwrap(sim.balancer)
        XCTAssertFalse(balancer.migrating.contains(true), "no VM is left marked as migrating")
    }

    /// A VM that migrates twice in one run draws its LUN failover from
    /// occurrence 0, then occurrence 1 of (seed, run, VM, "lun-failover");
    /// before, both draws came from the same stream and were equal.
    func testSecondMigrationOfAVMDrawsNewNumbers() throws {
        var settings = Fixture.settings()
        settings.lunFailover = try .uniform(low: 3, high: 7)
        let vm = Fixture.vm(memory: Units.GiB, rate: 0)
        let sim = try ClusterSimulation(cluster: Fixture.cluster(), vms: [vm], settings: settings, seed: 9, run: 2)
        try sim.submit(MigrationRequest(vm: 0, kind: .quick, target: 1, at: 0))
        try sim.submit(MigrationRequest(vm: 0, kind: .quick, target: 0, at: 1000))
        sim.run()
        let draws = sim.records.sorted { $0.requestTime < $1.requestTime }.compactMap(\.failover)
        XCTAssertEqual(draws.count, 2)
        XCTAssertNotEqual(draws[0], draws[1])
        for (k, d) in draws.enumerated() {
            let key = StreamKey(seed: 9, run: 2, entity: 0, purpose: "lun-failover", occurrence: UInt64(k))
            XCTAssertEqual(d, settings.lunFailover.sample(RandomStream(key, kind: .taus2)), "migration \(k) uses occurrence \(k)")
        }
        // Adding a second VM that also migrates twice leaves VM 0's numbers alone.
        let two = try ClusterSimulation(cluster: Fixture.cluster(), vms: [vm, vm], settings: settings, seed: 9, run: 2)
        for (v, at) in [(1, 0.0), (0, 0.0), (1, 500.0), (0, 1000.0)] {
            try two.submit(MigrationRequest(vm: v, kind: .quick, target: at == 0 ? 1 : 0, at: at))
        }
        two.run()
        let again = two.records.filter { $0.vm == 0 }.sorted { $0.requestTime < $1.requestTime }.compactMap(\.failover)
        XCTAssertEqual(again, draws)
    }

    /// The occurrence field: occurrence 0 is the four-field key's stream (so
    /// first uses kept their numbers), and every occurrence is a new stream.
    func testStreamOccurrenceMixing() {
        let base = StreamKey(seed: 5, run: 1, entity: 3, purpose: "boot-time")
        var h = splitmix64(5)
        h = splitmix64(h ^ 1)
        h = splitmix64(h ^ 3)
        h = splitmix64(h ^ StreamPurpose("boot-time").code)
        XCTAssertEqual(base.mixed, h)
        var seen: Set<UInt64> = [base.mixed]
        for k in 1...100 {
            var key = base
            key.occurrence = UInt64(k)
            XCTAssertEqual(key.mixed, splitmix64(h ^ UInt64(k)))
            XCTAssertTrue(seen.insert(key.mixed).inserted)
        }
    }
}
