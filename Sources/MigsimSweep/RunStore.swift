import Foundation
import MigsimConfig
import MigsimModel
import MigsimOutput

/// The on-disk results of a sweep: one directory per run, created atomically.
///
/// A run writes into `DIR/runs/.tmp-<id>-<pid>/` and renames it to
/// `DIR/runs/<id>/` when every file is complete, so a run directory that
/// exists is a finished run; a killed run leaves only a temporary directory,
/// which the next attempt removes.
public struct RunStore {
    public let root: URL
    public init(root: URL) { self.root = root }

    public static let files = ["migrations.csv", "rounds.csv", "summary.csv"]

    public func directory(_ id: Int) -> URL { root.appendingPathComponent("runs").appendingPathComponent(String(format: "%06d", id)) }

    public func isDone(_ id: Int) -> Bool { FileManager.default.fileExists(atPath: directory(id).path) }

    /// Runs `run` and stores its results atomically.
    public func execute(_ plan: RunPlan, _ run: SweepRun) throws {
        let fm = FileManager.default
        let runs = root.appendingPathComponent("runs")
        try fm.createDirectory(at: runs, withIntermediateDirectories: true)
        let tmp = runs.appendingPathComponent(".tmp-\(run.id)-\(getpid())")
        try? fm.removeItem(at: tmp)
        try fm.createDirectory(at: tmp, withIntermediateDirectories: true)
        let config = try plan.config(for: run)
        let scenario = try config.scenario()
        let clock = ContinuousClock()
        var results: [RunResult] = []
        let wall = try clock.measure { results = try scenario.run(runID: run.id) }
        try ResultTables.write(results, to: tmp)
        let manifest = Manifest.json(canonicalScenario: config.canonicalText, seed: run.seed, runID: run.id, wall: wall)
        try manifest.write(to: tmp.appendingPathComponent("run.json"), atomically: false, encoding: .utf8)
        let dest = directory(run.id)
        if fm.fileExists(atPath: dest.path) { try fm.removeItem(at: dest) }
        guard rename(tmp.path, dest.path) == 0 else { throw SweepError("cannot move \(tmp.path) to \(dest.path): \(String(cString: strerror(errno)))") }
    }

    /// Ids of the plan's runs that have no finished directory.
    public func missing(_ plan: RunPlan) -> [Int] { plan.runs.map(\.id).filter { !isDone($0) } }

    /// Concatenates every run's CSV in run order into `DIR/<file>` (header
    /// once) and writes `DIR/runs.csv` (run id, replication, seed, grid values).
    /// - Throws: ``SweepError`` naming the missing run ids.
    public func merge(_ plan: RunPlan) throws {
        let missing = missing(plan)
        guard missing.isEmpty else {
            throw SweepError("cannot merge: \(missing.count) of \(plan.runs.count) runs are missing: \(RunPlan.ranges(missing)); run them (e.g. with --resume) first")
        }
        for name in Self.files {
            var out = ""
            for run in plan.runs {
                let url = directory(run.id).appendingPathComponent(name)
                guard let text = try? String(contentsOf: url, encoding: .utf8), let nl = text.firstIndex(of: "\n") else {
                    throw SweepError("\(url.path): missing or empty")
                }
                if out.isEmpty { out += text[...nl] }
                out += text[text.index(after: nl)...]
            }
            try AtomicFile.write(out, to: root.appendingPathComponent(name))
        }
        var index = CSVTable(header: ["run_id", "replication", "seed"] + plan.spec.grid.map(\.key))
        for run in plan.runs { index.append([String(run.id), String(run.replication), String(run.seed)] + run.parameters) }
        try index.write(to: root.appendingPathComponent("runs.csv"))
    }
}
