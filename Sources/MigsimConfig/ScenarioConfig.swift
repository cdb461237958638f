import MigsimKernel
import MigsimModel

/// The values of a scenario file plus overrides, and the scenario they build.
public struct ScenarioConfig: Sendable {
    struct Entry: Sendable {
        var text: String
        var source: String
        var line: Int?
    }
    /// Explicitly set values by key path.
    var explicit: [String: Entry] = [:]

    public init() {}

    public static var knownKeys: [String] { Schema.keys.map(\.path) }

    /// Applies `key=value` (a `--set` option).
    public mutating func set(_ assignment: String) throws {
        guard let eq = assignment.firstIndex(of: "=") else {
            throw ConfigError(source: "--set", key: assignment, problem: "no '='", accepted: "key=value, e.g. cluster.host.nic=25Gbps")
        }
        let key = String(assignment[..<eq]).trimmingCharacters(in: .whitespaces)
        let value = String(assignment[assignment.index(after: eq)...]).trimmingCharacters(in: .whitespaces)
        try set(key: key, value: value, source: "--set")
    }

    public mutating func set(key: String, value: String, source: String) throws {
        try set(key: key, value: value, items: nil, source: source, line: nil)
    }

    mutating func set(key: String, value: String, items: [String]?, source: String, line: Int?) throws {
        guard let i = Schema.byPath[key] else { throw Self.unknown(key, source: source, line: line) }
        let k = Schema.keys[i]
        let parsed: Value?
        do {
            parsed = try k.kind.parse(value, items: items)
        } catch {
            throw ConfigError(source: source, key: key, problem: "'\(value)': \(error)", accepted: k.kind.accepted, line: line)
        }
        guard parsed != nil else {
            throw ConfigError(source: source, key: key, problem: "'\(value)' is not valid", accepted: k.kind.accepted, line: line)
        }
        explicit[key] = Entry(text: value, source: source, line: line)
    }

    /// An unknown key, with the closest known key as a hint.
    static func unknown(_ key: String, source: String, line: Int?) -> ConfigError {
        let best = Schema.keys.map(\.path).min { editDistance($0, key) < editDistance($1, key) } ?? ""
        return ConfigError(source: source, key: key, problem: "unknown key (did you mean '\(best)'?)",
                           accepted: "the keys listed by `migsim scenario --print-default`", line: line)
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where i <= a.count {
            var prev = row[0]
            row[0] = i
            for j in 1...max(b.count, 1) where j <= b.count {
                let cur = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1))
                prev = cur
            }
        }
        return row[b.count]
    }

    /// Every key's value (explicit, or the default for the action) in schema order.
    public var values: [(key: String, value: String)] {
        let defaults = Self.actionDefaults(action)
        return Schema.keys.map { k in (k.path, explicit[k.path]?.text ?? defaults[k.path] ?? k.defaultText) }
    }

    /// `key=value` lines for every key, for hashing.
    public var canonicalText: String { values.map { "\($0.key)=\($0.value)\n" }.joined() }

    public var replications: Int { Int(explicit["replications"]?.text ?? "1") ?? 1 }

    var action: String { explicit["scenario.action"]?.text ?? "drain" }

    /// Defaults that differ by action.
    static func actionDefaults(_ action: String) -> [String: String] {
        switch action {
        case "rolling": return ["cluster.hosts": "51", "vms.count": "1000", "scenario.kinds": "[live]", "scenario.name": "rolling-maintenance"]
        case "balance": return ["cluster.hosts": "8", "vms.count": "48", "scenario.kinds": "[live]", "scenario.name": "pro-balancing",
                                "scenario.horizon": "1h", "cluster.host.cpu_cores": "16"]
        case "failure": return ["scenario.kinds": "[live]", "scenario.name": "host-failure"]
        default: return [:]
        }
    }

    func value(_ key: String) -> Value {
        let k = Schema.keys[Schema.byPath[key]!]
        let text = explicit[key]?.text ?? Self.actionDefaults(action)[key] ?? k.defaultText
        return (try? k.kind.parse(text, items: nil)) ?? .none
    }

    /// Builds and validates the scenario. Model errors name the source of
    /// the key when it was set explicitly.
    public func scenario() throws -> Scenario {
        let hosts = value("cluster.hosts").int, count = value("vms.count").int
        let vmHost = value("vms.host").int
        var s: Scenario
        switch action {
        case "rolling":
            guard hosts >= 2 else {
                throw error("cluster.hosts", "\(hosts) hosts", "at least 2 hosts for rolling maintenance (host 0 is the spare)")
            }
            s = Scenario.rollingMaintenance(hosts: hosts, vmsPerHost: (count + hosts - 2) / (hosts - 1))
            s.vms = Array(s.vms.prefix(count))
        case "balance":
            s = Scenario.proBalancing()
            s.cluster.hosts = Self.resized(s.cluster.hosts, hosts)
            let template = s.vms
            s.vms = (0..<count).map { i in var v = template[i % template.count]; v.host = i % min(3, hosts); return v }
        default:
            s = Scenario.builtinDefault()
            let template = s.vms
            let auto = explicit["cluster.hosts"] == nil
            var needed = hosts
            let total = (0..<count).reduce(0.0) { $0 + template[$1 % template.count].memoryBytes }
            if auto { needed = max(hosts, Int((total / (s.cluster.hosts[0].memoryBytes * 0.9)).rounded(.up)) + 1) }
            s.cluster.hosts = Self.resized(s.cluster.hosts, needed)
            guard vmHost < s.cluster.hosts.count else {
                throw error("vms.host", "host \(vmHost)", "a host index in 0..<\(s.cluster.hosts.count)")
            }
            s.vms = (0..<count).map { i in var v = template[i % template.count]; v.host = vmHost; return v }
            s.cluster.hosts[vmHost].memoryBytes = max(s.cluster.hosts[vmHost].memoryBytes, total)
            if action == "failure" { s.action = .hostFailure(host: 0) }
        }
        s.seed = UInt64(value("seed").text) ?? 1
        for k in Schema.keys where !Schema.structural.contains(k.path) {
            // A layout key left at its default keeps what the action laid out.
            if explicit[k.path] == nil && Self.layoutKeys.contains(k.path) { continue }
            try k.apply(&s, value(k.path))
        }
        try check(s)
        return s
    }

    /// Keys whose default means "as the action lays out" and must not be re-applied.
    static let layoutKeys: Set<String> = ["cluster.host.memory", "vms.memory", "vms.profiles", "vms.dirty_rate", "vms.hot_set_fraction",
                                          "vms.hot_write_share", "vms.counting", "vms.cpu_demand", "migration.fidelity",
                                          "scenario.name", "scenario.kinds", "cluster.host.cpu_cores", "scenario.horizon"]

    static func resized(_ hosts: [HostSpec], _ n: Int) -> [HostSpec] {
        (0..<n).map { i in var h = i < hosts.count ? hosts[i] : hosts[hosts.count - 1]; h.name = "host\(i)"; return h }
    }

    func error(_ key: String, _ problem: String, _ accepted: String) -> ConfigError {
        let e = explicit[key]
        return ConfigError(source: e?.source ?? "<defaults>", key: key, problem: problem, accepted: accepted, line: e?.line)
    }

    /// Cross-key checks, then the model's own validation (as a dry construction).
    func check(_ s: Scenario) throws {
        switch s.action {
        case .drain(let h), .hostFailure(let h):
            guard h < s.cluster.hosts.count else { throw error("scenario.host", "host \(h)", "a host index in 0..<\(s.cluster.hosts.count)") }
        default: break
        }
        if let biggest = s.vms.map(\.memoryBytes).max(), let roomiest = s.cluster.hosts.map(\.memoryBytes).max(), biggest > roomiest {
            throw error("vms.memory", "a VM of \(Int(biggest)) bytes is larger than every host (\(Int(roomiest)) bytes)",
                        "VM memory at most cluster.host.memory")
        }
        if s.kinds.contains(.quick) && s.cluster.sharedStorage == nil {
            throw error("scenario.kinds", "quick migration without shared storage", "cluster.shared_storage: true, or no quick")
        }
        do {
            _ = try ClusterSimulation(cluster: s.cluster, vms: s.vms, settings: s.settings, limits: s.limits, weights: s.placement, seed: s.seed)
        } catch let m as ModelError {
            let schemaKey = Self.schemaKey(for: m.key)
            throw error(schemaKey, "\(m.key) = \(m.value)", m.accepted)
        }
    }

    /// The schema key a model error path belongs to (e.g. `vms[3].workload.hot_set_fraction` → `vms.hot_set_fraction`).
    static func schemaKey(for modelKey: String) -> String {
        let cleaned = modelKey.replacingOccurrences(of: #"\[\d+\]"#, with: "", options: .regularExpression)
            .replacingOccurrences(of: ".workload", with: "")
        if Schema.byPath[cleaned] != nil { return cleaned }
        let map = ["cluster.hosts.memory": "cluster.host.memory", "cluster.hosts.nic": "cluster.host.nic", "cluster.hosts": "cluster.hosts",
                   "vms.rate": "vms.dirty_rate", "vms.disks": "vms.disks", "migration.timeout": "migration.timeout"]
        return map[cleaned] ?? cleaned
    }
}

import Foundation
