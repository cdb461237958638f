import ArgumentParser
import Foundation
import MigsimOutput
import MigsimValidation

/// `migsim validate`: runs the validation cases in `data/validation/` and
/// prints reference, simulated value, relative error and tolerance.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check migsim against the analytic pre-copy model and published measurements (exit 1 if any case fails)."
    )

    @Option(help: "Directory with analytic.csv and published.csv (default: data/validation in the working directory, else in the repository the executable was built in).")
    var data: String?

    @Option(help: "Also write every case to this CSV file (written atomically), e.g. for the validation figure.")
    var csv: String?

    func run() throws {
        let dir = URL(fileURLWithPath: data ?? Self.defaultData(), isDirectory: true)
        if let csv { try OutputDirectory.prepare(URL(fileURLWithPath: csv).deletingLastPathComponent().path, option: "--csv") }
        let results: [ValidationResult]
        do {
            results = try Validation.analytic(dir) + Validation.published(dir)
        } catch {
            throw InputError(message: "\(error)")
        }
        let header = ["group", "case", "metric", "reference", "simulated", "rel. error", "tolerance", "", "notes"]
        var rows = [header]
        for r in results {
            rows.append([r.group, r.name, r.metric, String(format: "%.6g", r.reference), String(format: "%.6g", r.simulated),
                         String(format: "%.2e", r.relativeError), String(format: "%.2g", r.tolerance), r.passed ? "ok" : "FAIL", r.note])
        }
        let widths = (0..<header.count - 1).map { c in rows.map { $0[c].count }.max()! }
        for row in rows {
            print(row.enumerated().map { i, f in i < widths.count ? f.padding(toLength: widths[i], withPad: " ", startingAt: 0) : f }
                .joined(separator: "  "))
        }
        if let csv {
            var table = CSVTable(header: ["group", "case", "metric", "reference", "simulated", "relative_error", "tolerance", "passed",
                                          "rounds", "bytes_sent", "reference_rounds", "reference_bytes", "note"])
            for r in results {
                // Full precision: the analytic errors are around 1e-16.
                let g = { (x: Double) in String(format: "%.17g", x) }
                table.append([r.group, r.name, r.metric, g(r.reference), g(r.simulated), g(r.relativeError), g(r.tolerance),
                              CSVFormat.bool(r.passed),
                              CSVFormat.int(r.rounds), CSVFormat.bytes(r.bytesSent), CSVFormat.number(r.referenceRounds),
                              CSVFormat.bytes(r.referenceBytes), r.note])
            }
            do { try table.write(to: URL(fileURLWithPath: csv)) } catch {
                throw InputError(message: "validate: cannot write --csv \(csv): \(error)")
            }
        }
        let failed = results.filter { !$0.passed }.count
        print("validate: \(results.count - failed) passed, \(failed) failed")
        if failed > 0 { throw ExitCode.failure }
    }

    /// `data/validation` under the working directory if it is there, else
    /// under the nearest directory above the executable that has it
    /// (`.build/release/migsim` -> the repository), else the relative path.
    static func defaultData() -> String {
        let relative = "data/validation"
        let fm = FileManager.default
        if fm.fileExists(atPath: relative + "/analytic.csv") { return relative }
        let exe = fm.fileExists(atPath: "/proc/self/exe") ? "/proc/self/exe" : CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: exe).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<8 {
            let candidate = dir.appendingPathComponent(relative)
            if fm.fileExists(atPath: candidate.appendingPathComponent("analytic.csv").path) { return candidate.path }
            dir.deleteLastPathComponent()
        }
        return relative
    }
}
