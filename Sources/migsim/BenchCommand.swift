import ArgumentParser
import Foundation
import MigsimModel
import MigsimNetwork
import MigsimRandom

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

    func run() throws {
        #if DEBUG
        print("warning: debug build; figures are not representative (use swift run -c release migsim bench)")
        #endif
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
        let ops = flowNetworkBenchmark(flows: 100, resources: 200, operations: 200_000 / scale)
        print(String(format: "flow network (100 flows, 200 resources, max-min): %.0f k start+finish ops/s", ops / 1e3))
        print("rolling maintenance, live migration, statistical fidelity, max-min sharing:")
        for (hosts, perHost) in quick ? [(51, 20)] : [(501, 20), (5001, 20)] {
            let f = try Self.rollingFigures(hosts: hosts, vmsPerHost: perHost)
            print(String(format: "  %6d VMs on %4d hosts: %7.3f s wall, %8d migrations, %5.2f M events/s, %7.0f migrations/s",
                         (hosts - 1) * perHost, hosts, f.wall, f.migrations, Double(f.events) / f.wall / 1e6,
                         Double(f.migrations) / f.wall))
        }
    }

    /// Page writes per second through the page-exact model.
    func pageExactWriteRate(memoryGiB: Double, hotFraction: Double, writes: Int) -> Double {
        let pages = Int(memoryGiB * Units.GiB / 4096)
        let set = PageSet(pages: pages, hotFraction: hotFraction, hotShare: 0.9, counting: .poisson)
        let model = DirtyModel(set: set, fidelity: .pageExact, key: StreamKey(seed: 1, purpose: "bench"))
        let clock = ContinuousClock()
        var sink = 0.0
        let elapsed = clock.measure { sink += model.distinctPages(writes: Double(writes)) }
        precondition(sink > 0)
        let s = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return Double(writes) / s
    }
}

extension BenchCommand {
    /// Wall time and event rate of a rolling maintenance at scale.
    static func rollingFigures(hosts: Int, vmsPerHost: Int) throws -> (wall: Double, events: UInt64, migrations: Int) {
        var s = Scenario.rollingMaintenance(hosts: hosts, vmsPerHost: vmsPerHost)
        s.recordRounds = true
        let clock = ContinuousClock()
        var result: [RunResult] = []
        let d = try clock.measure { result = try s.run() }
        let wall = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        return (wall, result[0].eventsProcessed, result[0].records.count)
    }
}
