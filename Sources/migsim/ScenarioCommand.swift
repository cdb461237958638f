import ArgumentParser
import Foundation
import MigsimConfig

/// `migsim scenario`: prints the default scenario file or checks one.
struct ScenarioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenario",
        abstract: "Print a complete, commented default scenario file, or check a file.",
        subcommands: [ScenarioCheckCommand.self]
    )

    @Flag(name: .customLong("print-default"), help: "Print the default scenario file (every key, default, unit and range).")
    var printDefault = false

    @Option(help: "Action whose defaults to print: \(BuiltinAction.names.joined(separator: ", ")).")
    var action: String = "drain"

    func validate() throws { try BuiltinAction.check(action, option: "--action") }

    func run() throws {
        guard printDefault else { throw CleanExit.helpRequest(self) }
        print(ScenarioFile.defaultText(action: action), terminator: "")
    }
}

/// `migsim scenario check FILE`: validates a scenario file without running it.
struct ScenarioCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "Validate a scenario file (exit 0 if valid, 2 with a message if not).")

    @Argument(help: "Scenario file (YAML or JSON).") var file: String
    @Option(name: .customLong("set"), help: "Override a key, e.g. --set cluster.host.nic=25Gbps (repeatable).") var sets: [String] = []

    func run() throws {
        do {
            var c = try ScenarioFile.load(path: file)
            for s in sets { try c.set(s) }
            let s = try c.scenario()
            print("\(file): valid (\(s.cluster.hosts.count) hosts, \(s.vms.count) VMs, kinds \(s.kinds.map(\.rawValue).joined(separator: ",")))")
        } catch {
            throw InputError(message: "\(error)")
        }
    }
}

/// The built-in scenario actions (`scenario.action`) that `run --scenario` and `scenario --action` accept.
enum BuiltinAction {
    static let names = ["drain", "rolling", "balance", "failure"]

    /// Throws a `ValidationError` naming `option` and the accepted names unless `value` is one of them.
    static func check(_ value: String, option: String) throws {
        guard names.contains(value) else { throw ValidationError("\(option) \(value): accepted \(names.joined(separator: ", "))") }
    }
}
