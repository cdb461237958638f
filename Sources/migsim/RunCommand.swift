import ArgumentParser
import Foundation
import MigsimModel
import MigsimConfig
import MigsimOutput

/// `migsim run`: runs one scenario and writes its CSV files.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a built-in scenario (default: drain a host of 40 VMs over 10 GbE) and write CSV results.",
        discussion: """
            Writes DIR/migrations.csv, DIR/rounds.csv, DIR/summary.csv and DIR/run.json (plus links.csv \
            and hosts.csv with --time-series) into a temporary directory and renames it to DIR, so DIR \
            always holds the files of one run; an existing DIR may hold only these files and is replaced \
            as a whole. Prints a comparison table. The same seed always gives byte-identical files.
            """
    )

    @Argument(help: "Scenario file (YAML or JSON); the built-in default scenario when omitted.")
    var file: String?

    @Option(name: .customLong("set"), help: "Override a scenario key, e.g. --set cluster.host.nic=25Gbps (repeatable; see `migsim scenario --print-default`).")
    var sets: [String] = []

    @Option(help: "Built-in scenario when no file is given: drain (40 VMs off one host, kinds compared), rolling (1,000 VMs on 51 hosts), balance (PRO balancing for one hour), failure (host 0 fails; its VMs restart).")
    var scenario: String?

    @Option(name: .customLong("time-series"), help: "Also write links.csv and hosts.csv, sampled every SECONDS (output.time_series).")
    var timeSeries: String?

    @Option(help: "Base random seed (seed).")
    var seed: String?

    @Option(help: "Output directory.")
    var out: String = "results/default"

    @Option(help: "Comma-separated migration kinds to compare (scenario.kinds): \(MigrationKind.allCases.filter { $0 != .failoverRestart }.map(\.rawValue).joined(separator: ", ")).")
    var kinds: String?

    @Option(help: "Stop policy for live migration (migration.policy): \(PolicyPreset.names.joined(separator: ", ")).")
    var policy: String?

    @Option(help: "Dirty-page fidelity (migration.fidelity): \(Fidelity.allCases.map(\.rawValue).joined(separator: ", ")).")
    var fidelity: String?

    @Option(help: "Number of VMs (vms.count).")
    var vms: String?

    @Option(help: "Migration NIC speed of every host in Gbit/s (cluster.host.nic).")
    var linkGbps: String?

    @Option(help: "Concurrent migrations per host (concurrency.per_host).")
    var concurrency: String?

    @Flag(help: "Do not print the comparison table.")
    var quiet = false

    func validate() throws {
        if let s = scenario { try BuiltinAction.check(s, option: "--scenario") }
        if scenario != nil && file != nil { throw ValidationError("--scenario and a scenario file: accepted one of them") }
    }

    /// The file (or built-in action) plus every override, in order: file, shortcuts, --set.
    func buildConfig() throws -> ScenarioConfig {
        var c: ScenarioConfig
        if let f = file { c = try ScenarioFile.load(path: f) } else { c = ScenarioConfig() }
        if let s = scenario { try c.set(key: "scenario.action", value: s, source: "--scenario") }
        let shortcuts: [(String, String, String?)] = [
            ("--seed", "seed", seed), ("--kinds", "scenario.kinds", kinds.map { "[\($0)]" }), ("--policy", "migration.policy", policy),
            ("--fidelity", "migration.fidelity", fidelity), ("--vms", "vms.count", vms),
            ("--link-gbps", "cluster.host.nic", linkGbps.map { "\($0)Gbps" }), ("--concurrency", "concurrency.per_host", concurrency),
            ("--time-series", "output.time_series", timeSeries),
        ]
        for (option, key, value) in shortcuts {
            if let v = value { try c.set(key: key, value: v, source: option) }
        }
        for s in sets { try c.set(s) }
        return c
    }

    func run() throws {
        let config: ScenarioConfig
        let s: Scenario
        do {
            config = try buildConfig()
            s = try config.scenario()
        } catch let e as ConfigError {
            throw InputError(message: "\(e)")
        }
        let output = try RunOutputDirectory(out, option: "--out")
        let clock = ContinuousClock()
        var results: [RunResult] = []
        let wall: Duration
        do {
            wall = try clock.measure { results = try s.run() }
        } catch let e as ModelError {
            throw InputError(message: "scenario '\(s.name)': \(e)")
        }
        do {
            try output.commit { dir in
                try ResultTables.write(results, to: dir, timeSeries: s.sampleInterval != nil)
                let manifest = Manifest.json(canonicalScenario: config.canonicalText, seed: s.seed, runID: 0, wall: wall)
                try AtomicFile.write(manifest, to: dir.appendingPathComponent("run.json"))
            }
        } catch {
            throw InputError(message: "--out \(Echo.value(out)): cannot write the results: \(error)")
        }
        if !quiet { printComparison(results, scenario: s, dir: URL(fileURLWithPath: output.path)) }
        for r in results {
            let open = r.records.filter(\.unfinished).count
            guard open > 0 else { continue }
            let warning = "migsim: warning: \(r.kind.rawValue): \(open) of \(r.records.count) migrations unfinished when the run stopped at "
                + String(format: "%.3f s (scenario.horizon %g s, or transfers that would end beyond ~292 years); ", r.endTime, s.horizon)
                + "they are in migrations.csv with unfinished=true\n"
            FileHandle.standardError.write(Data(warning.utf8))
        }
    }

    func printComparison(_ results: [RunResult], scenario: Scenario, dir: URL) {
        print("scenario \(scenario.name), seed \(scenario.seed): \(results.first?.records.count ?? 0) migration requests per kind")
        let header = ["kind", "done", "downtime mean s", "downtime p95 s", "downtime max s", "total mean s", "drain s"]
        var rows: [[String]] = [header]
        for r in results {
            let summary = RunSummary(r), d = summary.downtime
            let f = { (x: Double?) in x.map { String(format: "%.3f", $0) } ?? "-" }
            rows.append([r.kind.rawValue, "\(summary.completed.count)", f(d?.mean), f(d?.p95), f(d?.max), f(summary.totalTime?.mean),
                         f(summary.completed.compactMap(\.endTime).max())])
        }
        let widths = (0..<header.count).map { c in rows.map { $0[c].count }.max()! }
        for row in rows {
            print(row.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
                .joined(separator: "  "))
        }
        if results.contains(where: \.hitHorizon) { print("note: the run reached its horizon with events pending") }
        print("results: \(dir.path)/{migrations,rounds,summary}.csv, run.json" + (scenario.sampleInterval != nil ? ", links.csv, hosts.csv" : ""))
    }
}
