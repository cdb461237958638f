import MigsimConfig
import MigsimModel
import MigsimOutput
import XCTest

/// Scenario files: round trips with the built-in scenarios, units, overrides.
final class ScenarioFileTests: XCTestCase {
    func csv(_ s: Scenario) throws -> String {
        let runs = try s.run()
        return ResultTables.migrations(runs).text + ResultTables.rounds(runs).text + ResultTables.summary(runs).text
    }

    func testEmptyFileAndPrintedDefaultAreTheBuiltInDrain() throws {
        let reference = try csv(Scenario.builtinDefault())
        XCTAssertEqual(try csv(ScenarioFile.parse("", source: "empty").scenario()), reference)
        XCTAssertEqual(try csv(ScenarioFile.parse(ScenarioFile.defaultText(), source: "default").scenario()), reference)
    }

    func testPrintedDefaultsOfEveryActionMatchTheirBuiltIns() throws {
        let rolling = try ScenarioFile.parse(ScenarioFile.defaultText(action: "rolling"), source: "r").scenario()
        XCTAssertEqual(try csv(rolling), try csv(Scenario.rollingMaintenance(hosts: 51, vmsPerHost: 20)))
        let balance = try ScenarioFile.parse(ScenarioFile.defaultText(action: "balance"), source: "b").scenario()
        XCTAssertEqual(try csv(balance), try csv(Scenario.proBalancing()))
        for action in ["drain", "rolling", "balance", "failure"] {
            let text = ScenarioFile.defaultText(action: action)
            for key in ScenarioConfig.knownKeys {
                XCTAssertTrue(text.contains(String(key.split(separator: ".").last!) + ":"), "\(action): \(key) missing")
            }
        }
    }

    func testNestedAndDottedKeysAndUnits() throws {
        let yaml = """
            # a comment
            cluster:
              hosts: 4
              host: {nic: 25Gbps, disk_write: 1.5GB/s, memory: 512GiB}
            vms.count: 6
            vms:
              memory: [1GiB, 3GiB]
              dirty_rate: gamma(4, 250)
              disks: [10GB, 20GB]
            migration:
              policy: qemu
              timeout: 2min
              lun_failover: uniform(2s, 4000ms)
              rate_limit: 100MiB/s
            """
        let s = try ScenarioFile.parse(yaml, source: "t.yaml").scenario()
        XCTAssertEqual(s.cluster.hosts.count, 4)
        XCTAssertEqual(s.cluster.hosts[2].nicBandwidth, 25e9 / 8)
        XCTAssertEqual(s.cluster.hosts[2].diskWrite, 1.5e9)
        XCTAssertEqual(s.cluster.hosts[3].memoryBytes, 512 * Units.GiB)
        XCTAssertEqual(s.vms.count, 6)
        XCTAssertEqual(s.vms.map(\.memoryBytes), [1, 3, 1, 3, 1, 3].map { $0 * Units.GiB })
        XCTAssertEqual(s.vms[0].workload.rate.mean!, 1000, accuracy: 1e-9)
        XCTAssertEqual(s.vms[0].disks, [10e9, 20e9])
        XCTAssertEqual(s.settings.policy.name, "qemu")
        XCTAssertEqual(s.settings.timeout, 120)
        XCTAssertEqual(s.settings.lunFailover.mean!, 3, accuracy: 1e-12)
        XCTAssertEqual(s.settings.rateLimit, .fixed(100 * Units.MiB))
    }

    func testSetOverridesAndCanonicalText() throws {
        var c = try ScenarioFile.parse("cluster: {host: {nic: 1Gbps}}", source: "f")
        try c.set("cluster.host.nic=40Gbps")
        try c.set("migration.rate_limit=policy")
        try c.set("seed=18446744073709551615")
        let s = try c.scenario()
        XCTAssertEqual(s.cluster.hosts[0].nicBandwidth, 5e9)
        XCTAssertEqual(s.seed, .max)
        XCTAssertTrue(c.canonicalText.contains("cluster.host.nic=40Gbps\n"))
        XCTAssertEqual(c.values.count, ScenarioConfig.knownKeys.count)
    }

    func testEveryUnitSuffix() throws {
        let sizes: [(String, Double)] = [("512B", 512), ("2KiB", 2048), ("3MiB", 3 * Units.MiB), ("1GiB", Units.GiB),
                                         ("1TiB", 1024 * Units.GiB), ("5KB", 5e3), ("5MB", 5e6), ("5GB", 5e9), ("1TB", 1e12), ("100", 100)]
        for (t, v) in sizes {
            var c = ScenarioConfig()
            try c.set(key: "vms.device_state", value: t, source: "t")
            XCTAssertEqual(try c.scenario().vms[0].deviceStateBytes, v, accuracy: 1e-6, t)
        }
        let rates: [(String, Double)] = [("8bps", 1), ("8Kbps", 1e3), ("8Mbps", 1e6), ("8Gbps", 1e9), ("7B/s", 7), ("7KB/s", 7e3),
                                         ("7MB/s", 7e6), ("7GB/s", 7e9), ("1KiB/s", 1024), ("1MiB/s", Units.MiB), ("1GiB/s", Units.GiB)]
        for (t, v) in rates {
            var c = ScenarioConfig()
            try c.set(key: "cluster.host.nic", value: t, source: "t")
            XCTAssertEqual(try c.scenario().cluster.hosts[0].nicBandwidth, v, accuracy: 1e-6, t)
        }
        let durations: [(String, Double)] = [("500ns", 5e-7), ("20us", 2e-5), ("300ms", 0.3), ("2s", 2), ("3min", 180), ("1h", 3600), ("7", 7)]
        for (t, v) in durations {
            var c = ScenarioConfig()
            try c.set(key: "migration.timeout", value: t, source: "t")
            XCTAssertEqual(try c.scenario().settings.timeout, v, accuracy: 1e-12, t)
        }
    }

    func testEveryDistributionForm() throws {
        let forms: [(String, Double)] = [("1500", 1500), ("constant(10)", 10), ("uniform(10, 30)", 20), ("exponential(50)", 50),
                                         ("normal(100, 5)", 100), ("lognormal(0, 1)", exp(0.5)), ("gamma(4, 25)", 100),
                                         ("weibull(10, 1)", 10), ("pareto(3, 2)", 3), ("beta(1, 3)", 0.25), ("poisson(7)", 7),
                                         ("binomial(0.5, 40)", 20), ("empirical(10:1, 30:3)", 25)]
        for (t, m) in forms {
            var c = ScenarioConfig()
            try c.set(key: "vms.dirty_rate", value: t, source: "t")
            XCTAssertEqual(try c.scenario().vms[0].workload.rate.mean!, m, accuracy: 1e-9, t)
        }
    }
}
