import Foundation
import MigsimModel

/// A scenario file's values plus overrides, and the `Scenario` (MigsimModel) they build.
///
/// Keys left out take the defaults of the scenario's action (`scenario.action`),
/// which are the built-in scenarios: an empty file is `Scenario.builtinDefault()`.
/// Each value is checked when it is set; ``scenario()`` adds the checks that
/// span keys and the model's own validation.
public struct ScenarioConfig: Sendable {
    /// One explicitly set value and where it came from.
    struct Entry: Sendable {
        var text: String
        var source: String
        var line: Int?
    }
    var entries: [String: Entry] = [:]
    /// Names the file (or `<default>`) in errors about keys it left at their defaults.
    var source: String

    /// An empty configuration: the built-in default drain scenario.
    public init() { source = "<default>" }

    init(source: String) { self.source = source }

    /// Every key of the schema, in documentation order.
    public static var knownKeys: [String] { Schema.keys.map(\.path) }

    /// Every key's value as written (or its default for the action), in key order.
    public var values: [(key: String, value: String)] {
        let a = action
        return Schema.keys.map { ($0.path, entries[$0.path]?.text ?? $0.defaults.text(for: a)) }
    }

    /// `key=value` lines for every key in schema order, values in canonical form
    /// (base units, fixed spelling), so equal scenarios hash equally.
    public var canonicalText: String {
        var out = ""
        for (k, (key, text)) in zip(Schema.keys, values) {
            out += "\(key)=\((try? k.normalise(text)) ?? text)\n"
        }
        return out
    }

    /// Replications of each grid point in a sweep (`replications`, default 1).
    public var replications: Int {
        guard let k = Schema.key("replications") else { return 1 }
        var d = Draft()
        try? k.apply(entries[k.path]?.text ?? k.defaults.text(for: action), &d)
        return d.replications
    }

    /// The action whose defaults fill the keys left out.
    var action: ActionName {
        entries["scenario.action"].flatMap { ActionName(rawValue: $0.text.trimmingCharacters(in: .whitespaces)) } ?? .drain
    }

    /// Applies `key=value` (a `--set` option), e.g. `cluster.host.nic=25Gbps`.
    public mutating func set(_ assignment: String) throws {
        guard let eq = assignment.firstIndex(of: "=") else {
            throw ConfigError(source: "--set", key: assignment.trimmingCharacters(in: .whitespaces), problem: "no '=' in '\(assignment)'",
                              accepted: "key=value, e.g. cluster.host.nic=25Gbps")
        }
        let key = assignment[..<eq].trimmingCharacters(in: .whitespaces)
        let value = assignment[assignment.index(after: eq)...].trimmingCharacters(in: .whitespaces)
        try set(key: key, value: value, source: "--set")
    }

    /// Sets one key from `source` (a file, `--set`, a sweep spec); checks the value now.
    public mutating func set(key: String, value: String, source: String) throws {
        try set(key: key, value: value, source: source, line: nil)
    }

    mutating func set(key: String, value: String, source: String, line: Int?) throws {
        guard let k = Schema.key(key) else { throw Self.unknownKey(key, source: source, line: line) }
        do {
            _ = try k.normalise(value)
        } catch let p as Problem {
            throw ConfigError(source: source, key: key, problem: p.message, accepted: p.accepted ?? k.accepted, line: line)
        }
        entries[key] = Entry(text: value, source: source, line: line)
    }

    /// Builds and validates the scenario. Errors name the source and line of the
    /// key at fault (the file itself when the key was left at its default).
    public func scenario() throws -> Scenario {
        let a = action
        var draft = Draft()
        for k in Schema.keys {
            let e = entries[k.path]
            do {
                try k.apply(e?.text ?? k.defaults.text(for: a), &draft)
            } catch let p as Problem {
                throw ConfigError(source: e?.source ?? source, key: k.path, problem: p.message, accepted: p.accepted ?? k.accepted,
                                  line: e?.line)
            }
        }
        try loadInventories(&draft)
        draft.loadedTraces = try loadTraces(draft)
        if let p = draft.planPath { draft.planPath = resolve(p, key: "scenario.plan") }
        draft.loadedCurves = try loadFiles(draft.curves, key: "vms.working_set_curve") {
            try CurveFile.load(path: $0, pageSize: Double(draft.pageSize))
        }
        return try Assembly.scenario(draft) { key, problem, accepted in
            let e = entries[key]
            return ConfigError(source: e?.source ?? source, key: key, problem: problem, accepted: accepted, line: e?.line)
        }
    }

    /// `path` relative to the directory of the file that set `key` (the working directory for `--set` and defaults).
    func resolve(_ path: String, key: String) -> String {
        let origin = entries[key]?.source ?? source
        let fromFile = !(origin.hasPrefix("<") || origin.hasPrefix("--"))
        let base = fromFile ? URL(fileURLWithPath: origin).deletingLastPathComponent() : URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        return path.hasPrefix("/") ? path : base.appendingPathComponent(path).standardizedFileURL.path
    }

    /// Reads the `vms.dirty_trace` files, each once, with paths relative to
    /// the directory of the file that named them (the working directory for
    /// `--set` and defaults).
    func loadTraces(_ draft: Draft) throws -> [DirtyTrace] {
        try loadFiles(draft.traces, key: "vms.dirty_trace") { try TraceFile.load(path: $0, pageSize: Double(draft.pageSize)) }
    }

    /// Reads the files `key` names, each once, with `load`; paths as for traces.
    func loadFiles<T>(_ paths: [String]?, key: String, _ load: (String) throws -> T) throws -> [T] {
        guard let paths else { return [] }
        let e = entries[key]
        let origin = e?.source ?? source
        let fromFile = !(origin.hasPrefix("<") || origin.hasPrefix("--"))
        let base = fromFile ? URL(fileURLWithPath: origin).deletingLastPathComponent() : URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        var cache: [String: T] = [:]
        var out: [T] = []
        for p in paths {
            let full = p.hasPrefix("/") ? p : base.appendingPathComponent(p).standardizedFileURL.path
            if let t = cache[full] { out.append(t); continue }
            do {
                let t = try load(full)
                cache[full] = t
                out.append(t)
            } catch let c as ConfigError where c.key == "(file)" {
                throw ConfigError(source: origin, key: key, problem: "'\(p)': \(c.problem) (looked for \(full))",
                                  accepted: c.accepted, line: e?.line)
            }
        }
        return out
    }

    // MARK: Unknown keys

    /// An unknown key: names the closest known key and the keys of its group.
    static func unknownKey(_ path: String, source: String, line: Int?) -> ConfigError {
        if Schema.groups.contains(path) {
            return ConfigError(source: source, key: path, problem: "a group of keys, not a key", accepted: "one of its keys: \(members(of: path))", line: line)
        }
        let parts = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        var group = ""
        for n in stride(from: parts.count - 1, through: 1, by: -1) {
            let g = parts[..<n].joined(separator: ".")
            if Schema.groups.contains(g) { group = g; break }
        }
        return ConfigError(source: source, key: path, problem: "unknown key (did you mean '\(closest(to: path))'?)",
                           accepted: "\(members(of: group)) (every key: `migsim scenario --print-default`)", line: line)
    }

    /// "cluster.host.{memory, cpu_cores, ...}", or the top level's keys and groups.
    static func members(of group: String) -> String {
        let prefix = group.isEmpty ? "" : group + "."
        var names: [String] = []
        for p in Schema.keys.map(\.path) + Schema.groups where p.hasPrefix(prefix) {
            let rest = p.dropFirst(prefix.count)
            guard !rest.isEmpty else { continue }
            let first = rest.split(separator: ".").first.map(String.init) ?? ""
            let name = Schema.groups.contains(prefix + first) ? first + ".*" : first
            if !names.contains(name) { names.append(name) }
        }
        return group.isEmpty ? names.joined(separator: ", ") : "\(group).{" + names.joined(separator: ", ") + "}"
    }

    /// The known key or group nearest to `path` (edit distance, also on the last component).
    static func closest(to path: String) -> String {
        let last = path.split(separator: ".").last.map(String.init) ?? path
        var best = "", score = Int.max
        for c in Schema.keys.map(\.path) + Schema.groups {
            let cLast = c.split(separator: ".").last.map(String.init) ?? c
            let prefix = last.count >= 3 && cLast.hasPrefix(last) ? 2 : Int.max
            let s = min(editDistance(path, c) * 2, editDistance(last, cLast) * 2 + 1, prefix)
            if s < score { best = c; score = s }
        }
        return best
    }

    /// Levenshtein distance over the first 200 characters of each string.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.prefix(200)), b = Array(b.prefix(200))
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var diagonal = row[0]
            row[0] = i
            for j in 1...b.count {
                let above = row[j]
                row[j] = min(above + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1))
                diagonal = above
            }
        }
        return row[b.count]
    }
}
