#if canImport(Glibc)
import Glibc
#endif
import MigsimModel
import XCTest

/// Phase arithmetic of every migration kind on hand-computed cases.
final class StrategyTests: XCTestCase {
    let GiB = Units.GiB

    func testQuickMigrationPhases() throws {
        // 2 GiB in use; SAN write 150 MB/s, read 200 MB/s; LUN failover 5 s; resume 0.
        // save = 2 GiB / 150e6 = 14.3165 s, restore = 2 GiB / 200e6 = 10.7374 s,
        // downtime = save + 5 + restore = 30.0539 s (seed 002: "about 30 s").
        var s = Fixture.settings()
        s.lunFailover = try .constant(5)
        let sim = try Fixture.migrate([Fixture.vm(memory: 2 * GiB, rate: 0)], kind: .quick, settings: s)
        let r = try XCTUnwrap(sim.records.first)
        XCTAssertEqual(r.save!, 2 * GiB / 150e6, accuracy: 1e-8)
        XCTAssertEqual(r.failover!, 5, accuracy: 1e-8)
        XCTAssertEqual(r.restore!, 2 * GiB / 200e6, accuracy: 1e-8)
        XCTAssertEqual(r.downtime!, 2 * GiB / 150e6 + 5 + 2 * GiB / 200e6, accuracy: 1e-8)
        XCTAssertEqual(r.downtime!, r.totalTime!, accuracy: 1e-9)
        XCTAssertEqual(r.bytesSent, 4 * GiB, accuracy: 1)
        XCTAssertNil(r.rounds)
    }

    func testQuickMigrationScalesWithMemoryAndContention() throws {
        var s = Fixture.settings()
        s.lunFailover = try .constant(0)
        let one = try Fixture.migrate([Fixture.vm(memory: 2 * GiB, rate: 0)], kind: .quick, settings: s).records[0]
        let big = try Fixture.migrate([Fixture.vm(memory: 4 * GiB, rate: 0)], kind: .quick, settings: s).records[0]
        XCTAssertEqual(big.downtime! / one.downtime!, 2, accuracy: 1e-6, "downtime proportional to memory in use")
        // Two at once on one SAN: each save and restore gets half the bandwidth.
        let two = try Fixture.migrate([Fixture.vm(memory: 2 * GiB, rate: 0), Fixture.vm(memory: 2 * GiB, rate: 0)],
                                      kind: .quick, settings: s).records
        XCTAssertEqual(two.count, 2)
        for r in two { XCTAssertEqual(r.downtime! / one.downtime!, 2, accuracy: 1e-6) }
        // Memory in use, not configured memory, is saved.
        var half = Fixture.vm(memory: 4 * GiB, rate: 0)
        half.memoryInUse = 0.5
        let h = try Fixture.migrate([half], kind: .quick, settings: s).records[0]
        XCTAssertEqual(h.downtime!, one.downtime!, accuracy: 1e-6)
    }

    func testQuickMigrationNeedsSharedStorage() throws {
        let sim = try Fixture.migrate([Fixture.vm(memory: GiB, rate: 0)], kind: .quick, cluster: Fixture.cluster(san: nil))
        XCTAssertEqual(sim.records.first?.refusedReason, "no-shared-storage")
    }

    func testStorageMigrationPhases() throws {
        // Disk 10 GiB copied at min(200e6 read, 1e9 net, 150e6 write) = 150 MB/s;
        // AVHD = distinct 64 KiB blocks written over checkpoint 0 + copy, B (1 - e^{-w t / B}) blocks:
        // B = 10 GiB / 64 KiB = 163,840 blocks, w = 5e6 / 65,536 = 76.29 block writes/s, t = 71.58 s,
        // so w t = 5,461.3 writes dirty 163,840 (1 - e^{-0.033333}) = 5,371.8 blocks = 352.0 MB
        // (linear growth would say 357.9 MB); state 1 GiB.
        let rate = 5e6
        let vm = Fixture.vm(memory: GiB, rate: 0, disks: [10 * GiB], diskWriteRate: rate)
        let r = try Fixture.migrate([vm], kind: .storage).records[0]
        let copy = 10 * GiB / 150e6
        let blocks = 10 * GiB / 65_536, writes = rate / 65_536 * copy
        let avhd = blocks * -expm1(-writes / blocks) * 65_536
        XCTAssertEqual(avhd / 1e6, 352.0, accuracy: 0.05)
        XCTAssertEqual(r.diskCopy!, copy, accuracy: 1e-8)
        XCTAssertEqual(r.avhdBytes!, avhd, accuracy: 1)
        let save = GiB / 150e6                      // source disk write
        let transfer = (avhd + GiB) / 150e6         // limited by target disk write
        let merge = avhd / 60e6                     // merge bandwidth cap
        let restore = GiB / 200e6                   // target disk read
        XCTAssertEqual(r.save!, save, accuracy: 1e-8)
        XCTAssertEqual(r.merge!, merge, accuracy: 1e-8)
        XCTAssertEqual(r.restore!, restore, accuracy: 1e-8)
        XCTAssertEqual(r.downtime!, save + transfer + merge + restore, accuracy: 1e-7)
        XCTAssertEqual(r.totalTime!, copy + save + transfer + merge + restore, accuracy: 1e-7)
    }

    /// Distinct blocks saturate: at 2 GB/s of writes over a 10 GiB disk the
    /// AVHD is the whole disk less the share e^{-w t / B} never written
    /// (w t / B = 30,518 x 71.58 / 163,840 = 13.33, so 1.6e-6 of it).
    func testStorageMigrationAVHDSaturatesAtTheDiskSize() throws {
        let vm = Fixture.vm(memory: GiB, rate: 0, disks: [10 * GiB], diskWriteRate: 2e9)
        let r = try Fixture.migrate([vm], kind: .storage).records[0]
        let x = 2e9 / 65_536 * (10 * GiB / 150e6) / (10 * GiB / 65_536)
        XCTAssertEqual(x, 13.33, accuracy: 0.01)
        XCTAssertEqual(r.avhdBytes!, 10 * GiB * -expm1(-x), accuracy: 1)
        XCTAssertLessThanOrEqual(r.avhdBytes!, 10 * GiB)
    }

    func testStorageMigrationAVHDGrowsWithWriteRate() throws {
        var last: MigrationRecord?
        for rate in [1e6, 5e6, 20e6] {
            let vm = Fixture.vm(memory: GiB, rate: 0, disks: [10 * GiB], diskWriteRate: rate)
            let r = try Fixture.migrate([vm], kind: .storage).records[0]
            if let l = last {
                XCTAssertGreaterThan(r.avhdBytes!, l.avhdBytes!)
                XCTAssertGreaterThan(r.downtime!, l.downtime!)
            }
            last = r
        }
    }

    func testOfflineDowntimeEqualsCopyTime() throws {
        var s = Fixture.settings()
        s.registerDelay = 3
        let r = try Fixture.migrate([Fixture.vm(memory: GiB, rate: 0, disks: [20 * GiB, 5 * GiB])], kind: .offline,
                                    settings: s).records[0]
        XCTAssertEqual(r.diskCopy!, 25 * GiB / 150e6, accuracy: 1e-8)
        XCTAssertEqual(r.downtime!, r.totalTime!, accuracy: 1e-9)
        XCTAssertEqual(r.downtime!, 25 * GiB / 150e6 + 3, accuracy: 1e-8)
        XCTAssertEqual(r.bytesSent, 25 * GiB, accuracy: 1)
    }

    func testFailoverRestartLosesMemory() throws {
        var s = Fixture.settings()
        s.detectionDelay = 5
        s.bootTime = try .constant(40)
        let r = try Fixture.migrate([Fixture.vm(memory: 8 * GiB, rate: 50_000)], kind: .failoverRestart, settings: s).records[0]
        XCTAssertEqual(r.bytesSent, 0, "no RAM is sent: memory state is lost")
        XCTAssertEqual(r.downtime!, 45, accuracy: 1e-8)
        XCTAssertNil(r.rounds)
    }

    func testPostCopyDowntimeAndDegradation() throws {
        // Device state 1 MiB then 4 GiB pushed at 1 GB/s.
        let vm = Fixture.vm(memory: 4 * GiB, rate: 10_000, counting: .poisson, deviceState: Units.MiB)
        let r = try Fixture.migrate([vm], kind: .postCopy).records[0]
        XCTAssertEqual(r.downtime!, Units.MiB / 1e9, accuracy: 1e-8)
        XCTAssertEqual(r.degraded!, 4 * GiB / 1e9, accuracy: 1e-8)
        // Faults: pages * (1 - (1 - e^-x)/x) with x = w*T/pages.
        let pages = 4 * GiB / 4096, x = 10_000 * (4 * GiB / 1e9) / pages
        XCTAssertEqual(r.remoteFaults!, pages * (1 - (1 - exp(-x)) / x), accuracy: 1e-6 * pages)
    }

    func testLiveStorageCopiesDisksThenMemory() throws {
        var s = Fixture.settings()
        s.blockThresholdBytes = 16 * Units.MiB
        let vm = Fixture.vm(memory: GiB, rate: 1_000, deviceState: Units.MiB, disks: [10 * GiB], diskWriteRate: 10e6)
        let sim = try Fixture.migrate([vm], kind: .liveStorage, settings: s)
        let r = sim.records[0]
        let disk = sim.rounds.filter { $0.stage == "disk" }
        let mem = sim.rounds.filter { $0.stage == "memory" }
        XCTAssertGreaterThan(disk.count, 1)
        XCTAssertGreaterThan(mem.count, 0)
        XCTAssertEqual(disk[0].bytesSent, 10 * GiB, accuracy: 1)
        XCTAssertLessThanOrEqual(disk.last!.dirtyPagesEnd * 65536, 16 * Units.MiB)
        // Downtime like live: the final copy of pages, device state and a small disk tail.
        XCTAssertLessThan(r.downtime!, 0.1)
        XCTAssertGreaterThan(r.bytesSent, 11 * GiB)
    }

    func testTwoConcurrentLiveMigrationsShareTheLink() throws {
        // SimGrid's reference shape: two identical migrations on one path each
        // take twice as long as one alone.
        let vm = Fixture.vm(memory: GiB, rate: 0)
        let one = try Fixture.migrate([vm]).records[0]
        let two = try Fixture.migrate([vm, vm]).records
        for r in two { XCTAssertEqual(r.totalTime! / one.totalTime!, 2, accuracy: 1e-6) }
    }

    func testConcurrencyLimitQueues() throws {
        let vms = Array(repeating: Fixture.vm(memory: GiB, rate: 0), count: 5)
        let sim = try Fixture.migrate(vms, perHost: 2)
        let recs = sim.records
        XCTAssertEqual(recs.count, 5)
        // At every start instant at most 2 migrations are in flight.
        for r in recs {
            let t = r.startTime! + 1e-6
            let inFlight = recs.filter { $0.startTime! <= t && $0.endTime! > t }.count
            XCTAssertLessThanOrEqual(inFlight, 2)
        }
        XCTAssertGreaterThan(recs.map { $0.queueTime! }.max()!, 0)
    }

    func testPlacementRefusals() throws {
        var vms = [Fixture.vm(memory: GiB, rate: 0), Fixture.vm(memory: GiB, rate: 0), Fixture.vm(memory: GiB, rate: 0)]
        vms[0].virtualNetwork = "storage-net"
        vms[1].cpuVendor = "amd"
        var cluster = Fixture.cluster()
        cluster.hosts[1].memoryBytes = 4 * GiB
        vms.append(Fixture.vm(memory: 8 * GiB, rate: 0))
        vms.append(Fixture.vm(memory: GiB, rate: 0))
        vms[4].cpuFamily = 7
        let sim = try Fixture.migrate(vms, cluster: cluster)
        let reasons = sim.records.sorted { $0.vm < $1.vm }.map { $0.refusedReason }
        XCTAssertEqual(reasons, ["virtual-network", "cpu-vendor", nil, "memory", "cpu-family"])
        // With processor compatibility mode the family difference is allowed.
        vms[4].processorCompatibility = true
        let ok = try Fixture.migrate([vms[4]], cluster: cluster)
        XCTAssertNil(ok.records[0].refusedReason)
    }
}

/// The host rating and its weights.
final class PlacementWeightTests: XCTestCase {
    /// Free shares: host 1 memory 63/64 = 0.984, CPU 8/32 = 0.25;
    /// host 2 memory 16/32 = 0.5, CPU 32/32 = 1.
    /// Memory only: 0.984 > 0.5, host 1. Memory + CPU: 1.234 < 1.5, host 2.
    func target(_ w: PlacementWeights) throws -> Int? {
        var cluster = Fixture.cluster(hosts: 3)
        cluster.hosts[1].memoryBytes = 64 * Units.GiB
        cluster.hosts[2].memoryBytes = 32 * Units.GiB
        var busy = Fixture.vm(memory: Units.GiB, rate: 0)
        busy.host = 1
        busy.cpuDemand = try .constant(24)
        var big = Fixture.vm(memory: 16 * Units.GiB, rate: 0)
        big.host = 2
        big.cpuDemand = try .constant(0)
        let mover = Fixture.vm(memory: Units.GiB, rate: 0)
        let sim = try ClusterSimulation(cluster: cluster, vms: [mover, busy, big], settings: Fixture.settings(), weights: w, seed: 1)
        try sim.submit(MigrationRequest(vm: 0, kind: .live))
        sim.run()
        return sim.records.first { $0.vm == 0 }?.target
    }

    func testWeightsChooseTheTarget() throws {
        XCTAssertEqual(try target(PlacementWeights(memory: 1, cpu: 0, network: 0)), 1)
        XCTAssertEqual(try target(PlacementWeights(memory: 1, cpu: 1, network: 0)), 2)
        XCTAssertThrowsError(try target(PlacementWeights(memory: -1))) {
            XCTAssertEqual(($0 as? ModelError)?.field, .placementMemoryWeight)
        }
    }
}

/// Network topology: shared NICs and top-of-rack uplinks.
final class TopologyTests: XCTestCase {
    func testSharedNICHalvesMigrationBandwidth() throws {
        let vm = Fixture.vm(memory: Units.GiB, rate: 0)
        let dedicated = try Fixture.migrate([vm]).records[0]
        var cluster = Fixture.cluster()
        for i in cluster.hosts.indices { cluster.hosts[i].nicMigrationShare = 0.5 }
        let shared = try Fixture.migrate([vm], cluster: cluster).records[0]
        XCTAssertEqual(shared.totalTime! / dedicated.totalTime!, 2, accuracy: 1e-6)
    }

    func testRackUplinkIsTheBottleneckAcrossRacks() throws {
        // 4 hosts, racks {0,1} and {2,3}; NICs 1 GB/s, rack uplinks 1 GB/s.
        // 0->2 and 1->3 cross racks and share rack 0's uplink out: 0.5 GB/s each.
        // 0->1 stays in the rack: 1 GB/s.
        var cluster = Fixture.cluster(hosts: 4)
        cluster.rackSize = 2
        cluster.rackUplinkBandwidth = 1e9
        var a = Fixture.vm(memory: Units.GiB, rate: 0), b = a
        b.host = 1
        let sim = try ClusterSimulation(cluster: cluster, vms: [a, b], settings: Fixture.settings(), seed: 1)
        try sim.submit(MigrationRequest(vm: 0, kind: .live, target: 2))
        try sim.submit(MigrationRequest(vm: 1, kind: .live, target: 3))
        sim.run()
        for r in sim.records { XCTAssertEqual(r.totalTime!, Units.GiB / 0.5e9, accuracy: 1e-6) }
        a.host = 0
        let local = try ClusterSimulation(cluster: cluster, vms: [a], settings: Fixture.settings(), seed: 1)
        try local.submit(MigrationRequest(vm: 0, kind: .live, target: 1))
        local.run()
        XCTAssertEqual(local.records[0].totalTime!, Units.GiB / 1e9, accuracy: 1e-6)
        var bad = cluster
        bad.rackSize = 0
        XCTAssertThrowsError(try ClusterSimulation(cluster: bad, vms: [a], settings: Fixture.settings(), seed: 1)) {
            XCTAssertEqual(($0 as? ModelError)?.field, .rackSize)
        }
    }
}
