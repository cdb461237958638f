import Foundation
import MigsimConfig
import MigsimModel
import MigsimOutput

/// The on-disk results of a sweep: one directory per run, created atomically.
///
/// A run writes into `DIR/runs/.tmp-<id>-<pid>/` and renames it to
/// `DIR/runs/<id>/` when every file is complete, so a killed run leaves only
/// a temporary directory, never a partial run directory.
///
/// A run directory counts as **done** only when it holds every file of
/// ``files`` and its `run.json` names the run id, seed and scenario digest
/// that the *current* spec gives that run. `status`, `--resume` and `merge`
/// all use ``state(of:_:)``, so they agree on what "done" means.
public struct RunStore {
    public let root: URL
    public init(root: URL) { self.root = root }

    /// The files every finished run directory holds.
    public static let files = ["migrations.csv", "rounds.csv", "summary.csv", "run.json"]
    /// The CSV files that `merge` concatenates.
    public static let mergedFiles = ["migrations.csv", "rounds.csv", "summary.csv"]

    /// What the store holds for one run.
    public enum RunState: Equatable, Sendable {
        /// Complete, and written by the current spec.
        case done
        /// No run directory.
        case missing
        /// A run directory without one of ``RunStore/files`` (deleted by hand, or a foreign directory).
        case incomplete(missingFile: String)
        /// Written by a different spec: `run.json` gives another digest, seed or run id, or cannot be read.
        case stale(reason: String)
    }

    public var runsDirectory: URL { root.appendingPathComponent("runs") }

    public func directory(_ id: Int) -> URL { runsDirectory.appendingPathComponent(String(format: "%06d", id)) }

    /// The run's state against `plan` (see ``RunState``).
    public func state(of run: SweepRun, _ plan: RunPlan) -> RunState {
        let dir = directory(run.id)
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: dir.path, isDirectory: &isDirectory) else { return .missing }
        guard isDirectory.boolValue else { return .incomplete(missingFile: "(not a directory)") }
        for f in Self.files where !fm.fileExists(atPath: dir.appendingPathComponent(f).path) { return .incomplete(missingFile: f) }
        guard let data = fm.contents(atPath: dir.appendingPathComponent("run.json").path),
              let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            return .stale(reason: "run.json is not a JSON object")
        }
        let expected: String
        do { expected = Manifest.digest(try plan.config(for: run).canonicalText) } catch { return .stale(reason: "\(error)") }
        let digest = json["scenario_digest"] as? String
        guard digest == expected else { return .stale(reason: "scenario digest \(digest ?? "none"), the spec gives \(expected)") }
        let seed = (json["seed"] as? NSNumber)?.uint64Value
        guard seed == run.seed else { return .stale(reason: "seed \(seed.map(String.init) ?? "none"), the spec gives \(run.seed)") }
        let id = (json["run_id"] as? NSNumber)?.intValue
        guard id == run.id else { return .stale(reason: "run id \(id.map(String.init) ?? "none"), expected \(run.id)") }
        return .done
    }

    /// The plan's runs grouped by state: done, missing (including incomplete), incomplete, stale.
    public struct Census {
        public var done: [Int] = [], missing: [Int] = [], incomplete: [Int] = [], stale: [Int] = []
        /// The first stale run's reason, for messages.
        public var firstStaleReason: String?
    }

    public func census(_ plan: RunPlan, _ runs: [SweepRun]? = nil) -> Census {
        var c = Census()
        for run in runs ?? plan.runs {
            switch state(of: run, plan) {
            case .done: c.done.append(run.id)
            case .missing: c.missing.append(run.id)
            case .incomplete: c.missing.append(run.id); c.incomplete.append(run.id)
            case .stale(let reason):
                c.stale.append(run.id)
                if c.firstStaleReason == nil { c.firstStaleReason = reason }
            }
        }
        return c
    }

    /// Runs `run` and stores its results atomically.
    public func execute(_ plan: RunPlan, _ run: SweepRun) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: runsDirectory, withIntermediateDirectories: true)
        let tmp = runsDirectory.appendingPathComponent(".tmp-\(run.id)-\(getpid())")
        try? fm.removeItem(at: tmp)
        try fm.createDirectory(at: tmp, withIntermediateDirectories: true)
        do {
            let config = try plan.config(for: run)
            let scenario = try config.scenario()
            let clock = ContinuousClock()
            var results: [RunResult] = []
            let wall = try clock.measure { results = try scenario.run(runID: run.id) }
            try ResultTables.write(results, to: tmp)
            let manifest = Manifest.json(canonicalScenario: config.canonicalText, seed: run.seed, runID: run.id, wall: wall)
            try AtomicFile.write(manifest, to: tmp.appendingPathComponent("run.json"))
            let dest = directory(run.id)
            if fm.fileExists(atPath: dest.path) { try fm.removeItem(at: dest) }
            guard rename(tmp.path, dest.path) == 0 else { throw SweepError("cannot move \(tmp.path) to \(dest.path): \(String(cString: strerror(errno)))") }
        } catch {
            try? fm.removeItem(at: tmp)
            throw error
        }
    }

    /// Temporary directories (`runs/.tmp-<id>-<pid>`) of the runs in `ids`:
    /// left by killed attempts. Only ids the caller owns are touched, so
    /// shards of one sweep running at once (even on other nodes sharing the
    /// directory) never remove each other's work in progress.
    public func temporaries(ids: Set<Int>) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: runsDirectory.path)) ?? []
        return names.filter { $0.hasPrefix(".tmp-") }.compactMap { name in
            let parts = name.dropFirst(5).split(separator: "-")
            guard parts.count == 2, let id = Int(parts[0]), ids.contains(id) else { return nil }
            return runsDirectory.appendingPathComponent(name)
        }
    }

    /// Removes ``temporaries(ids:)``; returns how many were removed.
    @discardableResult
    public func removeTemporaries(ids: Set<Int>) -> Int {
        temporaries(ids: ids).filter { (try? FileManager.default.removeItem(at: $0)) != nil }.count
    }

    /// The column names of `runs.csv` and `sweep list`: run_id, replication,
    /// seed, then one per grid or sampled key (`grid.<key>` when the key is one
    /// of the first three, e.g. a grid over `seed`).
    public static func indexHeader(_ spec: SweepSpec) -> [String] {
        let fixed = ["run_id", "replication", "seed"]
        return fixed + spec.parameterKeys.map { fixed.contains($0) ? "grid.\($0)" : $0 }
    }

    /// Throws unless every run of `plan` is done: names the stale runs first, then the missing ones.
    /// `verb` (`merge`, `summarize`) starts the message.
    public func requireComplete(_ plan: RunPlan, for verb: String) throws {
        let c = census(plan)
        guard c.stale.isEmpty else {
            throw SweepError("cannot \(verb): \(c.stale.count) of \(plan.runs.count) runs were written by a different spec (stale): "
                             + "\(RunPlan.ranges(c.stale)) (run \(c.stale[0]): \(c.firstStaleReason ?? "?")); "
                             + "rerun them with --resume --rerun-stale, or \(verb) with the spec that wrote them")
        }
        guard c.missing.isEmpty else {
            throw SweepError("cannot \(verb): \(c.missing.count) of \(plan.runs.count) runs are missing: \(RunPlan.ranges(c.missing)); run them (e.g. with --resume) first")
        }
    }

    /// Concatenates every run's CSV in run order into `DIR/<file>` (header
    /// once) and writes `DIR/runs.csv` (run id, replication, seed, grid values).
    /// Ignores temporary directories (`runs/.tmp-*`) and removes its own
    /// temporary files left by a killed merge.
    /// - Throws: ``SweepError`` naming the missing and stale run ids.
    public func merge(_ plan: RunPlan) throws {
        try requireComplete(plan, for: "merge")
        let leftovers = ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).filter { name in
            (Self.mergedFiles + ["runs.csv"]).contains { name.hasPrefix(".\($0).tmp.") }
        }
        for name in leftovers { try? FileManager.default.removeItem(at: root.appendingPathComponent(name)) }
        for name in Self.mergedFiles {
            var out = Data()
            for run in plan.runs {
                let url = directory(run.id).appendingPathComponent(name)
                guard let data = FileManager.default.contents(atPath: url.path), let nl = data.firstIndex(of: UInt8(ascii: "\n")) else {
                    throw SweepError("\(url.path): missing or empty")
                }
                if out.isEmpty { out.append(data[...nl]) }
                out.append(data[data.index(after: nl)...])
            }
            try AtomicFile.write(out, to: root.appendingPathComponent(name))
        }
        var index = CSVTable(header: Self.indexHeader(plan.spec))
        for run in plan.runs { index.append([String(run.id), String(run.replication), String(run.seed)] + run.parameters) }
        try index.write(to: root.appendingPathComponent("runs.csv"))
    }
}
