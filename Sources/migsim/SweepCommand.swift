import ArgumentParser
import Foundation
import MigsimSweep

/// `migsim sweep`: runs, lists, merges and reports on parameter sweeps.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a parameter sweep (grid or sample x replications), locally, as shards, or run by run.",
        discussion: """
            The run list is fixed by the spec: grid points in declared order (first key outermost), or \
            the points of a sample: design (saltelli or oat), times replications, with stable ids. Each \
            run's seed is a hash of (base seed, grid values, replication); the points of a sample share \
            their replication's seed. Results never depend on --jobs, --shard or execution order. Each run \
            is written atomically to OUT/runs/<id>/; `sweep merge` concatenates them in run order.
            """,
        subcommands: [SweepRunCommand.self, SweepListCommand.self, SweepMergeCommand.self, SweepSummarizeCommand.self, SweepSensitivityCommand.self, SweepStatusCommand.self],
        defaultSubcommand: SweepRunCommand.self
    )
}

/// The sweep spec argument that every `sweep` subcommand takes.
struct SweepSpecArgument: ParsableArguments {
    @Argument(help: "Sweep spec (YAML).") var spec: String

    /// Loads the spec and its run plan, mapping errors to exit code 2.
    func plan() throws -> RunPlan {
        do { return RunPlan(try SweepSpec.load(path: spec)) } catch { throw InputError(message: "\(error)") }
    }
}

/// The spec and output directory of a sweep that has been run (`sweep merge`, `sweep status`).
struct SweepDirectoryOptions: ParsableArguments {
    @OptionGroup var sweepSpec: SweepSpecArgument
    @Option(help: "Output directory of the sweep.") var out: String

    /// The spec's run plan (see ``SweepSpecArgument/plan()``).
    func plan() throws -> RunPlan { try sweepSpec.plan() }

    /// The sweep's run store under `--out`.
    var store: RunStore { RunStore(root: URL(fileURLWithPath: out, isDirectory: true)) }
}

struct SweepRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run a sweep's runs (all, a shard, or a list).")

    @OptionGroup var sweepSpec: SweepSpecArgument
    @Option(help: "Output directory.") var out: String
    @Option(help: "Worker processes (1...256); each run is its own process when > 1.") var jobs: Int = 1
    @Option(help: "Only runs with id % N == K (0-based K, explicit N), e.g. 3/8.") var shard: String?
    @Option(help: "Only these run ids, e.g. 0,4,7-9.") var runs: String?
    @Flag(help: "Skip runs whose results already exist and match the spec; refuse if any were written by a different spec.") var resume = false
    @Flag(name: .customLong("rerun-stale"), help: "With --resume: rerun runs written by a different spec instead of refusing.") var rerunStale = false
    @Flag(help: "No progress output.") var quiet = false
    /// Set by a parent sweep for its workers: the parent's pid. The parent has
    /// validated the grid; the worker dies with it (PR_SET_PDEATHSIG).
    @Option(name: .customLong("worker-of"), help: .hidden) var workerOf: Int32?

    func validate() throws {
        guard (1...256).contains(jobs) else { throw ValidationError("--jobs \(jobs): accepted 1...256") }
        if shard != nil && runs != nil { throw ValidationError("--shard and --runs: accepted one of them, not both") }
        if rerunStale && !resume { throw ValidationError("--rerun-stale: accepted only together with --resume") }
    }

    func run() throws {
        if let parent = workerOf { Worker.attach(to: parent) }
        let plan = try sweepSpec.plan()
        var selected = plan.runs
        do {
            if let s = shard { selected = try plan.shard(s) }
            if let r = runs { selected = try plan.select(r) }
            if workerOf == nil { try plan.validate() }
        } catch { throw InputError(message: "\(error)") }
        let store = RunStore(root: try OutputDirectory.prepare(out, option: "--out"))
        if resume {
            let census = store.census(plan, selected)
            if !census.stale.isEmpty && !rerunStale {
                throw InputError(message: "--resume: \(census.stale.count) run(s) in \(out) were written by a different spec (stale): "
                                 + "\(RunPlan.ranges(census.stale)) (run \(census.stale[0]): \(census.firstStaleReason ?? "?")); "
                                 + "accepted: the spec that wrote them, a new --out, or --resume --rerun-stale to rerun them")
            }
            let done = Set(census.done)
            selected = selected.filter { !done.contains($0.id) }
            store.removeTemporaries(ids: done.union(selected.map(\.id)))
        }
        let progress = Progress(total: selected.count, quiet: quiet)
        if jobs == 1 {
            for r in selected {
                do { try store.execute(plan, r) } catch { throw InputError(message: "run \(r.id): \(error)") }
                progress.tick()
            }
        } else {
            try runInWorkers(selected.map(\.id), store: store, progress: progress)
        }
        progress.finish()
    }

    /// Runs each id in its own `migsim sweep run --runs ID` process, `jobs` at a time,
    /// so a crash in one run cannot touch another.
    ///
    /// SIGINT and SIGTERM to this process are forwarded to every worker; it
    /// waits for them (up to 10 s, then SIGKILL), removes their temporary
    /// directories and exits with 128 + the signal. Workers die with this
    /// process if it is killed outright (PR_SET_PDEATHSIG, Linux).
    func runInWorkers(_ ids: [Int], store: RunStore, progress: Progress) throws {
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        let executable = FileManager.default.isExecutableFile(atPath: exe.path) ? exe : URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var queue = ids[...]
        var running: [(process: Process, id: Int)] = []
        var failed: [Int] = []
        func launch(_ id: Int) throws {
            let p = Process()
            p.executableURL = executable
            // `--opt=value` and `--` before the spec: any file name works, even one starting with '-'.
            p.arguments = ["sweep", "run", "--out=\(out)", "--runs=\(id)", "--quiet", "--worker-of=\(getpid())", "--", sweepSpec.spec]
            try p.run()
            running.append((p, id))
        }
        Worker.catchSignals()
        while !queue.isEmpty || !running.isEmpty {
            if let signal = Worker.pendingSignal() {
                Worker.stop(running.map(\.process), signal: signal)
                store.removeTemporaries(ids: Set(running.map(\.id)))
                progress.finish()
                let name = signal == SIGINT ? "SIGINT" : "SIGTERM"
                FileHandle.standardError.write(Data(("migsim: error: sweep interrupted by \(name): stopped \(running.count) worker(s); "
                    + "\(progress.done) of \(progress.total) runs finished; run again with --resume to finish\n").utf8))
                Foundation.exit(128 + signal)
            }
            do {
                while running.count < jobs, let id = queue.popFirst() { try launch(id) }
            } catch {
                Worker.stop(running.map(\.process), signal: SIGTERM)
                throw InputError(message: "cannot start a worker (\(executable.path)): \(error.localizedDescription)")
            }
            usleep(20_000)
            running.removeAll { p, id in
                guard !p.isRunning else { return false }
                if p.terminationStatus != 0 { failed.append(id) }
                progress.tick()
                return true
            }
        }
        Worker.restoreSignals()
        if !failed.isEmpty {
            throw InputError(message: "runs failed: \(RunPlan.ranges(failed)); rerun them with --runs or --resume")
        }
    }
}

struct SweepListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Print the run list as TSV: id, replication, seed, grid or sampled values.")
    @OptionGroup var sweepSpec: SweepSpecArgument

    func run() throws {
        let plan = try sweepSpec.plan()
        do { try plan.validate() } catch { throw InputError(message: "\(error)") }
        print(RunStore.indexHeader(plan.spec).joined(separator: "\t"))
        for r in plan.runs { print(([String(r.id), String(r.replication), String(r.seed)] + r.parameters).joined(separator: "\t")) }
    }
}

struct SweepMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "merge", abstract: "Merge finished runs, in run order, into OUT/{migrations,rounds,summary,runs}.csv.")
    @OptionGroup var sweep: SweepDirectoryOptions

    func run() throws {
        let plan = try sweep.plan()
        do { try sweep.store.merge(plan) } catch { throw InputError(message: "\(error)") }
        print("merged \(plan.runs.count) runs into \(sweep.out)/{migrations,rounds,summary,runs}.csv")
    }
}

struct SweepSummarizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summarize",
        abstract: "Statistics across replications into OUT/replications.csv: per grid point and kind, mean, sd and Student-t 95 % half-width.",
        discussion: """
            Reads every run's summary.csv (all runs must be done, as for merge). For each figure \
            (downtime_mean_s, downtime_p95_s, total_time_mean_s, makespan_s, bytes_sent_total) it writes \
            <figure>_n, _mean, _sd and _ci95 across the replications. Cite _ci95, not the per-run \
            downtime_ci95_s, whose migrations share links and queues.
            """)
    @OptionGroup var sweep: SweepDirectoryOptions

    func run() throws {
        let plan = try sweep.plan()
        let rows: [ReplicationSummary.Row]
        do { rows = try ReplicationSummary.write(plan, sweep.store) } catch { throw InputError(message: "\(error)") }
        let points = plan.runs.count / max(1, plan.spec.replications)
        print("summarized \(plan.runs.count) runs (\(points) grid points x \(plan.spec.replications) replications) into \(sweep.out)/replications.csv (\(rows.count) rows)")
    }
}

struct SweepSensitivityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sensitivity",
        abstract: "Sensitivity of each figure to each sampled parameter into OUT/sensitivity.csv: Sobol indices (saltelli) or one-at-a-time ranges (oat).",
        discussion: """
            For a spec with a sample: section. Reads every run's summary.csv (all runs must be done, as \
            for merge); a point's output is the mean over its replications. saltelli: first-order S1 \
            (Saltelli et al. 2010, Table 2 (b)) and total ST (Jansen, Table 2 (f)) with bootstrap 95 % \
            intervals; oat: the output at the base scenario and at each level, its min, max and range. \
            Figures: downtime_mean_s, downtime_p95_s, total_time_mean_s, makespan_s, bytes_sent_total.
            """)
    @OptionGroup var sweep: SweepDirectoryOptions
    @Option(help: "Bootstrap replicates per index for its 95 % interval (saltelli; 0 = no intervals).") var bootstrap: Int = SensitivityAnalysis.defaultResamples

    func validate() throws {
        guard (0...100_000).contains(bootstrap) else { throw ValidationError("--bootstrap \(bootstrap): accepted 0...100000") }
    }

    func run() throws {
        let plan = try sweep.plan()
        let rows: [SensitivityAnalysis.Row]
        do { rows = try SensitivityAnalysis.write(plan, sweep.store, resamples: bootstrap) } catch { throw InputError(message: "\(error)") }
        print("analysed \(plan.runs.count) runs (\(plan.spec.sample?.method.name ?? "?"), \(plan.spec.sample?.parameters.count ?? 0) parameters) into \(sweep.out)/sensitivity.csv (\(rows.count) rows)")
    }
}

struct SweepStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show how many runs are done and which are missing, incomplete or stale.")
    @OptionGroup var sweep: SweepDirectoryOptions

    func run() throws {
        let plan = try sweep.plan()
        let store = sweep.store
        let c = store.census(plan)
        print("\(c.done.count)/\(plan.runs.count) runs done")
        if !c.missing.isEmpty { print("missing: \(RunPlan.ranges(c.missing))") }
        if !c.incomplete.isEmpty { print("incomplete (a file is missing; counted as missing, rerun by --resume): \(RunPlan.ranges(c.incomplete))") }
        if !c.stale.isEmpty {
            print("stale (written by a different spec; --resume refuses, merge refuses): \(RunPlan.ranges(c.stale)) "
                  + "(run \(c.stale[0]): \(c.firstStaleReason ?? "?")); rerun them with --resume --rerun-stale")
        }
        let temporaries = store.temporaries(ids: Set(plan.runs.map(\.id))).count
        if temporaries > 0 { print("temporaries: \(temporaries) (left by killed runs; merge ignores them, --resume removes them)") }
    }
}

/// Sweep progress on stderr: a bar on a terminal, plain lines otherwise.
final class Progress {
    let total: Int
    let quiet: Bool
    let tty = isatty(STDERR_FILENO) != 0
    var done = 0
    let start = ContinuousClock.now
    var lastPlain = ContinuousClock.now

    init(total: Int, quiet: Bool) {
        self.total = total
        self.quiet = quiet
    }

    func tick() {
        done += 1
        guard !quiet else { return }
        let elapsed = (ContinuousClock.now - start).seconds
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let eta = rate > 0 ? Double(total - done) / rate : 0
        if tty {
            let width = 30, filled = total > 0 ? width * done / total : width
            let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)
            let line = "\r[" + bar + "] " + String(format: "%d/%d runs  %.2f runs/s  ETA %.0fs ", done, total, rate, eta)
            FileHandle.standardError.write(Data(line.utf8))
        } else if (ContinuousClock.now - lastPlain).seconds >= 5 || done == total {
            lastPlain = ContinuousClock.now
            FileHandle.standardError.write(Data(String(format: "sweep: %d/%d runs, %.2f runs/s, ETA %.0fs\n", done, total, rate, eta).utf8))
        }
    }

    func finish() {
        if tty && !quiet { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
