import Foundation
import MigsimConfig
import MigsimModel
import XCTest

/// `--set` overrides (and sweep values) on top of a file.
final class OverrideTests: XCTestCase {
    func testSetOverridesTheFileWithUnits() throws {
        var c = try ScenarioFile.parse("cluster: {host: {nic: 1Gbps}}\nmigration: {timeout: 10min}", source: "f.yaml")
        try c.set("cluster.host.nic=40Gbps")
        try c.set(" migration.timeout = 90s ")
        try c.set("vms.memory=[512MiB, 1GiB]")
        try c.set("scenario.kinds=live,post-copy")
        try c.set("seed=18446744073709551615")
        let s = try c.scenario()
        XCTAssertEqual(s.cluster.hosts[0].nicBandwidth, 5e9)
        XCTAssertEqual(s.settings.timeout, 90)
        XCTAssertEqual(s.vms.prefix(3).map(\.memoryBytes), [512 * Units.MiB, Units.GiB, 512 * Units.MiB])
        XCTAssertEqual(s.kinds, [.live, .postCopy])
        XCTAssertEqual(s.seed, .max)
        let v = Dictionary(uniqueKeysWithValues: c.values.map { ($0.key, $0.value) })
        XCTAssertEqual(v["cluster.host.nic"], "40Gbps")
        XCTAssertEqual(v["migration.timeout"], "90s")
    }

    func testLaterSetWins() throws {
        var c = ScenarioConfig()
        try c.set("vms.count=3")
        try c.set("vms.count=5")
        XCTAssertEqual(try c.scenario().vms.count, 5)
    }

    func testSettingTheActionSwitchesItsDefaults() throws {
        var c = ScenarioConfig()
        try c.set("scenario.action=balance")
        try c.set("vms.count=6")
        let s = try c.scenario()
        XCTAssertEqual(s.name, "pro-balancing")
        XCTAssertEqual(s.vms.count, 6)
        XCTAssertEqual(s.cluster.hosts[0].cpuCores, 16)
        XCTAssertEqual(s.vms.map(\.host), [0, 1, 2, 0, 1, 2])
        guard case .balance(let b) = s.action else { return XCTFail("not balance") }
        XCTAssertEqual(b.kind, .live)
        XCTAssertEqual(b.threshold, 0.6)
    }

    func testReplicationsAndActionHosts() throws {
        var c = ScenarioConfig()
        XCTAssertEqual(c.replications, 1)
        try c.set("replications=4")
        XCTAssertEqual(c.replications, 4)
        try c.set("scenario.action=failure")
        try c.set("scenario.host=3")
        try c.set("vms.host=3")
        let s = try c.scenario()
        guard case .hostFailure(let h) = s.action else { return XCTFail("not a failure") }
        XCTAssertEqual(h, 3)
        XCTAssertTrue(s.vms.allSatisfy { $0.host == 3 })
    }

    func testSetErrorsNameTheSourceAndTheKey() {
        var c = ScenarioConfig()
        let cases: [(String, String, String)] = [
            ("cluster.host.nic", "cluster.host.nic", "key=value"),
            ("nope=1", "nope", "--print-default"),
            ("vms.count=lots", "vms.count", "an integer in 1...1000000"),
            ("cluster.host.nic=10 Gbs", "cluster.host.nic", "Gbps"),
            ("migration.lun_failover=uniform(7s, 3s)", "migration.lun_failover", "uniform high"),
        ]
        for (assignment, key, accepted) in cases {
            XCTAssertThrowsError(try c.set(assignment), assignment) { e in
                let t = "\(e)"
                XCTAssertTrue(t.hasPrefix("--set: \(key): "), t)
                XCTAssertTrue(t.contains("; accepted: ") && t.contains(accepted), t)
            }
        }
        XCTAssertThrowsError(try c.set(key: "vms.count", value: "0", source: "sweep.yaml")) { e in
            XCTAssertEqual(e as? ConfigError, ConfigError(source: "sweep.yaml", key: "vms.count", problem: "0 is out of range",
                                                          accepted: "an integer in 1...1000000"))
        }
        XCTAssertEqual(c.canonicalText, ScenarioConfig().canonicalText, "failed sets change nothing")
    }

    func testCrossKeyErrorsNameWhereTheKeyWasSet() throws {
        var c = try ScenarioFile.parse("cluster:\n  hosts: 4\n", source: "f.yaml")
        try c.set("vms.host=6")
        XCTAssertThrowsError(try c.scenario()) { e in
            XCTAssertEqual("\(e)", "--set: vms.host: host 6 is not in a cluster of 4 hosts; accepted: a host index in 0...3")
        }
        let f = try ScenarioFile.parse("cluster:\n  hosts: 1\nscenario:\n  action: rolling\n", source: "r.yaml")
        XCTAssertThrowsError(try f.scenario()) { e in
            XCTAssertTrue("\(e)".hasPrefix("r.yaml: line 2: cluster.hosts: "), "\(e)")
        }
    }

    func testMissingAndUnreadableFilesAreNamed() throws {
        XCTAssertThrowsError(try ScenarioFile.load(path: "/nonexistent/x.yaml")) { e in
            XCTAssertEqual((e as? ConfigError)?.source, "/nonexistent/x.yaml")
            XCTAssertTrue("\(e)".contains("(file)") && "\(e)".contains("accepted"), "\(e)")
        }
        XCTAssertThrowsError(try ScenarioFile.load(path: NSTemporaryDirectory())) { e in
            XCTAssertTrue("\(e)".contains("a directory"), "\(e)")
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("migsim-config-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data([0x73, 0x65, 0x65, 0x64, 0x3A, 0x20, 0xFF, 0xFE]).write(to: url)
        XCTAssertThrowsError(try ScenarioFile.load(path: url.path)) { e in
            XCTAssertTrue("\(e)".contains("UTF-8"), "\(e)")
        }
        try "vms:\n  count: 3\n".write(to: url, atomically: true, encoding: .utf8)
        XCTAssertEqual(try ScenarioFile.load(path: url.path).scenario().vms.count, 3)
    }
}
