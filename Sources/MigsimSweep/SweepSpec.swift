import Foundation
import MigsimConfig
import Yams

/// A bad sweep specification or run selection; the CLI exits with code 2.
public struct SweepError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A sweep: a base scenario, an ordered grid of `key: [values]`, fixed
/// overrides and a number of replications.
///
/// ```yaml
/// base: scenario.yaml          # optional; relative to this file; default: built-in
/// seed: 1                      # base seed of the sweep
/// replications: 3
/// set:                         # optional fixed overrides
///   vms.count: 10
/// grid:                        # declared order is the run order (first key outermost)
///   migration.policy: [hyperv-2008r2, qemu]
///   cluster.host.nic: [1Gbps, 10Gbps]
/// ```
public struct SweepSpec {
    public let path: String
    public let base: ScenarioConfig
    public let seed: UInt64
    public let replications: Int
    /// Grid axes in declared order.
    public let grid: [(key: String, values: [String])]
    /// Runs a sweep may have: grid points x replications.
    public static let maximumRuns = 10_000_000

    /// A scalar's text, or a list of scalars as `[a, b]`; `nil` for anything else.
    static func valueText(_ n: Node) -> String? {
        if let s = n.scalar?.string { return s }
        guard let seq = n.sequence else { return nil }
        var items: [String] = []
        for i in seq {
            guard let s = i.scalar?.string else { return nil }
            items.append(s)
        }
        return "[" + items.joined(separator: ", ") + "]"
    }

    public static func load(path: String) throws -> SweepSpec {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw SweepError("\(path): cannot read the sweep spec (missing, unreadable or not UTF-8)")
        }
        return try parse(text, path: path)
    }

    public static func parse(_ text: String, path: String) throws -> SweepSpec {
        func fail(_ key: String, _ problem: String, _ accepted: String, _ mark: Mark? = nil) -> SweepError {
            let at = mark.map { " (line \($0.line))" } ?? ""
            return SweepError("\(path): \(key)\(at): \(problem); accepted: \(accepted)")
        }
        let root: Node
        do {
            guard let r = try Yams.compose(yaml: text) else { throw fail("grid", "the spec is empty", "a mapping with a non-empty grid") }
            root = r
        } catch let e as SweepError {
            throw e
        } catch let e as YamlError {
            throw SweepError("\(ScenarioFile.syntaxError(e, source: path))")
        } catch {
            throw SweepError("\(path): YAML syntax error: \(error)")
        }
        guard let top = root.mapping else { throw fail("(top level)", "not a mapping", "keys base, seed, replications, set, grid") }
        let known = ["base", "seed", "replications", "set", "grid"]
        var seen: Set<String> = []
        for (k, _) in top {
            let name = k.string ?? "?"
            guard known.contains(name) else { throw fail(name, "unknown key", known.joined(separator: ", "), k.mark) }
            guard seen.insert(name).inserted else { throw fail(name, "duplicate key", "each key once", k.mark) }
        }
        var config: ScenarioConfig
        if let b = top["base"] {
            guard let rel = b.string, !rel.isEmpty else { throw fail("base", "not a path", "a scenario file path", b.mark) }
            let dir = URL(fileURLWithPath: path).deletingLastPathComponent()
            let full = rel.hasPrefix("/") ? rel : dir.appendingPathComponent(rel).path
            do { config = try ScenarioFile.load(path: full) } catch { throw SweepError("\(error)") }
        } else {
            do { config = try ScenarioFile.parse("", source: "<default>") } catch { throw SweepError("\(error)") }
        }
        var seed: UInt64 = 1
        if let s = top["seed"] {
            guard let t = s.string, let v = UInt64(t) else { throw fail("seed", "'\(s.string ?? "?")' is not a seed", "an integer in 0...\(UInt64.max)", s.mark) }
            seed = v
        }
        var reps = 1
        if let r = top["replications"] {
            guard let t = r.string, let v = Int(t), v >= 1, v <= 1_000_000 else {
                throw fail("replications", "'\(r.string ?? "?")' is out of range", "an integer in 1...1000000", r.mark)
            }
            reps = v
        }
        if let s = top["set"] {
            guard let m = s.mapping else { throw fail("set", "not a mapping", "key: value pairs", s.mark) }
            var keys: Set<String> = []
            for (k, v) in m {
                guard let key = k.string, let value = valueText(v) else { throw fail("set", "a non-scalar entry", "key: value (a scalar or a list of scalars)", k.mark) }
                guard keys.insert(key).inserted else { throw fail("set.\(key)", "duplicate key", "each key once", k.mark) }
                do { try config.set(key: key, value: value, source: path) } catch { throw SweepError("\(error)") }
            }
        }
        guard let g = top["grid"], let gm = g.mapping, !gm.isEmpty else {
            throw fail("grid", "missing or empty", "a mapping of scenario keys to non-empty value lists", top["grid"]?.mark)
        }
        var axes: [(String, [String])] = []
        for (k, v) in gm {
            guard let key = k.string else { throw fail("grid", "a non-scalar key", "scenario keys", k.mark) }
            guard !axes.contains(where: { $0.0 == key }) else { throw fail("grid.\(key)", "duplicate key", "each key once", k.mark) }
            guard let seq = v.sequence, !seq.isEmpty else {
                throw fail("grid.\(key)", "not a non-empty list", "a list such as [1Gbps, 10Gbps]", v.mark)
            }
            var values: [String] = []
            for item in seq {
                guard let s = valueText(item) else { throw fail("grid.\(key)", "a nested value", "scalars or lists of scalars", item.mark) }
                // Check each value now, so a bad grid fails before any run starts.
                var probe = config
                do { try probe.set(key: key, value: s, source: path) } catch { throw SweepError("\(error)") }
                values.append(s)
            }
            guard Set(values).count == values.count else { throw fail("grid.\(key)", "duplicate values", "distinct values", v.mark) }
            axes.append((key, values))
        }
        // Checked axis by axis: a product that wrapped around (64 axes of 2
        // values is 2^64, i.e. 0) once passed and RunPlan never finished.
        var count = reps
        for (key, values) in axes {
            let (product, overflow) = count.multipliedReportingOverflow(by: values.count)
            guard !overflow, product <= maximumRuns else {
                throw fail("grid", "more than \(maximumRuns) runs (\(reps) replications x the values of every axis up to \(key))",
                           "at most \(maximumRuns) runs")
            }
            count = product
        }
        return SweepSpec(path: path, base: config, seed: seed, replications: reps, grid: axes.map { (key: $0.0, values: $0.1) })
    }
}
