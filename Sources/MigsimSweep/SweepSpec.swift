import Foundation
import MigsimConfig
import MigsimRandom
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
    /// Grid axes in declared order (with `sample:`, the sampled keys, each
    /// with its low and high value).
    public let grid: [(key: String, values: [String])]
    /// A sampled design that replaces the grid's product (``SampleDesign``).
    public var sample: SampleDesign? = nil
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
        let known = ["base", "seed", "replications", "set", "grid", "sample"]
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
        if let sampleNode = top["sample"] {
            guard top["grid"] == nil else {
                throw fail("sample", "given with grid", "either grid or sample", sampleNode.mark)
            }
            let design = try parseSample(sampleNode, config: config, path: path, fail: fail)
            let (runs, overflow) = design.count.multipliedReportingOverflow(by: reps)
            guard !overflow, runs <= maximumRuns else {
                throw fail("sample", "more than \(maximumRuns) runs", "at most \(maximumRuns) runs (points x replications)", sampleNode.mark)
            }
            var spec = SweepSpec(path: path, base: config, seed: seed, replications: reps,
                                 grid: design.parameters.map { (key: $0.key, values: [$0.text(0), $0.text(1)]) })
            spec.sample = design
            return spec
        }
        guard let g = top["grid"], let gm = g.mapping, !gm.isEmpty else {
            throw fail("grid", "missing or empty", "a mapping of scenario keys to non-empty value lists (or a sample: design)", top["grid"]?.mark)
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

    /// Parses `sample:` (``SampleDesign``); every range end is checked as a
    /// scenario value, so a bad key or unit fails before any run.
    static func parseSample(_ node: Node, config: ScenarioConfig, path: String,
                            fail: (String, String, String, Mark?) -> SweepError) throws -> SampleDesign {
        guard let m = node.mapping else { throw fail("sample", "not a mapping", "keys method, points, parameters", node.mark) }
        for (k, _) in m where !["method", "points", "parameters"].contains(k.string ?? "") {
            throw fail("sample.\(k.string ?? "?")", "unknown key", "method, points, parameters", k.mark)
        }
        guard let methodText = m["method"]?.string, let method = SampleDesign.Method(rawValue: methodText) else {
            throw fail("sample.method", "'\(m["method"]?.string ?? "")'", "saltelli or oat", m["method"]?.mark ?? node.mark)
        }
        guard let pointsText = m["points"]?.string, let points = Int(pointsText),
              method == .saltelli ? (1...1_000_000).contains(points) : (2...1_000).contains(points) else {
            throw fail("sample.points", "'\(m["points"]?.string ?? "")'",
                       method == .saltelli ? "base points, 1...1000000" : "levels per parameter, 2...1000", m["points"]?.mark ?? node.mark)
        }
        guard let pm = m["parameters"]?.mapping, !pm.isEmpty else {
            throw fail("sample.parameters", "missing or empty", "key: [low, high] or [low, high, UNIT] or [low, high, UNIT, log]",
                       m["parameters"]?.mark ?? node.mark)
        }
        var parameters: [SampleDesign.Parameter] = []
        for (k, v) in pm {
            guard let key = k.string else { throw fail("sample.parameters", "a non-scalar key", "scenario keys", k.mark) }
            let name = "sample.parameters.\(key)"
            guard !parameters.contains(where: { $0.key == key }) else { throw fail(name, "duplicate key", "each key once", k.mark) }
            let items = v.sequence.map { Array($0) } ?? []
            let accepted = "[low, high], [low, high, UNIT] or [low, high, UNIT, log] with low < high (low > 0 for log)"
            guard (2...4).contains(items.count), let lo = items[0].string.flatMap(Double.init), let hi = items[1].string.flatMap(Double.init),
                  lo.isFinite, hi.isFinite, lo < hi else { throw fail(name, "not a range", accepted, v.mark) }
            let unit = items.count >= 3 ? items[2].string ?? "" : ""
            let logarithmic = items.count == 4
            guard !logarithmic || (items[3].string == "log" && lo > 0) else { throw fail(name, "not a range", accepted, v.mark) }
            let p = SampleDesign.Parameter(key: key, low: lo, high: hi, unit: unit, logarithmic: logarithmic)
            for u in [0.0, 1.0] {
                var probe = config
                do { try probe.set(key: key, value: p.text(u), source: path) } catch { throw SweepError("\(error)") }
            }
            parameters.append(p)
        }
        guard method != .saltelli || 2 * parameters.count <= SobolSequence.maximumDimension else {
            throw fail("sample.parameters", "\(parameters.count) parameters", "at most \(SobolSequence.maximumDimension / 2) for saltelli (Sobol dimension 2k <= 40)", m["parameters"]?.mark)
        }
        return SampleDesign(method: method, points: points, parameters: parameters)
    }
}
