import Foundation
import MigsimTestSupport
import XCTest

/// End-to-end tests: run the built `migsim` binary and check its output and exit code.
final class CLITests: XCTestCase {
    /// The directory holding the built products (where `migsim` is).
    var productsDirectory: URL {
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return bundle.bundleURL.deletingLastPathComponent()
        }
        return Bundle.main.bundleURL
    }

    struct Result { let code: Int32; let stdout: String; let stderr: String }

    func migsim(_ args: [String], in directory: URL? = nil) throws -> Result {
        let p = Process()
        p.executableURL = productsDirectory.appendingPathComponent("migsim")
        p.arguments = args
        if let directory { p.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(code: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    func tempDir() -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("migsim-cli-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: d) }
        return d
    }

    func testRunWritesThreeCSVFilesDeterministically() throws {
        let a = tempDir(), b = tempDir()
        let r1 = try migsim(["run", "--out", a.path, "--vms", "6", "--seed", "3"])
        XCTAssertEqual(r1.code, 0, r1.stderr)
        XCTAssertTrue(r1.stdout.contains("live") && r1.stdout.contains("quick") && r1.stdout.contains("storage"))
        let r2 = try migsim(["run", "--out", b.path, "--vms", "6", "--seed", "3", "--quiet"])
        XCTAssertEqual(r2.code, 0, r2.stderr)
        XCTAssertEqual(r2.stdout, "")
        for f in ["migrations.csv", "rounds.csv", "summary.csv"] {
            let x = try Data(contentsOf: a.appendingPathComponent(f)), y = try Data(contentsOf: b.appendingPathComponent(f))
            XCTAssertEqual(x, y, f)
            XCTAssertGreaterThan(x.count, 100)
        }
        let migrations = try CSVRows(String(contentsOf: a.appendingPathComponent("migrations.csv"), encoding: .utf8))
        XCTAssertEqual(Array(migrations.columns.prefix(7)), ["run_id", "seed", "vm_id", "kind", "policy", "source_host", "target_host"])
        XCTAssertEqual(migrations.column("seed").map(Set.init), ["3"], "--seed 3")
        XCTAssertEqual(Set(migrations.rows.compactMap { $0["vm_id"] }), Set((0..<6).map(String.init)), "--vms 6")
        // No temporary files are left behind.
        let left = try FileManager.default.contentsOfDirectory(atPath: a.path).filter { $0.hasPrefix(".") }
        XCTAssertEqual(left, [])
    }

    /// Bad command-line options of every subcommand: (arguments, texts the
    /// message must hold). `SPEC` is replaced by a valid sweep spec, `OUT` by a
    /// fresh output directory (`run` gets one when it names none).
    static let badOptions: [([String], [String])] = [
        (["run", "--policy", "nope"], ["--policy", "nope", "hyperv-2008r2"]),
        (["run", "--kinds", "live,teleport"], ["--kinds", "teleport", "quick"]),
        (["run", "--kinds", ""], ["--kinds", "one or more"]),
        (["run", "--fidelity", "exactish"], ["--fidelity", "page-exact"]),
        (["run", "--vms", "0"], ["--vms", "1...10000"]),
        (["run", "--vms", "99999999999999999999"], ["--vms", "1...1000000"]),
        (["run", "--link-gbps=-1"], ["--link-gbps", "> 0"]),
        (["run", "--link-gbps", "nan"], ["--link-gbps", "finite"]),
        (["run", "--link-gbps", "inf"], ["--link-gbps", "finite"]),
        (["run", "--seed=-4"], ["--seed", "18446744073709551615"]),
        (["run", "--seed", "-4"], ["seed"]),
        (["run", "--seed", "1.5"], ["--seed", "an integer"]),
        (["run", "--concurrency", "0"], ["--concurrency", "1...1000000"]),
        (["run", "--time-series", "0"], ["--time-series", "a duration > 0"]),
        (["run", "--time-series=-5"], ["--time-series", "a duration > 0"]),
        (["run", "--scenario", "teleport"], ["--scenario", "drain, rolling, balance, failure"]),
        (["run", "--set", "cluster.hosts"], ["--set", "key=value"]),
        (["run", "--set", "nokey=3"], ["--set", "nokey", "unknown key"]),
        (["run", "--set", "cluster.hosts=abc"], ["--set", "cluster.hosts", "an integer in 1...100000"]),
        (["run", "--set", "vms.dirty_trace=[/no/such/trace.csv]"], ["vms.dirty_trace", "no such file", "time_s"]),
        (["run", "/no/such/scenario.yaml"], ["/no/such/scenario.yaml", "no such file", "YAML"]),
        (["run", "--out", "/dev/null/x"], ["--out", "not a directory", "writable"]),
        (["run", "--no-such-option"], ["no-such-option"]),
        (["frobnicate"], ["frobnicate", "no such file"]),
        (["sweep", "run", "SPEC"], ["--out"]),
        (["sweep", "run", "SPEC", "--jobs", "0", "--out", "OUT"], ["--jobs", "1...256"]),
        (["sweep", "run", "SPEC", "--jobs", "999", "--out", "OUT"], ["--jobs", "1...256"]),
        (["sweep", "run", "SPEC", "--shard", "3/2", "--out", "OUT"], ["--shard", "0 <= K < N"]),
        (["sweep", "run", "SPEC", "--shard", "-1/4", "--out", "OUT"], ["--shard"]),
        (["sweep", "run", "SPEC", "--shard", "1/0", "--out", "OUT"], ["--shard", "0 <= K < N"]),
        (["sweep", "run", "SPEC", "--shard", "x", "--out", "OUT"], ["--shard", "K/N"]),
        (["sweep", "run", "SPEC", "--runs", "5-2", "--out", "OUT"], ["--runs", "5-2", "ranges"]),
        (["sweep", "run", "SPEC", "--runs", "x", "--out", "OUT"], ["--runs", "ranges"]),
        (["sweep", "run", "SPEC", "--runs", "99", "--out", "OUT"], ["--runs", "99"]),
        (["sweep", "run", "/no/such/spec.yaml", "--out", "OUT"], ["/no/such/spec.yaml", "cannot read"]),
        (["sweep", "list", "/no/such/spec.yaml"], ["/no/such/spec.yaml"]),
        (["sweep", "merge", "SPEC"], ["--out"]),
        (["sweep", "frob", "--out", "OUT"], ["frob", "cannot read"]),
        (["scenario", "--action", "explode", "--print-default"], ["--action", "drain, rolling, balance, failure"]),
        (["scenario", "check"], ["<file>"]),
        (["scenario", "check", "/no/such/scenario.yaml"], ["/no/such/scenario.yaml", "no such file"]),
        (["validate", "--data", "/no/such/dir"], ["/no/such/dir/analytic.csv", "no such file"]),
        (["validate", "--csv", "/dev/null/x.csv"], ["--csv", "not a directory"]),
        (["validate", "--only", "both"], ["--only", "'verification'"]),
        (["predict", "--model", "avg"], ["--model", "'avg'", "akoush-avg, akoush-hist, liu, all"]),
        (["predict", "--set", "vms.count=0"], ["vms.count"]),
        (["predict", "/no/such/scenario.yaml"], ["/no/such/scenario.yaml"]),
        (["bench", "--bogus"], ["--bogus"]),
        // Issue 19: negative numbers reach the option's own check; repeats, conflicts and groups are one line.
        (["run", "--seed", "-1"], ["--seed", "0...18446744073709551615"]),
        (["run", "--vms", "-5"], ["--vms", "1...1000000"]),
        (["run", "--link-gbps", "-1"], ["--link-gbps", "> 0"]),
        (["run", "--time-series", "-1"], ["--time-series", "a duration > 0"]),
        (["run", "--concurrency", "-2"], ["--concurrency", "1...1000000"]),
        (["run", "--seed"], ["--seed", "Missing value", "--help"]),
        (["run", "--seed", "1", "--seed", "2"], ["--seed", "given twice", "once"]),
        (["run", "--kinds", "live,live"], ["scenario.kinds", "appears twice", "distinct"]),
        (["run", "--set", "cluster.host=5"], ["cluster.host", "a group of keys", "cluster.host.{memory"]),
        (["run", "--set", "scenario.horizon=0.1ns"], ["scenario.horizon", "1 ns"]),
        (["run", "--set", "scenario.name=" + String(repeating: "n", count: 100_000) + "!"], ["scenario.name", "1 to 64 letters"]),
        (["run", "--set", "vms.dirty_rate=5e307"], ["vms.dirty_rate", "within +-1e+15"]),
        (["run", "--set", "migration.lun_failover=weibull(1e300, 0.01)"], ["migration.lun_failover", "within +-1e+15"]),
        (["run", "--set", "migration.boot_time=lognormal(709, 1)"], ["migration.boot_time", "within +-1e+15"]),
        (["run", "--set", "migration.lun_failover=uniform(0, 1e308)"], ["migration.lun_failover", "within +-1e+15"]),
        (["run", "--set", "vms.cpu_demand=normal(1e308, 1e308)"], ["vms.cpu_demand", "within +-1e+15"]),
        (["run", "--set", "vms.disk_write_rate=gamma(1e300, 1e300)"], ["vms.disk_write_rate", "within +-1e+15"]),
        (["run", "--out", String(repeating: "d/", count: 2_100)], ["--out", "bytes long", "at most 4000 bytes"]),
        (["run", "--out", String(repeating: "x", count: 300)], ["--out", "component", "220 bytes per component"]),
        (["sweep", "run", "SPEC", "--jobs", "-1", "--out", "OUT"], ["--jobs", "1...256"]),
        (["sweep", "run", "SPEC", "--shard", "-1/8", "--out", "OUT"], ["--shard", "0 <= K < N"]),
        (["sweep", "run", "SPEC", "--runs", "-3", "--out", "OUT"], ["--runs", "-3", "ranges"]),
        (["sweep", "run", "SPEC", "--shard", "1/2", "--shard", "0/2", "--out", "OUT"], ["--shard", "given twice ('1/2', then '0/2')"]),
        (["sweep", "run", "SPEC", "--shard", "1/2", "--runs", "1", "--out", "OUT"], ["--shard and --runs", "one of them"]),
        (["sweep", "run", "SPEC", "--rerun-stale", "--out", "OUT"], ["--rerun-stale", "--resume"]),
        (["sweep", "run", "SPEC", "--bogus", "--out", "OUT"], ["--bogus", "sweep run --help"]),
        (["sweep", "list", "DUPSPEC"], ["line 2", "duplicate key 'vms.count'"]),
        (["sweep", "list", "BADPOINT"], ["grid point scenario.host=5", "a host index in 0...1"]),
        (["sweep", "run", "BADPOINT", "--out", "OUT"], ["grid point scenario.host=5"]),
        (["scenario", "check", "EMPTY", "--set", "vms.dirty_rate=lognormal(709, 1)"], ["vms.dirty_rate", "within +-1e+15"]),
    ]

    func testBadOptionsExitWithCode2AndNameTheOption() throws {
        let dir = tempDir()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let spec = dir.appendingPathComponent("s.yaml")
        try "grid:\n  vms.count: [2, 3]\n".write(to: spec, atomically: true, encoding: .utf8)
        let dup = dir.appendingPathComponent("dup.yaml"), point = dir.appendingPathComponent("point.yaml")
        try "grid:\n  vms.count: [2]\n  vms.count: [3]\n".write(to: dup, atomically: true, encoding: .utf8)
        try "set: {cluster.hosts: 2}\ngrid: {scenario.host: [0, 5]}\n".write(to: point, atomically: true, encoding: .utf8)
        let empty = dir.appendingPathComponent("empty.yaml")
        try "".write(to: empty, atomically: true, encoding: .utf8)
        let files = ["SPEC": spec.path, "DUPSPEC": dup.path, "BADPOINT": point.path, "EMPTY": empty.path]
        var checked = 0
        for (template, needles) in Self.badOptions {
            let out = dir.appendingPathComponent("out\(checked)")
            var args = template.map { files[$0] ?? ($0 == "OUT" ? out.path : $0) }
            if args.first == "run" && !args.contains("--out") { args += ["--out", out.path] }
            let r = try migsim(args)
            XCTAssertEqual(r.code, 2, "\(args): \(r.stderr)")
            for n in needles { XCTAssertTrue(r.stderr.contains(n), "\(args): stderr lacks '\(n)': \(r.stderr)") }
            XCTAssertFalse(r.stderr.contains("Fatal error") || r.stderr.contains("Stack dump"), "\(args): crashed: \(r.stderr)")
            let lines = r.stderr.split(separator: "\n")
            XCTAssertEqual(lines.count, 1, "\(args.map { $0.prefix(40) }): one line: \(r.stderr.prefix(500))")
            XCTAssertTrue(r.stderr.hasPrefix("migsim: error: "), "\(args.map { $0.prefix(40) }): \(r.stderr.prefix(200))")
            XCTAssertLessThan(r.stderr.count, 2_100, "values echoed back are cut short")
            XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("migrations.csv").path),
                           "no CSV after a usage error")
            checked += 1
        }
        XCTAssertEqual(checked, Self.badOptions.count)
        print("bad inputs: \(checked) command-line cases exit with code 2 and name the option")
    }

    func testHelpExitsZero() throws {
        let r = try migsim(["run", "--help"])
        XCTAssertEqual(r.code, 0)
        XCTAssertTrue(r.stdout.contains("--seed"))
    }
}

extension CLITests {
    func testScenarioPrintDefaultAndCheck() throws {
        let dir = tempDir()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let printed = try migsim(["scenario", "--print-default"])
        XCTAssertEqual(printed.code, 0)
        let good = dir.appendingPathComponent("good.yaml")
        try printed.stdout.write(to: good, atomically: true, encoding: .utf8)
        let ok = try migsim(["scenario", "check", good.path])
        XCTAssertEqual(ok.code, 0, ok.stderr)
        XCTAssertTrue(ok.stdout.contains("valid"))
        let bad = dir.appendingPathComponent("bad.yaml")
        try "cluster:\n  host:\n    nic: fast\n".write(to: bad, atomically: true, encoding: .utf8)
        let r = try migsim(["scenario", "check", bad.path])
        XCTAssertEqual(r.code, 2)
        XCTAssertTrue(r.stderr.contains(bad.path) && r.stderr.contains("cluster.host.nic") && r.stderr.contains("Gbps"), r.stderr)
        // The same file makes `run` fail the same way, without writing any CSV.
        let out = dir.appendingPathComponent("out")
        let run = try migsim(["run", bad.path, "--out", out.path])
        XCTAssertEqual(run.code, 2)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
    }

    func testSweepBadShardAndMissingRuns() throws {
        let dir = tempDir()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let spec = dir.appendingPathComponent("s.yaml")
        try "replications: 2\ngrid:\n  vms.count: [2, 3]\n".write(to: spec, atomically: true, encoding: .utf8)
        for shard in ["3/2", "-1/4"] {
            let r = try migsim(["sweep", "run", spec.path, "--out", dir.path, "--shard", shard])
            XCTAssertEqual(r.code, 2, shard)
            XCTAssertTrue(r.stderr.contains("--shard"), r.stderr)
        }
        let one = try migsim(["sweep", "run", spec.path, "--out", dir.path, "--runs", "1", "--quiet"])
        XCTAssertEqual(one.code, 0, one.stderr)
        let merge = try migsim(["sweep", "merge", spec.path, "--out", dir.path])
        XCTAssertNotEqual(merge.code, 0)
        XCTAssertTrue(merge.stderr.contains("0, 2-3"), merge.stderr)
        let list = try migsim(["sweep", "list", spec.path])
        XCTAssertEqual(list.stdout.split(separator: "\n").count, 5)
        let summarize = try migsim(["sweep", "summarize", spec.path, "--out", dir.path])
        XCTAssertEqual(summarize.code, 2)
        XCTAssertTrue(summarize.stderr.contains("cannot summarize") && summarize.stderr.contains("0, 2-3"), summarize.stderr)
        XCTAssertEqual(try migsim(["sweep", "run", spec.path, "--out", dir.path, "--resume", "--quiet"]).code, 0)
        let done = try migsim(["sweep", "summarize", spec.path, "--out", dir.path])
        XCTAssertEqual(done.code, 0, done.stderr)
        XCTAssertTrue(done.stdout.contains("2 grid points x 2 replications") && done.stdout.contains("replications.csv (6 rows)"), done.stdout)
        let table = try String(contentsOf: dir.appendingPathComponent("replications.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(table.count, 7, "a header, then 2 grid points x 3 kinds (live, quick, storage)")
        XCTAssertEqual(table.dropFirst().map { $0.split(separator: ",").prefix(3).joined(separator: ",") },
                       ["2,live,2", "2,quick,2", "2,storage,2", "3,live,2", "3,quick,2", "3,storage,2"])
    }
}

/// Issue 19: data integrity of `migsim run` and sweep directories, end to end.
extension CLITests {
    func write(_ text: String, _ url: URL) throws { try text.write(to: url, atomically: true, encoding: .utf8) }

    func testEditedSpecGivesStaleRunsThatResumeAndMergeRefuse() throws {
        let dir = tempDir()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let spec = dir.appendingPathComponent("s.yaml"), out = dir.appendingPathComponent("out").path
        try write("replications: 2\ngrid:\n  vms.count: [2, 3]\n", spec)
        XCTAssertEqual(try migsim(["sweep", "run", spec.path, "--out", out, "--quiet"]).code, 0)
        try write("replications: 2\ngrid:\n  vms.count: [2, 4]\n", spec)   // edited between runs
        let status = try migsim(["sweep", "status", spec.path, "--out", out])
        XCTAssertEqual(status.code, 0)
        XCTAssertTrue(status.stdout.hasPrefix("2/4 runs done") && status.stdout.contains("stale") && status.stdout.contains("2-3"), status.stdout)
        let resume = try migsim(["sweep", "run", spec.path, "--out", out, "--resume", "--quiet"])
        XCTAssertEqual(resume.code, 2)
        XCTAssertTrue(resume.stderr.contains("--resume") && resume.stderr.contains("stale): 2-3") && resume.stderr.contains("--rerun-stale"), resume.stderr)
        let merge = try migsim(["sweep", "merge", spec.path, "--out", out])
        XCTAssertEqual(merge.code, 2)
        XCTAssertTrue(merge.stderr.contains("stale): 2-3"), merge.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/migrations.csv"), "nothing merged")
        let rerun = try migsim(["sweep", "run", spec.path, "--out", out, "--resume", "--rerun-stale", "--quiet"])
        XCTAssertEqual(rerun.code, 0, rerun.stderr)
        XCTAssertEqual(try migsim(["sweep", "merge", spec.path, "--out", out]).code, 0)
        // A run directory with a file deleted: missing for status, --resume and merge alike.
        try FileManager.default.removeItem(atPath: out + "/runs/000001/run.json")
        let s2 = try migsim(["sweep", "status", spec.path, "--out", out])
        XCTAssertTrue(s2.stdout.hasPrefix("3/4 runs done") && s2.stdout.contains("incomplete") && s2.stdout.contains("missing: 1"), s2.stdout)
        XCTAssertTrue(try migsim(["sweep", "merge", spec.path, "--out", out]).stderr.contains("missing: 1"))
        // A stale temporary of a killed run: reported, ignored by merge, removed by --resume.
        try FileManager.default.createDirectory(atPath: out + "/runs/.tmp-1-999999", withIntermediateDirectories: true)
        XCTAssertTrue(try migsim(["sweep", "status", spec.path, "--out", out]).stdout.contains("temporaries: 1"))
        XCTAssertEqual(try migsim(["sweep", "run", spec.path, "--out", out, "--resume", "--quiet"]).code, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/runs/.tmp-1-999999"))
        XCTAssertEqual(try migsim(["sweep", "merge", spec.path, "--out", out]).code, 0)
    }

    func testSpecWhoseNameStartsWithADashRunsInWorkers() throws {
        let dir = tempDir()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try write("grid:\n  vms.count: [2, 3]\n", dir.appendingPathComponent("-s.yaml"))
        for jobs in ["1", "2"] {
            let r = try migsim(["sweep", "run", "--out", "out\(jobs)", "--jobs", jobs, "--quiet", "--", "-s.yaml"], in: dir)
            XCTAssertEqual(r.code, 0, "--jobs \(jobs): \(r.stderr)")
            XCTAssertEqual(try migsim(["sweep", "merge", "--out", "out\(jobs)", "--", "-s.yaml"], in: dir).code, 0)
        }
        let a = try Data(contentsOf: dir.appendingPathComponent("out1/migrations.csv"))
        XCTAssertEqual(a, try Data(contentsOf: dir.appendingPathComponent("out2/migrations.csv")))
    }

    func testRunReplacesItsOutputDirectoryAsAWhole() throws {
        let dir = tempDir()
        let out = dir.appendingPathComponent("out")
        XCTAssertEqual(try migsim(["run", "--out", out.path, "--vms", "3", "--quiet", "--time-series", "10"]).code, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("links.csv").path))
        XCTAssertEqual(try migsim(["run", "--out", out.path, "--vms", "4", "--quiet"]).code, 0)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted(),
                       ["migrations.csv", "rounds.csv", "run.json", "summary.csv"], "no links.csv left from the earlier run")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["out"], "no temporary left beside OUT")
        // A directory holding anything else is refused before the run and left as it was.
        try write("mine", out.appendingPathComponent("notes.txt"))
        let r = try migsim(["run", "--out", out.path, "--vms", "5", "--quiet"])
        XCTAssertEqual(r.code, 2)
        XCTAssertTrue(r.stderr.contains("notes.txt") && r.stderr.contains("replaced as a whole"), r.stderr)
        XCTAssertEqual(try String(contentsOf: out.appendingPathComponent("notes.txt"), encoding: .utf8), "mine")
        let rows = try CSVRows(String(contentsOf: out.appendingPathComponent("migrations.csv"), encoding: .utf8))
        XCTAssertEqual(Set(rows.rows.compactMap { $0["vm_id"] }).count, 4, "the earlier results are untouched")
        // A temporary left by a killed run (its process is gone) is removed by the next run.
        let stale = dir.appendingPathComponent(".fresh.tmp-999999")
        try FileManager.default.createDirectory(at: stale, withIntermediateDirectories: true)
        XCTAssertEqual(try migsim(["run", "--out", dir.appendingPathComponent("fresh").path, "--vms", "2", "--quiet"]).code, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: stale.path))
    }

    func testTooDeepOutPathCreatesNothing() throws {
        let dir = tempDir()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let deep = dir.path + "/" + String(repeating: "d/", count: 2_100)
        for args in [["run", "--out", deep], ["sweep", "run", "SPEC", "--out", deep], ["validate", "--csv", deep + "v.csv"]] {
            let spec = dir.appendingPathComponent("s.yaml")
            try write("grid:\n  vms.count: [2]\n", spec)
            let r = try migsim(args.map { $0 == "SPEC" ? spec.path : $0 })
            XCTAssertEqual(r.code, 2, r.stderr)
            XCTAssertTrue(r.stderr.contains("bytes long"), r.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("d").path), "\(args[0]): no directory created")
        }
    }

    func testValidateFindsItsDataFromAnotherDirectory() throws {
        let r = try migsim(["validate"], in: FileManager.default.temporaryDirectory)
        XCTAssertEqual(r.code, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("validate: ") && r.stdout.contains(" passed, 0 failed"), r.stdout)
    }

    /// `migsim predict` writes one row per VM and predictor of the built-in
    /// drain, each with bytes sent and a downtime no longer than its total
    /// time (the closed forms themselves are checked in ClosedFormPredictorTests).
    func testPredictWritesOneRowPerVMAndPredictor() throws {
        let r = try migsim(["predict", "--set", "vms.count=3"], in: FileManager.default.temporaryDirectory)
        XCTAssertEqual(r.code, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n")
        XCTAssertEqual(lines.first, "vm_id,predictor,rounds,bytes_sent,total_time_s,downtime_s")
        XCTAssertEqual(lines.count, 1 + 3 * 3)
        XCTAssertEqual(Set(lines.dropFirst().map { $0.split(separator: ",")[1] }), ["akoush-avg", "akoush-hist", "liu"])
        for line in lines.dropFirst() {
            let f = line.split(separator: ",")
            XCTAssertGreaterThan(Double(f[3]) ?? 0, 0, String(line))
            XCTAssertLessThanOrEqual(Double(f[5]) ?? .infinity, Double(f[4]) ?? 0, String(line))
        }
    }
}
