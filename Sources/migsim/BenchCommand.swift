import ArgumentParser
import Foundation
import MigsimConfig
import MigsimModel
import MigsimNetwork
import MigsimOutput
import MigsimRandom
#if canImport(Glibc)
import Glibc
#endif

/// `migsim bench`: prints the speed figures of the kernel and the models.
///
/// Build in release mode to measure (`swift run -c release migsim bench`).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Print throughput figures: event kernel (hold model), page-exact writes, flow network."
    )

    @Flag(help: "Smaller problem sizes (for a quick check, not for reporting).")
    var quick = false

    @Flag(help: "Only the shared-bottleneck scale cases (thousands of migrations on one link; a cluster evacuated at once).")
    var scale = false

    @Flag(help: "With --scale: also rolling maintenance of 1,000,000 VMs on 50,001 hosts (about 10 s and 2.5 GB).")
    var million = false

    func run() throws {
        #if DEBUG
        print("warning: debug build; figures are not representative (use swift run -c release migsim bench)")
        #endif
        if scale {
            try Self.printScaleFigures(quick: quick)
            if million { try Self.printMillion() }
            return
        }
        let scale = quick ? 10 : 1
        print("event kernel, hold model (events/s):")
        for pending in [1_000, 100_000, 1_000_000] {
            for q in HoldBenchmark.queues {
                let rate = HoldBenchmark.run(pending: pending, events: 5_000_000 / scale, queue: q)
                print("  " + q.padding(toLength: 11, withPad: " ", startingAt: 0) + String(format: "pending %8d  %6.2f M events/s", pending, rate / 1e6))
            }
        }
        print("page-exact dirty tracking (page writes/s):")
        for (gib, hot) in [(1.0, 0.1), (8.0, 1.0)] {
            let rate = pageExactWriteRate(memoryGiB: gib, hotFraction: hot, writes: 50_000_000 / scale)
            print(String(format: "  %4.0f GiB VM, hot set %3.0f %%  %6.1f M writes/s", gib, hot * 100, rate / 1e6))
        }
        print("statistical dirty-page rounds (one draw per popularity level; ns per round):")
        for gib in [1.0, 64.0] {
            let two = statisticalRoundNanoseconds(memoryGiB: gib, popularity: .twoLevel, rounds: 2_000_000 / scale)
            let zipf = statisticalRoundNanoseconds(memoryGiB: gib, popularity: .zipf(exponent: 1), rounds: 200_000 / scale)
            print(String(format: "  %4.0f GiB VM  two-level (2 levels) %7.1f ns   zipf s=1 (%d levels) %7.1f ns", gib, two.ns, zipf.levels, zipf.ns))
        }
        let ops = flowNetworkBenchmark(flows: 100, resources: 200, operations: 200_000 / scale)
        print(String(format: "flow network (100 flows, 200 resources, max-min): %.0f k start+finish ops/s", ops / 1e3))
        print("rolling maintenance, live migration, statistical fidelity, max-min sharing:")
        for (hosts, perHost) in quick ? [(51, 20)] : [(501, 20), (5001, 20)] {
            let f = try Self.rollingFigures(hosts: hosts, vmsPerHost: perHost)
            print(String(format: "  %6d VMs on %4d hosts: %7.3f s wall, %8d migrations, %5.2f M events/s, %7.0f migrations/s",
                         (hosts - 1) * perHost, hosts, f.wall, f.migrations, Double(f.events) / f.wall / 1e6,
                         Double(f.migrations) / f.wall))
        }
        // What a migration costs beyond its rounds: admission, placement,
        // its streams and strategy, two transfers, its record.
        let fixedHosts = quick ? 501 : 5001
        let fixed = try Self.rollingFigures(hosts: fixedHosts, vmsPerHost: 20, idle: true)
        print(String(format: "per-migration fixed cost: rolling maintenance of %d VMs that write nothing (one round and a stop-and-copy each) on %d hosts: %.2f us per migration",
                     (fixedHosts - 1) * 20, fixedHosts, fixed.wall / Double(fixed.migrations) * 1e6))
        let csv = try Self.csvRowsPerSecond(hosts: quick ? 51 : 501)
        print(String(format: "CSV tables of a rolling run (%d rows: migrations, rounds, summary), built and written: %.2f M rows/s",
                     csv.rows, Double(csv.rows) / csv.wall / 1e6))
        // Admission: a drain of n VMs from one host queues n - 2 requests behind the per-host limit (was O(n^2)).
        print("host drain, all VMs queued on one host of 8, live migration, statistical fidelity:")
        for n in quick ? [10_000] : [10_000, 100_000] {
            let f = try Self.drainFigures(vms: n)
            print(String(format: "  %7d VMs: %7.3f s wall, %7.0f migrations/s", n, f.wall, Double(f.migrations) / f.wall))
        }
        // Linear-time guards for bad-input sizes (quadratic appends and per-check key formatting were found by fuzzing).
        let t = try Self.samplingFigures(interval: quick ? 0.002 : 0.0002)
        print(String(format: "time-series sampling (2 hosts): %d link samples in %.3f s, %.2f M samples/s", t.samples, t.wall,
                     Double(t.samples) / t.wall / 1e6))
        let vms = 20_000 / scale
        let v = try Self.validationSeconds(vms: vms, disks: 256)
        print(String(format: "scenario file validation (%d VMs x 256 disks): %.3f s, %.1f M VM-disks/s", vms, v,
                     Double(vms * 256) / v / 1e6))
        try Self.printScaleFigures(quick: quick)
    }

    /// The scale cases of ``ScaleBenchmark``: seconds for each size.
    static func printScaleFigures(quick: Bool) throws {
        print("shared link: N VMs of 1 GiB migrating at once over one 1 Gbit/s link (06's scale case), mean-field:")
        for n in quick ? [1_000, 10_000] : [1_000, 10_000, 100_000] {
            let f = try ScaleBenchmark.time(ScaleBenchmark.sharedLink(vms: n))
            print(String(format: "  %7d VMs: %7.3f s wall, %7d migrations, mean migration %.6f s", n, f.wall, f.migrations,
                         f.meanMigration))
        }
        print("evacuation: every VM moved at once across racks (20 per host, 40 Gbit/s uplinks, 1 Tbit/s core):")
        // Statistical dirtying gives every transfer its own size and end:
        // flows no longer move in lockstep cohorts, and every migration's end
        // changes the rates (a solve), so it is also measured at a tenth of the size.
        let cases: [(Fidelity, Int)] = quick ? [(.meanField, 500), (.statistical, 100)]
                                             : [(.meanField, 5_000), (.statistical, 500), (.statistical, 5_000)]
        for (fidelity, hosts) in cases {
            let sim = try ScaleBenchmark.evacuation(hosts: hosts, vmsPerHost: 20, fidelity: fidelity)
            let f = ScaleBenchmark.time(sim)
            print(String(format: "  %7d VMs, %4d hosts, %-11@ %7.3f s wall, %7d migrations, %8d events, mean migration %.3f s",
                         hosts * 20, hosts, fidelity.rawValue + ":", f.wall, f.migrations, f.events, f.meanMigration))
        }
    }

    /// Page writes per second through the page-exact model.
    func pageExactWriteRate(memoryGiB: Double, hotFraction: Double, writes: Int) -> Double {
        let pages = Int(memoryGiB * Units.GiB / 4096)
        let set = PageSet(pages: pages, hotFraction: hotFraction, hotShare: 0.9, counting: .poisson)
        let model = DirtyModel(set: set, fidelity: .pageExact, key: StreamKey(seed: 1, purpose: "bench"))
        // Rounds of at most as many writes as pages, so every write is marked
        // one by one (rounds with more writes draw each page's bit instead).
        let perRound = min(writes, pages)
        let clock = ContinuousClock()
        var sink = 0.0, done = 0
        let elapsed = clock.measure {
            while done < writes {
                sink += model.distinctPages(writes: Double(perRound))
                done += perRound
            }
        }
        precondition(sink > 0)
        return Double(done) / elapsed.seconds
    }
}

extension BenchCommand {
    /// Nanoseconds per statistical round (distinct pages by level) for a VM of
    /// `memoryGiB` with `popularity`, and its number of levels. The cost
    /// depends on the levels only, not on the writes or the pages.
    func statisticalRoundNanoseconds(memoryGiB: Double, popularity: PagePopularity, rounds: Int) -> (ns: Double, levels: Int) {
        let pages = Int(memoryGiB * Units.GiB / 4096)
        let set = popularity.pageSet(pages: pages, hotFraction: 0.1, hotShare: 0.9, counting: .poisson)
        let model = DirtyModel(set: set, fidelity: .statistical, key: StreamKey(seed: 1, purpose: "bench-statistical"))
        var sink = 0.0
        let elapsed = ContinuousClock().measure {
            for i in 0..<rounds { sink += model.distinctPages(writes: Double(pages) * (0.01 + Double(i % 7) * 0.1)) }
        }
        precondition(sink > 0)
        return (elapsed.seconds / Double(rounds) * 1e9, set.levels.count)
    }

    /// Wall time and event rate of a rolling maintenance at scale.
    static func rollingFigures(hosts: Int, vmsPerHost: Int, idle: Bool = false) throws
        -> (wall: Double, events: UInt64, migrations: Int) {
        var s = Scenario.rollingMaintenance(hosts: hosts, vmsPerHost: vmsPerHost)
        s.recordRounds = !idle
        if idle {
            for i in s.vms.indices {
                s.vms[i].workload = WorkloadSpec(rate: try .constant(0))
            }
        }
        let clock = ContinuousClock()
        var result: [RunResult] = []
        let d = try clock.measure { result = try s.run() }
        return (d.seconds, result[0].eventsProcessed, result[0].records.count)
    }

    /// Rows of `migrations.csv`, `rounds.csv` and `summary.csv` of a rolling
    /// run (`hosts` hosts, 20 VMs each), and the seconds to build and write them.
    static func csvRowsPerSecond(hosts: Int) throws -> (rows: Int, wall: Double) {
        var s = Scenario.rollingMaintenance(hosts: hosts, vmsPerHost: 20)
        s.recordRounds = true
        let results = try s.run()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("migsim-bench-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let d = try ContinuousClock().measure { try ResultTables.write(results, to: dir) }
        let rows = results.reduce(0) { $0 + $1.records.count + $1.rounds.count + 1 }
        return (rows, d.seconds)
    }

    /// Rolling maintenance of 1,000,000 VMs on 50,001 hosts, rounds not
    /// recorded, horizon long enough for all of them: wall time and peak RSS.
    static func printMillion() throws {
        var s = Scenario.rollingMaintenance(hosts: 50_001, vmsPerHost: 20)
        s.recordRounds = false
        s.horizon = 4000 * 3600
        var result: [RunResult] = []
        let d = try ContinuousClock().measure { result = try s.run() }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        print(String(format: "rolling maintenance, 1000000 VMs on 50001 hosts: %.1f s wall, %d migrations, peak RSS %.2f GB",
                     d.seconds, result[0].records.count, Double(usage.ru_maxrss) * 1024 / 1e9))
    }

    /// Wall time of the built-in drain with `vms` VMs (live only, statistical fidelity, no round records).
    static func drainFigures(vms: Int) throws -> (wall: Double, migrations: Int) {
        var s = Scenario.builtinDefault()
        let mix = s.vms
        s.vms = (0..<vms).map { mix[$0 % mix.count] }
        s.cluster.hosts[0].memoryBytes = s.vms.reduce(0) { $0 + $1.memoryBytes }
        for h in 1..<s.cluster.hosts.count { s.cluster.hosts[h].memoryBytes = s.cluster.hosts[0].memoryBytes }
        s.kinds = [.live]
        s.settings.fidelity = .statistical
        s.recordRounds = false
        let clock = ContinuousClock()
        var result: [RunResult] = []
        let d = try clock.measure { result = try s.run() }
        return (d.seconds, result[0].records.count)
    }

    /// Link samples written by a 2-VM live migration sampled every `interval` seconds.
    static func samplingFigures(interval: Double) throws -> (samples: Int, wall: Double) {
        var s = Scenario.builtinDefault()
        s.kinds = [.live]
        s.vms = Array(s.vms.prefix(2))
        s.cluster.hosts = Array(s.cluster.hosts.prefix(2))
        s.sampleInterval = interval
        var samples = 0
        let d = try ContinuousClock().measure { samples = try s.run()[0].linkSamples.count }
        return (samples, d.seconds)
    }

    /// Seconds to parse and validate a scenario file of `vms` VMs with `disks` disks each.
    static func validationSeconds(vms: Int, disks: Int) throws -> Double {
        let list = Array(repeating: "1GiB", count: disks).joined(separator: ", ")
        let text = "vms: {count: \(vms), memory: [1GiB], disks: [\(list)]}\ncluster: {host: {memory: fit}}"
        let d = try ContinuousClock().measure { _ = try ScenarioFile.parse(text, source: "bench.yaml").scenario() }
        return d.seconds
    }
}
