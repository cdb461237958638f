import ArgumentParser
import Foundation

/// The `migsim` command: a deterministic discrete-event simulator of
/// virtual-machine migration in clusters.
@main
struct Migsim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migsim",
        abstract: "Deterministic discrete-event simulator of VM migration in clusters.",
        version: MigsimVersion.string,
        subcommands: [RunCommand.self, ScenarioCommand.self, SweepCommand.self, ValidateCommand.self, BenchCommand.self],
        defaultSubcommand: RunCommand.self
    )

    /// Parses and runs; every usage or input error exits with code 2 and a
    /// message on stderr (ArgumentParser's default would be 64).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as InputError {
            FileHandle.standardError.write(Data("migsim: error: \(error.message)\n".utf8))
            Foundation.exit(2)
        } catch {
            // --help and --version arrive as errors with a success code.
            if exitCode(for: error) == .success { exit(withError: error) }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
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
