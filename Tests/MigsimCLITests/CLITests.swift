import Foundation
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
        let header = try String(contentsOf: a.appendingPathComponent("migrations.csv"), encoding: .utf8).split(separator: "\n")[0]
        XCTAssertTrue(header.hasPrefix("run_id,seed,vm_id,kind,policy,source_host,target_host"))
        // No temporary files are left behind.
        let left = try FileManager.default.contentsOfDirectory(atPath: a.path).filter { $0.hasPrefix(".") }
        XCTAssertEqual(left, [])
    }

    func testBadOptionsExitWithCode2AndNameTheOption() throws {
        let cases: [([String], [String])] = [
            (["run", "--policy", "nope"], ["--policy", "nope", "hyperv-2008r2"]),
            (["run", "--kinds", "live,teleport"], ["--kinds", "teleport", "quick"]),
            (["run", "--fidelity", "exactish"], ["--fidelity", "page-exact"]),
            (["run", "--vms", "0"], ["--vms", "1...10000"]),
            (["run", "--link-gbps=-1"], ["--link-gbps", "> 0"]),
            (["run", "--seed=-4"], ["--seed", "18446744073709551615"]),
            (["run", "--seed", "-4"], ["seed"]),
            (["run", "--no-such-option"], ["no-such-option"]),
        ]
        for (args, needles) in cases {
            let out = tempDir()
            let r = try migsim(args + ["--out", out.path])
            XCTAssertEqual(r.code, 2, "\(args): \(r.stderr)")
            for n in needles { XCTAssertTrue(r.stderr.contains(n), "\(args): stderr lacks '\(n)': \(r.stderr)") }
            XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("migrations.csv").path),
                           "no CSV after a usage error")
        }
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
