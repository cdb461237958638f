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
            (["run", "--link-gbps", "-1"], ["--link-gbps", "> 0"]),
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
