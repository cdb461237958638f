import Foundation
import MigsimModel
import Yams

/// Reads scenario files: YAML (comments allowed; JSON is YAML too).
///
/// Nested mappings name keys (`cluster:` / `host:` / `nic: 10Gbps` is
/// `cluster.host.nic`); a dotted key at any level works too. Every leaf must be
/// a key of the schema (`migsim scenario --print-default` lists them all).
public enum ScenarioFile {
    /// Parses YAML text; `source` names the file in errors.
    public static func parse(_ text: String, source: String) throws -> ScenarioConfig {
        var config = ScenarioConfig()
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let e as YamlError {
            throw ConfigError(source: source, key: "(syntax)", problem: "YAML syntax error: \(e)".replacingOccurrences(of: "\n", with: " "),
                              accepted: "YAML or JSON mappings of scenario keys")
        } catch {
            throw ConfigError(source: source, key: "(syntax)", problem: "\(error)", accepted: "YAML or JSON")
        }
        guard let root else { return config }
        if case .scalar(let s) = root, s.string.isEmpty { return config }
        guard let top = root.mapping else {
            throw ConfigError(source: source, key: "(top level)", problem: "not a mapping", accepted: "key: value pairs", line: root.mark?.line)
        }
        try walk(top, prefix: "", source: source, into: &config)
        return config
    }

    static func walk(_ m: Node.Mapping, prefix: String, source: String, into config: inout ScenarioConfig) throws {
        var seen: Set<String> = []
        for (k, v) in m {
            guard let name = k.scalar?.string, !name.isEmpty else {
                throw ConfigError(source: source, key: prefix.isEmpty ? "(key)" : prefix, problem: "a key that is not a plain name",
                                  accepted: "scenario key names", line: k.mark?.line)
            }
            let path = prefix.isEmpty ? name : prefix + "." + name
            guard seen.insert(name).inserted else {
                throw ConfigError(source: source, key: path, problem: "duplicate key", accepted: "each key once", line: k.mark?.line)
            }
            switch v {
            case .mapping(let sub):
                if Schema.byPath[path] != nil {
                    throw ConfigError(source: source, key: path, problem: "a mapping where a value is expected",
                                      accepted: Schema.keys[Schema.byPath[path]!].kind.accepted, line: v.mark?.line)
                }
                guard Schema.keys.contains(where: { $0.path.hasPrefix(path + ".") }) else {
                    throw ScenarioConfig.unknown(path, source: source, line: k.mark?.line)
                }
                try walk(sub, prefix: path, source: source, into: &config)
            case .sequence(let seq):
                var items: [String] = []
                for item in seq {
                    guard let s = item.scalar?.string else {
                        throw ConfigError(source: source, key: path, problem: "a list item that is not a scalar",
                                          accepted: Schema.byPath[path].map { Schema.keys[$0].kind.accepted } ?? "scalars", line: item.mark?.line)
                    }
                    items.append(s)
                }
                try config.set(key: path, value: "[" + items.joined(separator: ", ") + "]", items: items, source: source, line: v.mark?.line)
            case .scalar(let s):
                try config.set(key: path, value: s.string, items: nil, source: source, line: v.mark?.line)
            case .alias:
                throw ConfigError(source: source, key: path, problem: "a YAML alias", accepted: "plain values", line: v.mark?.line)
            }
        }
    }

    /// Reads and parses a file; a missing or unreadable file names itself.
    public static func load(path: String) throws -> ScenarioConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(source: path, key: "(file)", problem: "cannot read the file", accepted: "an existing, readable YAML or JSON file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(source: path, key: "(file)", problem: "not UTF-8 text", accepted: "a UTF-8 YAML or JSON file")
        }
        return try parse(text, source: path)
    }

    /// A complete, commented scenario file: every key with its default for
    /// `action`, what it accepts, and a one-line description.
    public static func defaultText(action: String = "drain") -> String {
        var out = """
            # migsim scenario file (YAML; JSON works too). Every key is optional and shows its default.
            # Units: sizes B KiB MiB GiB TiB KB MB GB TB; rates bps Kbps Mbps Gbps B/s KB/s MB/s GB/s KiB/s MiB/s GiB/s;
            # durations ns us ms s min h. Distributions: \(UnitParser.distributionForms).
            # Check a file with `migsim scenario check FILE`; override keys with `--set key=value`.

            """
        let defaults = ScenarioConfig.actionDefaults(action)
        var section = ""
        for key in Schema.keys {
            let parts = key.path.split(separator: ".").map(String.init)
            let value = key.path == "scenario.action" ? action : (defaults[key.path] ?? key.defaultText)
            let comment = "# \(key.doc); accepted: \(key.kind.accepted)"
            if parts.count == 1 {
                out += "\n\(comment)\n\(key.path): \(value)\n"
                continue
            }
            if parts[0] != section {
                section = parts[0]
                out += "\n\(section):\n"
            }
            let leaf = parts.dropFirst().joined(separator: ".")
            out += "  \(comment)\n  \(leaf): \(value)\n"
        }
        return out
    }
}
