import ArgumentParser
import CPlatform
import Foundation

/// The `migsim` command: a deterministic discrete-event simulator of
/// virtual-machine migration in clusters.
@main
struct Migsim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migsim",
        abstract: "Deterministic discrete-event simulator of VM migration in clusters.",
        version: MigsimVersion.string,
        subcommands: [RunCommand.self, ScenarioCommand.self, SweepCommand.self, ValidateCommand.self, PredictCommand.self, BenchCommand.self],
        defaultSubcommand: RunCommand.self
    )

    /// Parses and runs; every usage or input error exits with code 2 and a
    /// message on stderr (ArgumentParser's default would be 64).
    ///
    /// Every error is one line, `migsim: error: ...`, at most
    /// ``oneLineLimit`` characters: ArgumentParser's usage and help lines are
    /// left out (they point to `--help` instead).
    static func main() {
        // Large arrays (a run's migrations, records and CSV bytes) from the
        // heap, not from fresh mappings that are unmapped when freed: each new
        // mapping's pages fault in again. Freed memory stays in the process.
        _ = migsim_malloc_thresholds(256 << 20, 512 << 20)
        do {
            let arguments = attachNegativeValues(Array(CommandLine.arguments.dropFirst()))
            try checkRepeatedOptions(arguments)
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch let error as InputError {
            fail(error.message)
        } catch {
            // --help and --version arrive as errors with a success code.
            if exitCode(for: error) == .success { exit(withError: error) }
            let words = CommandLine.arguments.dropFirst().prefix { !$0.hasPrefix("-") && subcommandNames.contains($0) }
            fail("\(message(for: error)) (see 'migsim \((words + ["--help"]).joined(separator: " "))')")
        }
    }

    static let oneLineLimit = 2_000
    static let subcommandNames: Set<String> = ["run", "scenario", "check", "sweep", "list", "merge", "status", "validate", "predict", "bench", "summarize", "sensitivity"]
    /// Options that may be given more than once.
    static let repeatableOptions: Set<String> = ["--set"]

    /// Prints `message` as one line (newlines folded, cut at ``oneLineLimit``) and exits with code 2.
    static func fail(_ message: String) -> Never {
        var line = message.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " | ")
        if line.count > oneLineLimit { line = "\(line.prefix(oneLineLimit))... (\(line.count - oneLineLimit) more characters)" }
        FileHandle.standardError.write(Data("migsim: error: \(line)\n".utf8))
        Foundation.exit(2)
    }

    /// Refuses an option given twice (ArgumentParser would silently keep the
    /// last), except ``repeatableOptions``. Arguments after `--` are not options.
    static func checkRepeatedOptions(_ arguments: [String]) throws {
        var seen: [String: String] = [:]
        let options = arguments.prefix { $0 != "--" }
        for (i, a) in options.enumerated() where a.hasPrefix("--") && a.count > 2 {
            let name = String(a.prefix { $0 != "=" })
            guard !repeatableOptions.contains(name) else { continue }
            let value = a.contains("=") ? String(a.drop { $0 != "=" }.dropFirst())
                : i + 1 < options.count && !options[i + 1].hasPrefix("--") ? options[i + 1] : ""
            if let first = seen[name] {
                throw InputError(message: "\(name): given twice ('\(Echo.value(first))', then '\(Echo.value(value))'); accepted: once (only --set repeats)")
            }
            seen[name] = value
        }
    }

    /// `--seed -1` becomes `--seed=-1`, so a negative number reaches the
    /// option's own check ("accepted: an integer in 0...") instead of being
    /// taken for an option ("Missing value for '--seed <seed>'").
    static func attachNegativeValues(_ arguments: [String]) -> [String] {
        var out: [String] = []
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            if a == "--" { out += arguments[i...]; break }
            if a.hasPrefix("--"), !a.contains("="), i + 1 < arguments.count, let next = arguments[i + 1].dropFirst().first,
               arguments[i + 1].hasPrefix("-"), next.isNumber || next == "." {
                out.append("\(a)=\(arguments[i + 1])")
                i += 2
                continue
            }
            out.append(a)
            i += 1
        }
        return out
    }
}

/// Bad input from the user (a scenario value, an option, a file): exit code 2.
struct InputError: Error {
    let message: String
}

extension Duration {
    /// This duration in seconds, for wall-time figures.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}

enum MigsimVersion {
    static let string = "0.1.0"
}
