import ArgumentParser
import Foundation
import MigsimOutput
import MigsimValidation

/// `migsim validate`: verification (does migsim compute its model?) and
/// validation (does the model predict measured migrations?) from the data
/// in `data/validation/`.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Verify migsim against its model and validate it against measured migrations (exit 1 if a verification case fails).",
        discussion: """
            Verification (the analytic pre-copy model, SimGrid 3.32's results, invariants) fails the command when a case \
            is outside its tolerance. Validation fits each measured data set's free parameters on its fit subset, freezes \
            them, predicts every point over the data set's seeds with migsim and the closed-form predictors, and reports \
            each error; it fails only where datasets.csv states a tolerance beside its source.
            """
    )

    enum Part: String, ExpressibleByArgument, CaseIterable {
        case all, verification, validation
    }

    @Option(help: "Directory with analytic.csv, datasets.csv and measured.csv (default: data/validation in the working directory, else in the repository the executable was built in).")
    var data: String?

    @Option(help: "Which part to run: all, verification or validation.")
    var only: Part = .all

    @Option(help: "Also write every case to this CSV file (written atomically), e.g. for the validation notebook.")
    var csv: String?

    @Option(help: "Also write the fitted parameters of every data set and predictor to this CSV file (written atomically).")
    var fits: String?

    func validate() throws {
        if let csv, let fits, URL(fileURLWithPath: csv).standardizedFileURL == URL(fileURLWithPath: fits).standardizedFileURL {
            throw ValidationError("--fits: '\(fits)' is the --csv file too; accepted: two different paths")
        }
    }

    func run() throws {
        let dir = URL(fileURLWithPath: data ?? Self.defaultData(), isDirectory: true)
        for path in [csv, fits].compactMap({ $0 }) {
            try OutputDirectory.prepare(URL(fileURLWithPath: path).deletingLastPathComponent().path, option: csv == path ? "--csv" : "--fits")
        }
        var verification: [ValidationResult] = [], validation: [ValidationResult] = [], fitted: [FitReport] = []
        do {
            if only != .validation { verification = try Validation.verification(dir) }
            if only != .verification { (validation, fitted) = try Validation.validation(dir) }
        } catch {
            throw InputError(message: "\(error)")
        }
        let g = { (x: Double) in String(format: "%.6g", x) }
        if !verification.isEmpty {
            print("VERIFICATION (fails the command when a case is outside its tolerance)")
            printTable(["group", "case", "metric", "reference", "simulated", "rel. error", "tolerance", "", "notes"], verification.map { r in
                [r.group, r.name, r.metric, g(r.reference), g(r.simulated), String(format: "%.2e", r.relativeError),
                 r.tolerance.map { String(format: "%.2g", $0) } ?? "-", r.passed ? "ok" : "FAIL", r.note]
            })
        }
        if !validation.isEmpty {
            if !verification.isEmpty { print() }
            print("VALIDATION (reports; fails only where a tolerance is stated beside its source)")
            printTable(["data set", "point", "role", "metric", "predictor", "measured", "predicted", "95 % CI", "seeds", "error", "in PI", ""],
                       validation.map { r in
                [r.group, r.name, r.role.rawValue, r.metric, r.predictor, (r.printed ?? g(r.reference)) + (r.approximate ? " ~" : ""),
                 g(r.simulated), r.ci95.map { "±" + g($0) } ?? "-", String(r.seeds), String(format: "%+.1f %%", r.signedError * 100),
                 r.referenceInPredictionInterval.map { $0 ? "yes" : "no" } ?? "-", r.tolerance == nil ? "" : (r.passed ? "ok" : "FAIL")]
            })
            print()
            print("Fitted parameters (on the points with role calibration that were fitted):")
            for f in fitted {
                print("  \(f.dataset) / \(f.predictor): " + f.parameters.map { "\($0.key) = \(g($0.value))\($0.unit)" }.joined(separator: ", ")
                      + String(format: " (mean squared log error %.3g over %d figures)", f.objective, f.fitPoints))
            }
            print()
            print("Prediction errors (role prediction only; |predicted - measured| / measured):")
            let names = Self.predictorNames(validation)
            let predictions = validation.filter { $0.role == .prediction }
            func key(_ r: ValidationResult) -> String { "\(r.group)\u{1}\(r.name)\u{1}\(r.metric)" }
            func stats(_ rs: [ValidationResult]) -> String {
                guard let s = SampleSummary(rs.map(\.relativeError)) else { return "no figures" }
                return String(format: "%3d figures, median %6.1f %%, worst %8.1f %%", s.count, s.median * 100, s.max * 100)
            }
            for p in names {
                let mine = predictions.filter { $0.predictor == p }
                var line = "  " + p.padding(toLength: 12, withPad: " ", startingAt: 0) + stats(mine)
                if p != "migsim" {
                    // migsim on the same figures, for a like-for-like comparison.
                    let keys = Set(mine.map(key))
                    line += "; migsim on the same: " + stats(predictions.filter { $0.predictor == "migsim" && keys.contains(key($0)) })
                }
                print(line)
            }
        }
        if let csv { try writeCSV(verification + validation, to: csv) }
        if let fits { try writeFits(fitted, to: fits) }
        let failedVerification = verification.filter { !$0.passed }.count
        let failedValidation = validation.filter { !$0.passed }.count
        print("validate: verification \(verification.count - failedVerification) passed, \(failedVerification) failed; "
              + "validation \(validation.count) figures (\(validation.filter { $0.role == .prediction }.count) predictions), "
              + "\(failedValidation) outside a stated tolerance")
        if failedVerification + failedValidation > 0 { throw ExitCode.failure }
    }

    /// Predictor names in first-seen order.
    static func predictorNames(_ results: [ValidationResult]) -> [String] {
        var names: [String] = []
        for r in results where !names.contains(r.predictor) { names.append(r.predictor) }
        return names
    }

    func printTable(_ header: [String], _ body: [[String]]) {
        let rows = [header] + body
        let widths = (0..<header.count - 1).map { c in rows.map { $0[c].count }.max()! }
        for row in rows {
            print(row.enumerated().map { i, f in i < widths.count ? f.padding(toLength: widths[i], withPad: " ", startingAt: 0) : f }
                .joined(separator: "  "))
        }
    }

    func writeCSV(_ results: [ValidationResult], to path: String) throws {
        var table = CSVTable(header: ["class", "role", "group", "case", "metric", "predictor", "reference", "printed", "approximate",
                                      "simulated", "ci95", "seeds", "relative_error", "signed_error", "tolerance", "passed",
                                      "reference_in_ci95", "pi95", "reference_in_pi95", "rounds", "bytes_sent", "note"])
        // Full precision: the analytic errors are around 1e-16.
        let g = { (x: Double) in String(format: "%.17g", x) }
        for r in results {
            table.append([r.caseClass.rawValue, r.role.rawValue, r.group, r.name, r.metric, r.predictor, g(r.reference), r.printed ?? "",
                          CSVFormat.bool(r.approximate), g(r.simulated), r.ci95.map(g) ?? "", String(r.seeds), g(r.relativeError),
                          g(r.signedError), r.tolerance.map(g) ?? "", CSVFormat.bool(r.passed), CSVFormat.bool(r.referenceInInterval),
                          r.pi95.map(g) ?? "", CSVFormat.bool(r.referenceInPredictionInterval),
                          CSVFormat.int(r.rounds), CSVFormat.bytes(r.bytesSent), r.note])
        }
        do { try table.write(to: URL(fileURLWithPath: path)) } catch {
            throw InputError(message: "validate: cannot write --csv \(path): \(error)")
        }
    }

    func writeFits(_ fits: [FitReport], to path: String) throws {
        var table = CSVTable(header: ["dataset", "predictor", "key", "value", "unit", "objective", "fit_figures"])
        for f in fits {
            for p in f.parameters {
                table.append([f.dataset, f.predictor, p.key, String(format: "%.17g", p.value), p.unit, String(format: "%.17g", f.objective),
                              String(f.fitPoints)])
            }
        }
        do { try table.write(to: URL(fileURLWithPath: path)) } catch {
            throw InputError(message: "validate: cannot write --fits \(path): \(error)")
        }
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
