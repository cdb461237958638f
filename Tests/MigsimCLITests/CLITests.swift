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

    func migsim(_ args: [String]) throws -> Result {
        let p = Process()
        p.executableURL = productsDirectory.appendingPathComponent("migsim")
        p.arguments = args
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
        (["validate", "--data", "/no/such/dir"], ["/no/such/dir", "cannot read"]),
        (["validate", "--csv", "/dev/null/x.csv"], ["--csv", "not a directory"]),
        (["bench", "--bogus"], ["--bogus"]),
    ]

    func testBadOptionsExitWithCode2AndNameTheOption() throws {
        let dir = tempDir()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let spec = dir.appendingPathComponent("s.yaml")
        try "grid:\n  vms.count: [2, 3]\n".write(to: spec, atomically: true, encoding: .utf8)
        var checked = 0
        for (template, needles) in Self.badOptions {
            let out = dir.appendingPathComponent("out\(checked)")
            var args = template.map { $0 == "SPEC" ? spec.path : $0 == "OUT" ? out.path : $0 }
            if args.first == "run" && !args.contains("--out") { args += ["--out", out.path] }
            let r = try migsim(args)
            XCTAssertEqual(r.code, 2, "\(args): \(r.stderr)")
            for n in needles { XCTAssertTrue(r.stderr.contains(n), "\(args): stderr lacks '\(n)': \(r.stderr)") }
            XCTAssertFalse(r.stderr.contains("Fatal error") || r.stderr.contains("Stack dump"), "\(args): crashed: \(r.stderr)")
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
    }
}
