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

    /// Each host reserves `max(0.3, c x 8)` cores for migration while it takes
    /// part in any network migration over its 1 GB/s (8 Gbit/s) NIC: host 1
    /// (not saturated) draws `100 W x 8c / 32` more for the copy's T seconds;
    /// host 0 is saturated either way; core-seconds = 2 x 8c x T. Two copies at
    /// once share the reservation; quick migration holds none.
    func testMigrationCPULoadsBothHostsWhileItCopies() throws {
        let c = 0.5, cores = 8 * c
        let (sim, T) = try run(t0: 100, switchOff: false, coresPerGbps: c)
        let base = try run(t0: 100, switchOff: false).sim.costFigures()
        let f = sim.costFigures()
        XCTAssertEqual(f.migrationCPUSeconds, 2 * cores * T, accuracy: 1e-9)
        XCTAssertEqual(base.migrationCPUSeconds, 0)
        XCTAssertEqual(f.hostEnergy - base.hostEnergy, 100 * cores / 32 * T, accuracy: 1e-6)
        // The floor: a slow NIC still reserves 0.3 cores.
        var costs = CostSettings()
        costs.migrationCoresPerGbps = 0.1
        XCTAssertEqual(costs.migrationReservation(nicBandwidth: Units.Gbps), 0.3, accuracy: 1e-15)
        XCTAssertEqual(costs.migrationReservation(nicBandwidth: 10 * Units.Gbps), 1, accuracy: 1e-15)
        // Two offline copies of 10 GB at once share the link (20 s together) and the reservation.
        costs.migrationCoresPerGbps = c
        var cluster = Fixture.cluster(hosts: 2, diskRead: 1e12, diskWrite: 1e12)
        for h in cluster.hosts.indices { cluster.hosts[h].cpuCores = 32 }
        let two = try ClusterSimulation(cluster: cluster, vms: [Fixture.vm(memory: Units.GiB, rate: 0, disks: [10e9]),
                                                               Fixture.vm(memory: Units.GiB, rate: 0, disks: [10e9])],
                                        settings: Fixture.settings(), limits: ConcurrencyLimits(perHost: 2), costs: costs, seed: 1)
        for v in 0..<2 { try two.submit(MigrationRequest(vm: v, kind: .offline, target: 1, at: 0)) }
        two.run()
        XCTAssertEqual(two.now, 20, accuracy: 1e-9)
        XCTAssertEqual(two.costFigures().migrationCPUSeconds, 2 * cores * 20, accuracy: 1e-9, "shared, not doubled")
        // Quick migration copies through the SAN, not the network: no migration CPU.
        var quickCluster = Fixture.cluster(hosts: 2)
        quickCluster.hosts[0].cpuCores = 32
        let quick = try ClusterSimulation(cluster: quickCluster, vms: [Fixture.vm(memory: Units.GiB, rate: 0)],
                                          settings: Fixture.settings(), costs: costs, seed: 1)
        try quick.submit(MigrationRequest(vm: 0, kind: .quick, target: 1, at: 0))
        quick.run()
        XCTAssertEqual(quick.costFigures().migrationCPUSeconds, 0)
        XCTAssertGreaterThan(quick.now, 0)
    }

    /// An aborted migration gives its reservation back when it ends (both
    /// hosts held it for exactly its span); a failover restart copies nothing
    /// over the network and holds none.
    func testMigrationCPUOfAbortedAndRestartedMigrations() throws {
        var costs = CostSettings()
        costs.migrationCoresPerGbps = 0.5
        var s = Fixture.settings(.qemu(QEMUPolicy()))
        s.timeout = 60
        s.timeoutOutcome = .abort
        let vm = Fixture.vm(memory: Units.GiB, rate: 2 * 1.25e8 / 4096, counting: .poisson, hotFraction: 0.5)
        let cluster = Fixture.cluster(link: 1.25e8)  // the VM dirties twice what this link carries
        let sim = try ClusterSimulation(cluster: cluster, vms: [vm], settings: s, costs: costs, seed: 1)
        try sim.submit(MigrationRequest(vm: 0, kind: .live, target: 1))
        sim.run()
        let r = try XCTUnwrap(sim.records.first)
        XCTAssertTrue(r.aborted)
        let reservation = costs.migrationReservation(nicBandwidth: cluster.hosts[0].nicBandwidth)
        XCTAssertEqual(reservation, 0.5, accuracy: 1e-15, "1 Gbit/s x 0.5")
        XCTAssertEqual(sim.costFigures().migrationCPUSeconds, 2 * reservation * (r.endTime! - r.startTime!), accuracy: 1e-9)
        let restart = try ClusterSimulation(cluster: Fixture.cluster(), vms: [Fixture.vm(memory: Units.GiB, rate: 0)],
                                            settings: Fixture.settings(), costs: costs, seed: 1)
        try restart.submit(MigrationRequest(vm: 0, kind: .failoverRestart, target: 1))
        restart.run()
        XCTAssertEqual(restart.costFigures().migrationCPUSeconds, 0)
        XCTAssertGreaterThan(restart.now, 0)
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

/// Dirty-logging overhead, bytes on shared NICs and the cost window (issue 17).
extension CostTests {
    /// A 1 GiB VM dirtying at half the 1 GB/s link (lambda = 0.5), mean-field,
    /// linear counting, hyperv-2008r2 (10 passes; the 256 KiB "tiny" rule
    /// needs 12), no latency: round i (from 0) lasts `M 0.5^i / R`, so the
    /// ten rounds track pages for `2 M (1 - 2^-10) / R` seconds, and the
    /// overhead costs `share` times that. Stop-and-copy (paused) costs nothing.
    func testDirtyLoggingCostsShareTimesSecondsTracked() throws {
        let M = Units.GiB, R = 1e9
        var s = Fixture.settings()
        s.dirtyLoggingOverhead = 0.1
        let sim = try Fixture.migrate([Fixture.vm(memory: M, rate: 0.5 * R / 4096)], settings: s)
        let r = try XCTUnwrap(sim.records.first)
        XCTAssertEqual(r.rounds, 10)
        let tracked = 2 * M * (1 - pow(2, -10)) / R  // 2.145 s
        XCTAssertEqual(try XCTUnwrap(r.dirtyLoggingSeconds), 0.1 * tracked, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(r.degradation), 0.1 * tracked, accuracy: 1e-9, "no throttle, no post-copy: logging only")
        // Off (the default): no figure, and degradation stays empty.
        let off = try XCTUnwrap(try Fixture.migrate([Fixture.vm(memory: M, rate: 0.5 * R / 4096)]).records.first)
        XCTAssertNil(off.dirtyLoggingSeconds)
        XCTAssertNil(off.degradation)
    }

    /// With SDPS throttling, tracking slows only the vCPU time left: each
    /// round costs `share x (1 - throttle) x length`; degradation adds the throttle's own cost.
    func testDirtyLoggingCountsOnlyUnthrottledTime() throws {
        var s = Fixture.settings(.vmware(VMwarePolicy()))
        s.throttle = .sdps(targetRatio: 0.8)
        s.dirtyLoggingOverhead = 0.2
        let sim = try Fixture.migrate([Fixture.vm(memory: Units.GiB, rate: 0.95 * 1e9 / 4096)], settings: s)
        let r = try XCTUnwrap(sim.records.first)
        XCTAssertTrue(sim.rounds.contains { $0.throttle > 0 }, "the case must throttle some round")
        let logging = sim.rounds.reduce(0) { $0 + 0.2 * (1 - $1.throttle) * $1.duration }
        let throttle = sim.rounds.reduce(0) { $0 + $1.throttle * $1.duration }
        XCTAssertEqual(try XCTUnwrap(r.dirtyLoggingSeconds), logging, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(r.degradation), logging + throttle, accuracy: 1e-9)
    }

    /// Post-copy tracks no pages before it resumes on the target: no dirty-logging figure.
    func testPostCopyHasNoDirtyLogging() throws {
        var s = Fixture.settings()
        s.dirtyLoggingOverhead = 0.5
        let r = try XCTUnwrap(try Fixture.migrate([Fixture.vm(memory: Units.GiB, rate: 1000)], kind: .postCopy, settings: s).records.first)
        XCTAssertNil(r.dirtyLoggingSeconds)
        XCTAssertNotNil(r.postCopyStallSeconds)
    }

    /// A live migration of an idle 1 GiB VM sends M bytes over the network
    /// (round 1; stop-and-copy sends nothing). Each byte crosses the source's
    /// NIC out and the target's NIC in: counted once per shared NIC, so
    /// M with the source's NIC shared, 2M with both, 0 with dedicated NICs.
    /// An offline copy of a 10 GB disk crosses them too; quick migration goes through the SAN only.
    func testSharedNICBytesCountEachSharedEnd() throws {
        let M = Units.GiB
        func run(_ kind: MigrationKind, shares: (Double, Double)) throws -> (ClusterSimulation, MigrationRecord) {
            var c = Fixture.cluster()
            c.hosts[0].nicMigrationShare = shares.0
            c.hosts[1].nicMigrationShare = shares.1
            let sim = try Fixture.migrate([Fixture.vm(memory: M, rate: 0, disks: [10e9])], kind: kind, cluster: c)
            return (sim, try XCTUnwrap(sim.records.first))
        }
        let (source, r) = try run(.live, shares: (0.5, 1))
        XCTAssertEqual(r.networkBytes, M, accuracy: 1e-3)
        XCTAssertEqual(source.costFigures().sharedNICBytes, M, accuracy: 1e-3)
        XCTAssertEqual(try run(.live, shares: (0.5, 0.25)).0.costFigures().sharedNICBytes, 2 * M, accuracy: 1e-3)
        XCTAssertEqual(try run(.live, shares: (1, 1)).0.costFigures().sharedNICBytes, 0)
        let (offline, o) = try run(.offline, shares: (0.5, 0.5))
        XCTAssertEqual(o.networkBytes, 10e9, accuracy: 1e-3)
        XCTAssertEqual(offline.costFigures().sharedNICBytes, 2 * 10e9, accuracy: 1e-3)
        let (quick, q) = try run(.quick, shares: (0.5, 0.5))
        XCTAssertGreaterThan(q.bytesSent, 0, "quick migration moves its state through the SAN")
        XCTAssertEqual(quick.costFigures().sharedNICBytes, 0)
    }

    /// Up to a later time, energy adds each host's power after the last
    /// migration: in CostTests' case, after b lands host 0 runs a (20 of 32
    /// cores: 162.5 W), host 1 b and c (21 of 32: 165.625 W), host 2 is idle (100 W).
    func testCostWindowExtendsEnergyPastTheLastEvent() throws {
        let (sim, T) = try run(t0: 100, switchOff: false)
        let end = 100 + T, until = 1000.0
        let atEnd = sim.costFigures(), later = sim.costFigures(until: until)
        XCTAssertEqual(later.hostEnergy - atEnd.hostEnergy, (162.5 + 165.625 + 100) * (until - end), accuracy: 1e-6)
        // PDM spreads the same migration seconds over the longer run.
        XCTAssertEqual(try XCTUnwrap(later.pdm), 0.1 * T / until / 3, accuracy: 1e-12)
        // Host 0 is saturated until b leaves, then not: SLATAH = (end / until + 0) / 2.
        XCTAssertEqual(try XCTUnwrap(later.slatah), end / until / 2, accuracy: 1e-12)
        XCTAssertEqual(sim.costFigures(until: 1).hostEnergy, atEnd.hostEnergy, "never before the last event")
    }
}
