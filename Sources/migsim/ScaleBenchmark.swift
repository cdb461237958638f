import MigsimModel
import MigsimRandom

/// The scale cases of issue 15: thousands of live migrations sharing bandwidth.
///
/// Both are built with the model API and timed around the simulation alone
/// (no CSV), with the monotonic `ContinuousClock`.
enum ScaleBenchmark {
    /// The scale case of `experiments/06-simgrid-side-by-side.sh`, for `vms`
    /// VMs: every VM (1 GiB) on host 0 live-migrates to host 1 at once over one
    /// shared 1 Gbit/s link (125 MB/s, protocol efficiency 0.97), SimGrid
    /// policy, mean-field dirtying at half of each migration's fair share (a
    /// constant rate of 0.5 × 125e6 / `vms` B/s into a 90 % working set,
    /// linear counting), no setup or resume delay, no device state, rounds not
    /// recorded. The same scenario as `migsim run
    /// data/validation/simgrid.yaml` with the script's `--set`s.
    static func sharedLink(vms: Int) -> Scenario {
        let link = 125e6
        let hosts = (0..<2).map { HostSpec(name: "host\($0)", memoryBytes: Double(vms) * Units.GiB, nicBandwidth: link) }
        var cluster = ClusterSpec(hosts: hosts, protocolEfficiency: 0.97)
        cluster.roundLatency = 0
        let pagesPerSecond = link * (0.5 / Double(vms)) / 4096
        let workload = WorkloadSpec(rate: try! .constant(pagesPerSecond), hotSetFraction: 0.9, hotWriteShare: 1,
                                    counting: .linear)
        let specs = (0..<vms).map { _ in
            VMSpec(host: 0, memoryBytes: Units.GiB, workload: workload, deviceStateBytes: 0)
        }
        var s = Scenario(name: "shared-link-\(vms)", cluster: cluster, vms: specs, settings: settings(rateLimit: link),
                         limits: ConcurrencyLimits(perHost: vms), action: .drain(host: 0), kinds: [.live])
        s.recordRounds = false
        return s
    }

    /// Every VM of `hosts` hosts (`vmsPerHost` each, 1, 2 or 4 GiB) evacuated
    /// at once: host h's VMs go to host (h + hosts/2) mod hosts, so every
    /// transfer leaves its rack. 10 Gbit/s NICs, racks of 50 hosts with
    /// 40 Gbit/s uplinks, a 1 Tbit/s core, protocol efficiency 0.94; SimGrid
    /// policy, `fidelity` dirtying at 40 pages/s per VM (about a third of each
    /// migration's share of the core), rounds not recorded.
    static func evacuation(hosts: Int, vmsPerHost: Int, fidelity: Fidelity) throws -> ClusterSimulation {
        let specs = (0..<hosts).map { HostSpec(name: "host\($0)", memoryBytes: Double(vmsPerHost) * 16 * Units.GiB) }
        var cluster = ClusterSpec(hosts: specs, coreBandwidth: 1e12 / 8)
        cluster.rackSize = 50
        cluster.rackUplinkBandwidth = 40e9 / 8
        let workload = WorkloadSpec(rate: try! .constant(40), hotSetFraction: 0.9, hotWriteShare: 1, counting: .linear)
        let sizes = [1.0, 2, 4].map { $0 * Units.GiB }
        var vms: [VMSpec] = []
        vms.reserveCapacity(hosts * vmsPerHost)
        for h in 0..<hosts {
            for k in 0..<vmsPerHost {
                vms.append(VMSpec(host: h, memoryBytes: sizes[k % 3], workload: workload, deviceStateBytes: 0))
            }
        }
        var settings = settings(rateLimit: .infinity)
        settings.fidelity = fidelity
        let sim = try ClusterSimulation(cluster: cluster, vms: vms, settings: settings,
                                        limits: ConcurrencyLimits(perHost: 2 * vmsPerHost), seed: 1)
        sim.recordRounds = false
        for (i, v) in vms.enumerated() {
            try sim.submit(MigrationRequest(vm: i, kind: .live, target: (v.host + hosts / 2) % hosts))
        }
        return sim
    }

    /// SimGrid policy, mean-field, no delays, no timeout to speak of.
    private static func settings(rateLimit: Double) -> MigrationSettings {
        var m = MigrationSettings()
        m.policy = PolicyPreset(name: "simgrid")!
        m.fidelity = .meanField
        m.rateLimit = rateLimit.isFinite ? .fixed(rateLimit) : .unlimited
        m.setupDelay = 0
        m.resumeDelay = 0
        m.arpDelay = 0
        m.timeout = 720 * 3600
        return m
    }

    /// Seconds to run `s`, and its mean migration time in simulated seconds.
    static func time(_ s: Scenario) throws -> (wall: Double, meanMigration: Double, migrations: Int) {
        var result: [RunResult] = []
        let d = try ContinuousClock().measure { result = try s.run() }
        let records = result[0].records
        return (d.seconds, meanMigration(records), records.filter { !$0.unfinished }.count)
    }

    /// Seconds to run an evacuation to its end, its mean migration time, migrations finished and events.
    static func time(_ sim: ClusterSimulation) -> (wall: Double, meanMigration: Double, migrations: Int, events: UInt64) {
        let d = ContinuousClock().measure { sim.run() }
        return (d.seconds, meanMigration(sim.records), sim.records.filter { !$0.unfinished }.count, sim.eventsProcessed)
    }

    private static func meanMigration(_ records: [MigrationRecord]) -> Double {
        let times = records.compactMap { r in r.endTime.flatMap { e in r.startTime.map { e - $0 } } }
        return times.reduce(0, +) / Double(max(times.count, 1))
    }
}
