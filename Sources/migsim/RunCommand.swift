import ArgumentParser
import Foundation
import MigsimModel
import MigsimOutput

/// `migsim run`: runs one scenario and writes its CSV files.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a built-in scenario (default: drain a host of 40 VMs over 10 GbE) and write CSV results.",
        discussion: """
            Writes DIR/migrations.csv, DIR/rounds.csv and DIR/summary.csv atomically and prints a \
            comparison table. The same seed always gives byte-identical files.
            """
    )

    @Option(help: "Built-in scenario: drain (default; 40 VMs off one host, kinds compared), rolling (1,000 VMs on 51 hosts), balance (PRO balancing for one hour), failure (host 0 fails; its VMs restart).")
    var scenario: String = "drain"

    @Option(name: .customLong("time-series"), help: "Also write links.csv and hosts.csv, sampled every SECONDS (> 0).")
    var timeSeries: Double?

    @Option(help: "Base random seed (a non-negative integer).")
    var seed: UInt64 = 1

    @Option(help: "Output directory.")
    var out: String = "results/default"

    @Option(help: "Comma-separated migration kinds to compare: \(MigrationKind.allCases.filter { $0 != .failoverRestart }.map(\.rawValue).joined(separator: ", ")).")
    var kinds: String?

    @Option(help: "Stop policy for live migration: \(PolicyPreset.names.joined(separator: ", ")).")
    var policy: String?

    @Option(help: "Dirty-page fidelity: \(Fidelity.allCases.map(\.rawValue).joined(separator: ", ")).")
    var fidelity: String?

    @Option(help: "Number of VMs on the drained host (1...10000).")
    var vms: Int?

    @Option(help: "Migration NIC speed of every host in Gbit/s (> 0).")
    var linkGbps: Double?

    @Option(help: "Concurrent migrations per host (>= 1).")
    var concurrency: Int?

    @Flag(help: "Do not print the comparison table.")
    var quiet = false

    func validate() throws {
        if let v = vms, !(1...10_000).contains(v) { throw ValidationError("--vms \(v): accepted 1...10000") }
        if let l = linkGbps, !(l.isFinite && l > 0) { throw ValidationError("--link-gbps \(l): accepted a number > 0") }
        if let c = concurrency, c < 1 { throw ValidationError("--concurrency \(c): accepted an integer >= 1") }
        if !Self.scenarios.contains(scenario) {
            throw ValidationError("--scenario \(scenario): accepted \(Self.scenarios.joined(separator: ", "))")
        }
        if let t = timeSeries, !(t.isFinite && t > 0) { throw ValidationError("--time-series \(t): accepted seconds > 0") }
        if vms != nil && scenario != "drain" && scenario != "failure" {
            throw ValidationError("--vms applies to the drain and failure scenarios only")
        }
    }

    static let scenarios = ["drain", "rolling", "balance", "failure"]

    func buildScenario() throws -> Scenario {
        var s: Scenario
        switch scenario {
        case "rolling": s = .rollingMaintenance(hosts: 51, vmsPerHost: 20)
        case "balance": s = .proBalancing()
        case "failure":
            s = .builtinDefault()
            s.action = .hostFailure(host: 0)
        default: s = .builtinDefault()
        }
        s.seed = seed
        s.sampleInterval = timeSeries
        if let k = kinds {
            s.kinds = try k.split(separator: ",").map { name in
                let n = name.trimmingCharacters(in: .whitespaces)
                guard let kind = MigrationKind(rawValue: n), kind != .failoverRestart else {
                    throw InputError(message: "--kinds: unknown kind '\(n)'; accepted: \(MigrationKind.allCases.filter { $0 != .failoverRestart }.map(\.rawValue).joined(separator: ", "))")
                }
                return kind
            }
        }
        if let p = policy {
            guard let preset = PolicyPreset(name: p) else {
                throw InputError(message: "--policy: unknown policy '\(p)'; accepted: \(PolicyPreset.names.joined(separator: ", "))")
            }
            s.settings.policy = preset
            s.settings.rateLimit = preset.defaultRateLimit
            s.settings.throttle = preset.defaultThrottle
        }
        if let f = fidelity {
            guard let fid = Fidelity(rawValue: f) else {
                throw InputError(message: "--fidelity: unknown fidelity '\(f)'; accepted: \(Fidelity.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            s.settings.fidelity = fid
        }
        if let n = vms {
            let template = s.vms
            s.vms = (0..<n).map { template[$0 % template.count] }
            // Enough hosts to take them: one per 40 VMs beyond the first eight hosts' share.
            let needed = max(s.cluster.hosts.count, (n * 8 * 1024 * 1024 * 1024) / Int(s.cluster.hosts[1].memoryBytes) + 2)
            while s.cluster.hosts.count < needed { s.cluster.hosts.append(HostSpec(name: "host\(s.cluster.hosts.count)")) }
            s.cluster.hosts[0].memoryBytes = max(s.cluster.hosts[0].memoryBytes, s.vms.reduce(0) { $0 + $1.memoryBytes })
        }
        if let l = linkGbps {
            for i in s.cluster.hosts.indices { s.cluster.hosts[i].nicBandwidth = l * Units.Gbps }
        }
        if let c = concurrency { s.limits.perHost = c }
        return s
    }

    func run() throws {
        let s = try buildScenario()
        let results: [RunResult]
        do {
            results = try s.run()
        } catch let e as ModelError {
            throw InputError(message: "scenario '\(s.name)': \(e)")
        }
        let dir = URL(fileURLWithPath: out, isDirectory: true)
        do {
            try ResultTables.write(results, to: dir, timeSeries: timeSeries != nil)
        } catch {
            throw InputError(message: "cannot write results to '\(out)': \(error.localizedDescription)")
        }
        if !quiet { printComparison(results, dir: dir) }
    }

    func printComparison(_ results: [RunResult], dir: URL) {
        print("scenario \(scenario), seed \(seed): \(results.first?.records.count ?? 0) migration requests per kind")
        let header = ["kind", "done", "downtime mean s", "downtime p95 s", "downtime max s", "total mean s", "drain s"]
        var rows: [[String]] = [header]
        for r in results {
            let done = r.records.filter { $0.refusedReason == nil && !$0.aborted && $0.endTime != nil }
            let d = SampleSummary(done.compactMap(\.downtime)), t = SampleSummary(done.compactMap(\.totalTime))
            let f = { (x: Double?) in x.map { String(format: "%.3f", $0) } ?? "-" }
            rows.append([r.kind.rawValue, "\(done.count)", f(d?.mean), f(d?.p95), f(d?.max), f(t?.mean),
                         f(done.compactMap(\.endTime).max())])
        }
        let widths = (0..<header.count).map { c in rows.map { $0[c].count }.max()! }
        for row in rows {
            print(row.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
                .joined(separator: "  "))
        }
        if results.contains(where: \.hitHorizon) { print("note: the run reached its horizon with events pending") }
        print("results: \(dir.path)/{migrations,rounds,summary}.csv" + (timeSeries != nil ? " and links.csv, hosts.csv" : ""))
    }
}
