import MigsimModel
import MigsimRandom
import XCTest

/// Small clusters built for tests: every delay that is not under test is zero.
enum Fixture {
    /// Two (or more) hosts joined by links of `linkBytesPerSecond` payload rate (efficiency 1).
    static func cluster(hosts: Int = 2, link: Double = 1e9, san: SharedStorageSpec? = SharedStorageSpec(),
                        diskRead: Double = 200e6, diskWrite: Double = 150e6) -> ClusterSpec {
        ClusterSpec(hosts: (0..<hosts).map {
            HostSpec(name: "h\($0)", memoryBytes: 1024 * Units.GiB, nicBandwidth: link, diskRead: diskRead, diskWrite: diskWrite)
        }, sharedStorage: san, protocolEfficiency: 1, roundLatency: 0)
    }

    /// Settings with all fixed delays at zero and the given policy.
    static func settings(_ policy: PolicyPreset = .hyperV(.hyperV2008R2), fidelity: Fidelity = .meanField) -> MigrationSettings {
        var s = MigrationSettings()
        s.policy = policy
        s.fidelity = fidelity
        s.setupDelay = 0
        s.resumeDelay = 0
        s.arpDelay = 0
        s.checkpointDelay = 0
        s.registerDelay = 0
        s.lunFailover = try! .constant(0)
        return s
    }

    /// A VM on host 0 writing `rate` pages/s with linear counting over all of memory.
    static func vm(memory: Double, rate: Double, counting: DirtyCounting = .linear, hotFraction: Double = 1,
                   hotShare: Double = 1, deviceState: Double = 0, disks: [Double] = [10 * Units.GiB],
                   diskWriteRate: Double = 0) -> VMSpec {
        VMSpec(host: 0, memoryBytes: memory,
               workload: WorkloadSpec(rate: try! .constant(rate), hotSetFraction: hotFraction, hotWriteShare: hotShare,
                                      counting: counting),
               disks: disks, diskWriteRate: try! .constant(diskWriteRate), deviceStateBytes: deviceState)
    }

    /// Runs `kind` for every VM on host 0 to host 1 and returns the simulation.
    static func migrate(_ vms: [VMSpec], kind: MigrationKind = .live, cluster: ClusterSpec = cluster(),
                        settings: MigrationSettings = settings(), perHost: Int = 8, seed: UInt64 = 1) throws -> ClusterSimulation {
        let sim = try ClusterSimulation(cluster: cluster, vms: vms, settings: settings,
                                        limits: ConcurrencyLimits(perHost: perHost), seed: seed)
        for i in vms.indices { try sim.submit(MigrationRequest(vm: i, kind: kind, target: 1)) }
        sim.run()
        return sim
    }

    static func relErr(_ a: Double, _ b: Double) -> Double { abs(a - b) / max(abs(b), 1e-300) }
}
