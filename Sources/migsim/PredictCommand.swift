import ArgumentParser
import Foundation
import MigsimConfig
import MigsimModel
import MigsimOutput
import MigsimValidation

/// `migsim predict`: the closed-form pre-copy predictors (Akoush et al. AVG
/// and HIST, Liu et al.) for every VM of a scenario, as CSV.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Closed-form live-migration predictions (akoush-avg, akoush-hist, liu) for every VM of a scenario, as CSV.",
        discussion: """
            Each VM is predicted alone on an idle link from its source to the next host (no sharing, no \
            queueing, no noise), with the scenario's stop policy, rate limit, fixed delays and mechanisms \
            (zero pages, uncapped stop-and-copy). Compare with `migsim run` to see what sharing, concurrency \
            and the dirty-page process add. Columns: vm_id, predictor, rounds, bytes_sent, total_time_s, downtime_s.
            """
    )

    @Argument(help: "Scenario file (YAML or JSON); the built-in default scenario when omitted.")
    var file: String?

    @Option(name: .customLong("set"), help: "Override a scenario key (repeatable), as for `migsim run`.")
    var sets: [String] = []

    @Option(help: "Predictors, comma-separated: \(closedFormPredictors.map(\.name).joined(separator: ", ")), or all.")
    var model: String = "all"

    @Option(help: "Write the CSV to this file (atomically) instead of standard output.")
    var out: String?

    func selected() throws -> [any ClosedFormPredictor] {
        if model == "all" { return closedFormPredictors }
        var chosen: [any ClosedFormPredictor] = []
        for name in model.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            guard let p = closedFormPredictors.first(where: { $0.name == name }) else {
                throw InputError(message: "--model: '\(name)' is not a predictor; accepted: "
                                 + (closedFormPredictors.map(\.name) + ["all"]).joined(separator: ", "))
            }
            guard !chosen.contains(where: { $0.name == p.name }) else {
                throw InputError(message: "--model: '\(name)' is named twice; accepted: each predictor once")
            }
            chosen.append(p)
        }
        return chosen
    }

    func run() throws {
        let predictors = try selected()
        let scenario: Scenario
        do {
            var c = try file.map { try ScenarioFile.load(path: $0) } ?? ScenarioConfig()
            for s in sets { try c.set(s) }
            scenario = try c.scenario()
        } catch let e as ConfigError {
            throw InputError(message: "\(e)")
        }
        if let out { try OutputDirectory.prepare(URL(fileURLWithPath: out).deletingLastPathComponent().path, option: "--out") }
        var table = CSVTable(header: ["vm_id", "predictor", "rounds", "bytes_sent", "total_time_s", "downtime_s"])
        for vm in scenario.vms.indices {
            for p in predictors {
                let r: Prediction
                do { r = try p.predict(scenario, vm: vm) } catch { throw InputError(message: "\(p.name): \(error)") }
                table.append([String(vm), p.name, CSVFormat.int(r.rounds), CSVFormat.bytes(r.bytesSent), CSVFormat.seconds(r.totalTime),
                              CSVFormat.seconds(r.downtime)])
            }
        }
        if let out {
            do { try table.write(to: URL(fileURLWithPath: out)) } catch { throw InputError(message: "predict: cannot write --out \(out): \(error)") }
        } else {
            FileHandle.standardOutput.write(Data(table.bytes))
        }
    }
}
