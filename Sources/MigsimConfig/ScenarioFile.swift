import Foundation
import Yams

/// Scenario files: YAML (comments allowed; JSON is YAML too) describing a
/// complete experiment.
///
/// Nested mappings name keys (`cluster:` / `host:` / `nic: 10Gbps` is
/// `cluster.host.nic`); a dotted key at any level works too (`vms.count: 4`).
/// Every leaf must be a key of the schema; ``defaultText(action:)`` lists them
/// all with defaults, units, accepted values and a description.
public enum ScenarioFile {
    /// Parses YAML text; `source` names the file in errors ("<default>" / "--set" for others).
    public static func parse(_ text: String, source: String) throws -> ScenarioConfig {
        var config = ScenarioConfig(source: source)
        let root: Node?
        do {
            // Scalars are read as text and checked against the schema here,
            // so YAML's own tags are never used: the basic resolver (no
            // regular expressions built at start-up) composes the same tree.
            root = try Yams.compose(yaml: text, .basic)
        } catch let e as YamlError {
            throw syntaxError(e, source: source)
        } catch {
            throw ConfigError(source: source, key: "(syntax)", problem: "\(error)", accepted: yamlAccepted)
        }
        guard let root else { return config }
        switch root {
        case .mapping(let m):
            var walker = Walker(source: source)
            try walker.walk(m, prefix: [], into: &config)
        case .scalar(let s) where isNull(s):
            break
        default:
            throw ConfigError(source: source, key: "(top level)", problem: "the document is \(describe(root)), not a mapping of keys",
                              accepted: "key: value pairs, e.g. `cluster:` then `  hosts: 8`", line: root.mark?.line)
        }
        return config
    }

    /// Reads the file at `path` and parses it; a missing or unreadable file is a ``ConfigError`` naming it.
    public static func load(path: String) throws -> ScenarioConfig {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ConfigError(source: path, key: "(file)", problem: "no such file", accepted: "a readable YAML or JSON file")
        }
        guard !isDirectory.boolValue, let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(source: path, key: "(file)", problem: isDirectory.boolValue ? "a directory" : "cannot read the file",
                              accepted: "a readable YAML or JSON file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(source: path, key: "(file)", problem: "not UTF-8 text", accepted: "a UTF-8 YAML or JSON file")
        }
        return try parse(text, source: path)
    }

    /// A complete, commented scenario file: every key with its default for
    /// `action` (drain, rolling, balance, failure), unit, accepted values and a
    /// one-line description. Parsed back, it gives that action's built-in scenario.
    public static func defaultText(action: String = "drain") -> String {
        let a = ActionName(rawValue: action) ?? .drain
        var out = """
            # migsim scenario file: YAML (comments allowed; JSON is valid YAML too).
            # Every key is optional: a key left out takes the default of the file's
            # scenario.action; the values below are those of `\(a.rawValue)`. Override any
            # key from the command line with --set key=value (--set cluster.host.nic=25Gbps).
            #
            # Units are case-sensitive, after the number with or without a space:
            #   sizes      \(Quantity.size.unitText)
            #   rates      \(Quantity.rate.unitText)
            #   durations  \(Quantity.duration.unitText)
            # Distributions:
            \(formLines)
            #   empirical(v:w, v:w, ...); a bare value means constant(value).
            #   Location and scale arguments take the key's unit (uniform(3s, 7s)); shapes, mu,
            #   sigma, p, n and weights are plain numbers. Inside {...} or [...], quote values
            #   that contain commas; write empirical items as v:w without spaces.
            # Lists: [a, b, c]; VM lists are cycled over the VMs.

            """
        var open: [Substring] = []
        for k in Schema.keys {
            let parts = k.path.split(separator: ".")
            let parent = Array(parts.dropLast())
            var common = 0
            while common < min(open.count, parent.count), open[common] == parent[common] { common += 1 }
            if parent != open || parent.isEmpty { out += "\n" }
            for depth in common..<parent.count {
                out += String(repeating: "  ", count: depth) + "\(parent[depth]):\n"
            }
            open = parent
            let indent = String(repeating: "  ", count: parent.count)
            out += "\(indent)# \(k.doc)\n\(indent)# accepted: \(k.accepted)\n"
            out += "\(indent)\(parts.last ?? ""): \(k.defaults.text(for: a))\n"
        }
        return out
    }

    // MARK: Implementation

    /// The distribution forms, a few per comment line.
    static var formLines: String {
        let forms = DistributionSyntax.forms.map { "\($0.name)(\($0.parameters.joined(separator: ", ")))" }
        return stride(from: 0, to: forms.count, by: 4).map { i in
            "#   " + forms[i..<min(i + 4, forms.count)].joined(separator: "  ")
        }.joined(separator: "\n")
    }

    static let yamlAccepted = "YAML (nested `key: value` mappings, comments with #) or JSON"

    /// `key:` with nothing after it, `~` or `null`.
    static func isNull(_ s: Node.Scalar) -> Bool {
        s.style == .plain && ["", "~", "null", "Null", "NULL"].contains(s.string)
    }

    /// "a list", "a mapping", ... for messages.
    static func describe(_ n: Node) -> String {
        switch n {
        case .scalar: return "a single value"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        case .alias: return "an alias"
        }
    }

    /// A YAML error as a ``ConfigError`` with its line and column.
    public static func syntaxError(_ e: YamlError, source: String) -> ConfigError {
        func error(_ problem: String, _ mark: Mark?) -> ConfigError { error(problem, mark?.line, mark?.column) }
        func error(_ problem: String, _ line: Int?, _ column: Int?) -> ConfigError {
            ConfigError(source: source, key: "(syntax)", problem: problem, accepted: yamlAccepted, line: line, column: column)
        }
        switch e {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let while_ = context.map { " (\($0.text), line \($0.mark.line))" } ?? ""
            return error(problem + while_, mark)
        case let .reader(problem, offset, _, yaml):
            guard let o = offset else { return error(problem, nil, nil) }
            let before = yaml.prefix(o)
            let line = before.filter { $0 == "\n" }.count + 1
            let column = before.count - (before.lastIndex(of: "\n").map { before.distance(from: before.startIndex, to: $0) + 1 } ?? 0) + 1
            return error(problem, line, column)
        case let .duplicatedKeysInMapping(duplicates, context):
            return error("duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) in one mapping", context.mark)
        default:
            return error("\(e)".replacingOccurrences(of: "\n", with: " "), nil, nil)
        }
    }

    /// Walks the document's mappings, turning every leaf into one dotted key.
    struct Walker {
        let source: String
        /// Nodes visited; bounded so alias chains cannot blow up.
        var visited = 0
        /// Line of each key already set by this file.
        var seen: [String: Int?] = [:]
        static let maximumNodes = 100_000

        mutating func walk(_ m: Node.Mapping, prefix: [String], into config: inout ScenarioConfig) throws {
            for (k, v) in m {
                let where_ = prefix.isEmpty ? "(top level)" : prefix.joined(separator: ".")
                guard case .scalar(let ks) = k, !ks.string.isEmpty else {
                    throw ConfigError(source: source, key: where_, problem: "a key that is not plain text",
                                      accepted: "key names such as \(ScenarioConfig.members(of: prefix.joined(separator: ".")))",
                                      line: k.mark?.line)
                }
                let parts = ks.string.split(separator: ".", omittingEmptySubsequences: false).map {
                    $0.trimmingCharacters(in: .whitespaces)
                }
                guard !parts.contains(where: \.isEmpty) else {
                    throw ConfigError(source: source, key: (prefix + [ks.string]).joined(separator: "."),
                                      problem: "a key with an empty part", accepted: "dotted names such as cluster.host.nic",
                                      line: k.mark?.line)
                }
                try visit(v, path: prefix + parts, keyLine: k.mark?.line, into: &config)
            }
        }

        mutating func visit(_ node: Node, path: [String], keyLine: Int?, into config: inout ScenarioConfig) throws {
            visited += 1
            let p = path.joined(separator: ".")
            let line = node.mark?.line ?? keyLine
            guard visited <= Self.maximumNodes else {
                throw ConfigError(source: source, key: p, problem: "more than \(Self.maximumNodes) values (an alias loop?)",
                                  accepted: "a scenario file of plain keys and values", line: line)
            }
            if let key = Schema.key(p) {
                let text: String
                switch node {
                case .scalar(let s) where ScenarioFile.isNull(s):
                    guard (try? key.normalise("none")) != nil else {
                        throw ConfigError(source: source, key: p, problem: "no value given", accepted: key.accepted, line: line)
                    }
                    text = "none"
                case .scalar(let s):
                    text = s.string
                case .sequence(let seq):
                    guard key.isList else {
                        throw ConfigError(source: source, key: p, problem: "a list where a single value is expected",
                                          accepted: key.accepted, line: line)
                    }
                    var items: [String] = []
                    for item in seq {
                        guard case .scalar(let s) = item else {
                            throw ConfigError(source: source, key: p, problem: "a list item that is \(ScenarioFile.describe(item))",
                                              accepted: key.accepted, line: item.mark?.line ?? line)
                        }
                        items.append(s.string)
                    }
                    text = "[" + items.joined(separator: ", ") + "]"
                case .mapping, .alias:
                    throw ConfigError(source: source, key: p, problem: "\(ScenarioFile.describe(node)) where a value is expected",
                                      accepted: key.accepted, line: line)
                }
                if let first = seen[p] {
                    throw ConfigError(source: source, key: p, problem: "given twice" + (first.map { " (first on line \($0))" } ?? ""),
                                      accepted: "each key once per file", line: line)
                }
                seen[p] = line
                try config.set(key: p, value: text, source: source, line: line)
            } else if Schema.groups.contains(p) {
                switch node {
                case .mapping(let m): try walk(m, prefix: path, into: &config)
                case .scalar(let s) where ScenarioFile.isNull(s): break
                default:
                    throw ConfigError(source: source, key: p, problem: "\(ScenarioFile.describe(node)) where a mapping of keys is expected",
                                      accepted: "a mapping of \(ScenarioConfig.members(of: p))", line: line)
                }
            } else {
                throw ScenarioConfig.unknownKey(p, source: source, line: keyLine ?? line)
            }
        }
    }
}
