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

/// A sweep: a base scenario, an ordered grid of `key: [values]` or a sampling
/// design (`sample:`), fixed overrides and a number of replications.
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
///
/// Instead of `grid` (one or the other, never both), a `sample:` section
/// draws the points for a sensitivity analysis (``SampleDesign``):
///
/// ```yaml
/// sample:
///   method: saltelli           # or oat
///   base_points: 64            # saltelli: N, giving N (k + 2) points
///   levels: 3                  # oat: points per parameter (default 3: low, middle, high)
///   parameters:                # key: [low, high], both in one unit, or a mapping:
///     cluster.host.nic: {low: 1Gbps, high: 40Gbps, scale: log}
///     concurrency.per_host: {low: 1, high: 4, integer: true}
///     cluster.protocol_efficiency: [0.85, 0.98]
/// ```
public struct SweepSpec {
    public let path: String
    public let base: ScenarioConfig
    public let seed: UInt64
    public let replications: Int
    /// Grid axes in declared order; empty when the spec samples.
    public let grid: [(key: String, values: [String])]
    /// The sampling design, when the spec has `sample:` instead of `grid:`.
    public let sample: SampleDesign?
    /// The keys a run sets, in order: the grid axes, or the sampled parameters.
    public var parameterKeys: [String] { sample.map { $0.parameters.map(\.key) } ?? grid.map(\.key) }
    /// Parameters a Saltelli design may have: GSL's Sobol sequence has 40 dimensions, two per parameter.
    public static var maximumSaltelliParameters: Int { SobolSequence.maximumDimension / 2 }
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
        guard let top = root.mapping else { throw fail("(top level)", "not a mapping", "keys base, seed, replications, set, grid, sample") }
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
        var fixed: Set<String> = []
        if let s = top["set"] {
            guard let m = s.mapping else { throw fail("set", "not a mapping", "key: value pairs", s.mark) }
            var keys: Set<String> = []
            defer { fixed = keys }
            for (k, v) in m {
                guard let key = k.string, let value = valueText(v) else { throw fail("set", "a non-scalar entry", "key: value (a scalar or a list of scalars)", k.mark) }
                guard keys.insert(key).inserted else { throw fail("set.\(key)", "duplicate key", "each key once", k.mark) }
                do { try config.set(key: key, value: value, source: path) } catch { throw SweepError("\(error)") }
            }
        }
        if let sn = top["sample"] {
            if let g = top["grid"] { throw fail("grid", "given together with sample", "either grid or sample, not both", g.mark) }
            let design = try parseSample(sn, config: config, fixed: fixed, replications: reps, path: path, fail: fail)
            return SweepSpec(path: path, base: config, seed: seed, replications: reps, grid: [], sample: design)
        }
        guard let g = top["grid"], let gm = g.mapping, !gm.isEmpty else {
            throw fail("grid", "missing or empty", "a mapping of scenario keys to non-empty value lists, or a sample section", top["grid"]?.mark)
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
        return SweepSpec(path: path, base: config, seed: seed, replications: reps, grid: axes.map { (key: $0.0, values: $0.1) }, sample: nil)
    }

    /// The `sample:` section (see the type's documentation); `fixed` are the keys of `set:`.
    static func parseSample(_ node: Node, config: ScenarioConfig, fixed: Set<String>, replications reps: Int, path: String,
                            fail: (String, String, String, Mark?) -> SweepError) throws -> SampleDesign {
        guard let m = node.mapping else { throw fail("sample", "not a mapping", "keys method, base_points, levels, parameters", node.mark) }
        let known = ["method", "base_points", "levels", "parameters"]
        for (k, _) in m {
            let name = k.string ?? "?"
            guard known.contains(name) else { throw fail("sample.\(name)", "unknown key", known.joined(separator: ", "), k.mark) }
        }
        func integer(_ key: String, _ range: ClosedRange<Int>, _ n: Node) throws -> Int {
            guard let t = n.scalar?.string, let v = Int(t), range.contains(v) else {
                throw fail("sample.\(key)", "'\(n.scalar?.string ?? "(not a scalar)")' is out of range", "an integer in \(range.lowerBound)...\(range.upperBound)", n.mark)
            }
            return v
        }
        guard let mn = m["method"] else { throw fail("sample.method", "missing", "saltelli or oat", node.mark) }
        let method: SampleMethod
        switch mn.scalar?.string {
        case "saltelli":
            if let l = m["levels"] { throw fail("sample.levels", "given with method saltelli", "levels only with method oat", l.mark) }
            guard let b = m["base_points"] else { throw fail("sample.base_points", "missing", "an integer in 2...1000000 (N; the design has N (k + 2) points)", mn.mark) }
            method = .saltelli(basePoints: try integer("base_points", 2...1_000_000, b))
        case "oat":
            if let b = m["base_points"] { throw fail("sample.base_points", "given with method oat", "base_points only with method saltelli", b.mark) }
            method = .oat(levels: try m["levels"].map { try integer("levels", 2...1000, $0) } ?? 3)
        default:
            throw fail("sample.method", "'\(mn.scalar?.string ?? "(not a scalar)")' is not a method", "saltelli or oat", mn.mark)
        }
        guard let pn = m["parameters"], let pm = pn.mapping, !pm.isEmpty else {
            throw fail("sample.parameters", "missing or empty", "a mapping of scenario keys to [low, high] or {low, high, scale, integer}", m["parameters"]?.mark ?? node.mark)
        }
        if case .saltelli = method, pm.count > maximumSaltelliParameters {
            throw fail("sample.parameters", "\(pm.count) parameters", "at most \(maximumSaltelliParameters) with method saltelli (GSL's Sobol sequence has \(SobolSequence.maximumDimension) dimensions, 2 per parameter)", pn.mark)
        }
        var parameters: [SampledParameter] = []
        let values = config.values
        var baseTexts: [String] = []
        for (k, v) in pm {
            guard let key = k.string else { throw fail("sample.parameters", "a non-scalar key", "scenario keys", k.mark) }
            let name = "sample.parameters.\(key)"
            guard !parameters.contains(where: { $0.key == key }) else { throw fail(name, "duplicate key", "each key once", k.mark) }
            guard !fixed.contains(key) else { throw fail(name, "also fixed in set", "each key either in set or sampled", k.mark) }
            // The run's seed replaces `seed`; `replications` is not a model parameter.
            guard key != "seed" && key != "replications" else { throw fail(name, "not a model parameter", "scenario keys other than seed and replications", k.mark) }
            let p = try parseParameter(key, v, name: name, config: config, path: path, fail: fail)
            parameters.append(p)
            baseTexts.append(values.first { $0.key == key }?.value ?? "")
        }
        // Checked before the design is built: a million-row design would take seconds to refuse.
        guard let points = SampleDesign.pointCount(method, parameters: parameters.count),
              case let (count, overflow) = points.multipliedReportingOverflow(by: reps), !overflow, count <= maximumRuns else {
            throw fail("sample", "more than \(maximumRuns) runs (\(reps) replications x the design's points)", "at most \(maximumRuns) runs", node.mark)
        }
        return SampleDesign(method: method, parameters: parameters, baseTexts: baseTexts)
    }

    /// One entry of `sample.parameters`: `[low, high]` or `{low, high, scale, integer}`.
    static func parseParameter(_ key: String, _ v: Node, name: String, config: ScenarioConfig, path: String,
                               fail: (String, String, String, Mark?) -> SweepError) throws -> SampledParameter {
        let form = "[low, high] in one unit (e.g. [1Gbps, 25Gbps]) or {low: 1Gbps, high: 25Gbps, scale: linear|log, integer: true|false}"
        var lowNode: Node?, highNode: Node?
        var scale = SampledParameter.Scale.linear, integer = false
        if let seq = v.sequence {
            guard seq.count == 2 else { throw fail(name, "a list of \(seq.count) items", form, v.mark) }
            lowNode = seq[0]
            highNode = seq[1]
        } else if let pm = v.mapping {
            for (k, x) in pm {
                switch k.string {
                case "low": lowNode = x
                case "high": highNode = x
                case "scale":
                    guard let t = x.scalar?.string, let s = SampledParameter.Scale(rawValue: t) else {
                        throw fail("\(name).scale", "'\(x.scalar?.string ?? "(not a scalar)")' is not a scale", "linear or log", x.mark)
                    }
                    scale = s
                case "integer":
                    guard let t = x.scalar?.string, t == "true" || t == "false" else {
                        throw fail("\(name).integer", "'\(x.scalar?.string ?? "(not a scalar)")' is not a boolean", "true or false", x.mark)
                    }
                    integer = t == "true"
                default: throw fail("\(name).\(k.string ?? "?")", "unknown key", "low, high, scale, integer", k.mark)
                }
            }
            guard lowNode != nil, highNode != nil else { throw fail(name, "low or high missing", form, v.mark) }
        } else {
            throw fail(name, "not a range", form, v.mark)
        }
        var bounds: [(value: Double, unit: String, text: String)] = []
        for n in [lowNode!, highNode!] {
            guard let t = n.scalar?.string, let (x, u) = NumberWithUnit.split(t) else {
                throw fail(name, "'\(n.scalar?.string ?? "(not a scalar)")' is not a number", "numbers with an optional unit, " + form, n.mark)
            }
            // The key checks each bound as it would a grid value (unknown key, wrong unit, out of range).
            var probe = config
            do { try probe.set(key: key, value: t, source: path) } catch { throw SweepError("\(error)") }
            bounds.append((x, u, t))
        }
        let (lo, hi) = (bounds[0], bounds[1])
        guard lo.unit == hi.unit else {
            throw fail(name, "bounds in different units ('\(lo.text)' and '\(hi.text)')", "low and high in the same unit, e.g. [1Gbps, 25Gbps]", v.mark)
        }
        guard lo.value < hi.value else { throw fail(name, "low \(lo.text) is not below high \(hi.text)", "low < high", v.mark) }
        if scale == .log && !(lo.value > 0) { throw fail(name, "log scale from \(lo.text)", "low > 0 with scale: log", v.mark) }
        if integer && (lo.value != lo.value.rounded() || hi.value != hi.value.rounded() || abs(hi.value) >= 1e15 || abs(lo.value) >= 1e15) {
            throw fail(name, "integer range with bounds \(lo.text) and \(hi.text)", "whole-number bounds below 1e15 with integer: true", v.mark)
        }
        return SampledParameter(key: key, low: lo.value, high: hi.value, unit: lo.unit, scale: scale, integer: integer)
    }
}
