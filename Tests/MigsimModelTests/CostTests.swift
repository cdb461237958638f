import MigsimModel
import XCTest

/// Energy and SLA figures (issue 17) on hand-derived cases.
final class CostTests: XCTestCase {
    /// Three VMs: a and b (20 cores each) on host 0 (32 cores: saturated),
    /// c (1 core) on host 1. b moves to host 1 with an offline copy of T
    /// seconds (plus a zero register delay), requested at t0.
    /// Migration CPU off unless `coresPerGbps` is given (the power-curve cases count VM demand only).
    func run(t0: Double, switchOff: Bool, availability: Double = 0.9995, coresPerGbps: Double = 0) throws -> (sim: ClusterSimulation, T: Double) {
        var cluster = Fixture.cluster(hosts: 3, diskRead: 1e12, diskWrite: 1e12)
        for h in cluster.hosts.indices { cluster.hosts[h].cpuCores = 32 }
        var vms = [Fixture.vm(memory: Units.GiB, rate: 0), Fixture.vm(memory: Units.GiB, rate: 0, disks: [10e9]),
                   Fixture.vm(memory: Units.GiB, rate: 0)]
        vms[0].cpuDemand = try .constant(20)
        vms[1].cpuDemand = try .constant(20)
        vms[2].cpuDemand = try .constant(1)
        vms[2].host = 1
        var costs = CostSettings()
        costs.power = .linear(idle: 100, peak: 200)
        costs.switchOffEmpty = switchOff
        costs.availability = availability
        costs.availabilityPeriod = 3600
        costs.migrationCoresPerGbps = coresPerGbps
        let sim = try ClusterSimulation(cluster: cluster, vms: vms, settings: Fixture.settings(), costs: costs, seed: 1)
        try sim.submit(MigrationRequest(vm: 1, kind: .offline, target: 1, at: t0))
        sim.run()
        return (sim, 10e9 / 1e9)  // 10 GB over the 1 GB/s link
    }

    func testEnergyIntegratesEachHostsPowerCurve() throws {
        let (sim, T) = try run(t0: 100, switchOff: false)
        XCTAssertEqual(sim.now, 100 + T, accuracy: 1e-9)
        // Host 0: u = 40/32 -> capped at 1 (200 W) until 100 + T. Host 1: u = 1/32 until then
        // (103.125 W). Host 2: empty, idle 100 W. The run ends when b lands.
        let end = 100 + T
        let expected = 200 * end + (100 + 100 * 1.0 / 32) * end + 100 * end
        XCTAssertEqual(sim.costFigures().hostEnergy, expected, accuracy: 1e-6 * expected)
        // Switching empty hosts off saves host 2's idle power for the whole run.
        let off = try run(t0: 100, switchOff: true).sim.costFigures().hostEnergy
        XCTAssertEqual(expected - off, 100 * end, accuracy: 1e-6 * expected)
    }

    /// Migration keeps `c x 8` cores busy at both ends of the 1 GB/s (8 Gbit/s)
    /// link for its T seconds: host 1 (not saturated) draws `100 W x 8c / 32`
    /// more for T; host 0 is saturated either way; core-seconds = 2 x 8c x T.
    func testMigrationCPULoadsBothHostsWhileItCopies() throws {
        let c = 0.5, cores = 8 * c
        let (sim, T) = try run(t0: 100, switchOff: false, coresPerGbps: c)
        let base = try run(t0: 100, switchOff: false).sim.costFigures()
        let f = sim.costFigures()
        XCTAssertEqual(f.migrationCPUSeconds, 2 * cores * T, accuracy: 1e-9)
        XCTAssertEqual(base.migrationCPUSeconds, 0)
        XCTAssertEqual(f.hostEnergy - base.hostEnergy, 100 * cores / 32 * T, accuracy: 1e-6)
        // Quick migration copies through the SAN, not the network: no migration CPU.
        var cluster = Fixture.cluster(hosts: 2)
        cluster.hosts[0].cpuCores = 32
        var costs = CostSettings()
        costs.migrationCoresPerGbps = c
        let quick = try ClusterSimulation(cluster: cluster, vms: [Fixture.vm(memory: Units.GiB, rate: 0)], settings: Fixture.settings(),
                                          costs: costs, seed: 1)
        try quick.submit(MigrationRequest(vm: 0, kind: .quick, target: 1, at: 0))
        quick.run()
        XCTAssertEqual(quick.costFigures().migrationCPUSeconds, 0)
        XCTAssertGreaterThan(quick.now, 0)
    }

    func testSLATAHPDMAndSLAV() throws {
        let (sim, T) = try run(t0: 100, switchOff: false)
        let f = sim.costFigures()
        // Host 0 is saturated (40 >= 32 cores) all of its active time [0, 100 + T]; host 1 never (21 < 32).
        XCTAssertEqual(try XCTUnwrap(f.slatah), (1.0 + 0.0) / 2, accuracy: 1e-12)
        // PDM: only b migrated, for T seconds out of a run of 100 + T; three VMs with demand.
        let pdm = 0.1 * T / (100 + T) / 3
        XCTAssertEqual(try XCTUnwrap(f.pdm), pdm, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(f.slav), 0.5 * pdm, accuracy: 1e-12)
    }

    func testDowntimeBudgetBreaches() throws {
        // Offline migration is down for its whole copy (10 s). Budget (1 - a) x 1 h:
        // a = 0.999 gives 3.6 s (breached), a = 0.99 gives 36 s (kept).
        XCTAssertEqual(try run(t0: 0, switchOff: false, availability: 0.999).sim.costFigures().budgetBreaches, 1)
        XCTAssertEqual(try run(t0: 0, switchOff: false, availability: 0.99).sim.costFigures().budgetBreaches, 0)
    }

    func testPowerCurveInterpolatesBetweenTenPercentPoints() {
        let m = PowerModel.ibmX3550XeonX5675
        XCTAssertEqual(m.watts(at: 0), 58.4)
        XCTAssertEqual(m.watts(at: 1), 222)
        XCTAssertEqual(m.watts(at: 0.15), (98 + 109) / 2, accuracy: 1e-12)
        XCTAssertEqual(m.watts(at: 2), 222, "utilisation above 1 is capped")
    }

    /// Throttling costs vCPU time: SDPS at a fixed throttle over a round is throttle x its length.
    func testThrottleSecondsSumEachRoundsThrottleTimesItsLength() throws {
        var s = Fixture.settings(.vmware(VMwarePolicy()))
        s.throttle = .sdps(targetRatio: 0.8)
        let sim = try Fixture.migrate([Fixture.vm(memory: Units.GiB, rate: 0.95 * 1e9 / 4096)], cluster: Fixture.cluster(link: 1e9),
                                      settings: s)
        let r = try XCTUnwrap(sim.records.first)
        let expected = sim.rounds.reduce(0) { $0 + $1.throttle * $1.duration }
        XCTAssertGreaterThan(expected, 0)
        XCTAssertEqual(try XCTUnwrap(r.throttleSeconds), expected, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(r.degradation), expected, accuracy: 1e-9)
    }
}
