import Foundation
import MigsimConfig
import MigsimModel
import MigsimRandom
import XCTest

/// Every unit suffix and every distribution form, through files and `--set`.
final class UnitsAndDistributionsTests: XCTestCase {
    func scenario(_ key: String, _ value: String) throws -> Scenario {
        var c = ScenarioConfig()
        try c.set(key: key, value: value, source: "t")
        return try c.scenario()
    }

    func testEverySizeUnit() throws {
        let cases: [(String, Double)] = [
            ("512B", 512), ("2KiB", 2048), ("3MiB", 3 * Units.MiB), ("1GiB", Units.GiB), ("1TiB", 1024 * Units.GiB),
            ("5KB", 5e3), ("5MB", 5e6), ("5GB", 5e9), ("1TB", 1e12), ("100", 100), ("1.5 MiB", 1.5 * Units.MiB), ("0", 0),
        ]
        for (text, bytes) in cases {
            XCTAssertEqual(try scenario("vms.device_state", text).vms[0].deviceStateBytes, bytes, text)
        }
    }

    func testEveryRateUnit() throws {
        let cases: [(String, Double)] = [
            ("8bps", 1), ("8Kbps", 1e3), ("8Mbps", 1e6), ("10Gbps", 10 * Units.Gbps), ("7B/s", 7), ("7KB/s", 7e3),
            ("7MB/s", 7e6), ("7GB/s", 7e9), ("1KiB/s", 1024), ("1MiB/s", Units.MiB), ("1GiB/s", Units.GiB), ("1000", 1000),
            ("2.5 Gbps", 2.5e9 / 8),
        ]
        for (text, bytesPerSecond) in cases {
            XCTAssertEqual(try scenario("cluster.host.nic", text).cluster.hosts[0].nicBandwidth, bytesPerSecond, text)
        }
    }

    func testEveryDurationUnit() throws {
        let cases: [(String, Double)] = [
            ("500ns", 5e-7), ("20us", 2e-5), ("300ms", 0.3), ("2s", 2), ("3min", 180), ("1h", 3600), ("7", 7), ("1.5e3ms", 1.5),
        ]
        for (text, seconds) in cases {
            XCTAssertEqual(try scenario("migration.timeout", text).settings.timeout, seconds, text)
        }
        // The largest accepted duration fits Int64 nanoseconds.
        XCTAssertEqual(try scenario("scenario.horizon", "9223372035s").horizon, 9_223_372_035)
    }

    func testEveryDistributionForm() throws {
        // (text, mean page writes/s)
        let forms: [(String, Double)] = [
            ("1500", 1500), ("constant(10)", 10), ("uniform(10, 30)", 20), ("exponential(50)", 50), ("normal(100, 5)", 100),
            ("lognormal(0, 1)", exp(0.5)), ("gamma(4, 25)", 100), ("weibull(10, 1)", 10), ("pareto(3, 2)", 3),
            ("beta(1, 3)", 0.25), ("poisson(7)", 7), ("binomial(0.5, 40)", 20), ("empirical(10:1, 30:3)", 25),
            ("empirical(5:1)", 5), (" gamma( 4 , 25 ) ", 100),
        ]
        for (text, mean) in forms {
            let rate = try scenario("vms.dirty_rate", text).vms[0].workload.rate
            XCTAssertEqual(try XCTUnwrap(rate.mean, text), mean, accuracy: 1e-9, text)
        }
    }

    func testDistributionArgumentsCarryTheKeysUnit() throws {
        let s = try scenario("migration.lun_failover", "uniform(3000ms, 0.1min)")
        XCTAssertEqual(try XCTUnwrap(s.settings.lunFailover.mean), 4.5, accuracy: 1e-12)
        let boot = try scenario("migration.boot_time", "gamma(2, 30s)")
        XCTAssertEqual(try XCTUnwrap(boot.settings.bootTime.mean), 60, accuracy: 1e-12)
        let disk = try scenario("vms.disk_write_rate", "constant(2MB/s)")
        XCTAssertEqual(disk.vms[0].diskWriteRate.mean, 2e6)
        let bare = try scenario("vms.disk_write_rate", "16Mbps")
        XCTAssertEqual(bare.vms[0].diskWriteRate.mean, 2e6)
        let emp = try scenario("migration.boot_time", "empirical(1min:1, 2min:1)")
        XCTAssertEqual(try XCTUnwrap(emp.settings.bootTime.mean), 90, accuracy: 1e-12)
        let weib = try scenario("vms.disk_write_rate", "weibull(1MB/s, 2)")
        XCTAssertEqual(try XCTUnwrap(weib.vms[0].diskWriteRate.mean), 1e6 * tgamma(1.5), accuracy: 1e-6)
        let pareto = try scenario("migration.lun_failover", "pareto(3, 2s)")
        XCTAssertEqual(try XCTUnwrap(pareto.settings.lunFailover.mean), 3, accuracy: 1e-12)
    }

    func testDistributionsAreCanonicalInBaseUnits() throws {
        var c = ScenarioConfig()
        try c.set(key: "migration.lun_failover", value: "uniform(3000ms, 7s)", source: "t")
        try c.set(key: "vms.disk_write_rate", value: "2MB/s", source: "t")
        try c.set(key: "vms.dirty_rate", value: "empirical(1:2, 3:4)", source: "t")
        XCTAssertTrue(c.canonicalText.contains("migration.lun_failover=uniform(3, 7)\n"), c.canonicalText)
        XCTAssertTrue(c.canonicalText.contains("vms.disk_write_rate=constant(2000000)\n"))
        XCTAssertTrue(c.canonicalText.contains("vms.dirty_rate=empirical(1:2, 3:4)\n"))
        XCTAssertTrue(ScenarioConfig().canonicalText.contains("migration.boot_time=lognormal(3.9, 0.25)\n"))
    }

    func testProfilesAndTheirOverrides() throws {
        var c = ScenarioConfig()
        try c.set("vms.profiles=[memory-bound]")
        try c.set("vms.hot_write_share=0.5")
        try c.set("vms.counting=linear")
        let s = try c.scenario()
        XCTAssertEqual(s.vms[0].workload.rate.mean, 60_000)
        XCTAssertEqual(s.vms[0].workload.hotSetFraction, 0.5)
        XCTAssertEqual(s.vms[0].workload.hotWriteShare, 0.5)
        XCTAssertEqual(s.vms[0].workload.counting, .linear)
    }

    func testRateLimitsAndThrottles() throws {
        let qemu = try scenario("migration.policy", "qemu")
        XCTAssertEqual(qemu.settings.rateLimit, .fixed(128 * Units.MiB), "policy = the preset's own")
        let vmware = try scenario("migration.policy", "vmware")
        XCTAssertEqual(vmware.settings.throttle, .sdps(targetRatio: 0.8))
        XCTAssertEqual(try scenario("migration.rate_limit", "none").settings.rateLimit, .unlimited)
        XCTAssertEqual(try scenario("migration.rate_limit", "1Gbps").settings.rateLimit, .fixed(Units.Gbps))
        XCTAssertEqual(try scenario("migration.rate_limit", "adaptive").settings.rateLimit,
                       .adaptive(min: 100e6 / 8, max: 500e6 / 8, step: 50e6 / 8))
        XCTAssertEqual(try scenario("migration.rate_limit", "adaptive(1MB/s, 2MB/s, 0)").settings.rateLimit,
                       .adaptive(min: 1e6, max: 2e6, step: 0))
        XCTAssertEqual(try scenario("migration.throttle", "auto-converge").settings.throttle, .qemuAutoConverge)
        XCTAssertEqual(try scenario("migration.throttle", "sdps(0.5)").settings.throttle, .sdps(targetRatio: 0.5))
        XCTAssertEqual(try scenario("migration.throttle", "none").settings.throttle, ThrottleMode.none)
    }

    func testOptionalValuesAndFit() throws {
        XCTAssertEqual(try scenario("cluster.core_bandwidth", "40Gbps").cluster.coreBandwidth, 5e9)
        XCTAssertNil(try scenario("cluster.core_bandwidth", "none").cluster.coreBandwidth)
        XCTAssertEqual(try scenario("concurrency.per_pair", "1").limits.perPair, 1)
        XCTAssertEqual(try scenario("concurrency.per_cluster", "none").limits.perCluster, .max)
        XCTAssertEqual(try scenario("output.time_series", "30s").sampleInterval, 30)
        XCTAssertNil(try ScenarioFile.parse("output:\n  time_series:\n", source: "t").scenario().sampleInterval, "empty = none")
        let fit = try scenario("cluster.host.memory", "fit")
        // 40 VMs of 2, 4, 8 GiB cycled: 14 x 2 + 13 x 4 + 13 x 8 GiB on host 0.
        XCTAssertEqual(fit.cluster.hosts[5].memoryBytes, 184 * Units.GiB)
        XCTAssertNil(try scenario("cluster.shared_storage", "false").cluster.sharedStorage)
        // The drained host is given room for all its VMs; the others keep cluster.host.memory.
        let many = try ScenarioFile.parse("vms: {count: 100, host: 2}", source: "t").scenario()
        XCTAssertEqual(many.cluster.hosts[2].memoryBytes, 464 * Units.GiB)
        XCTAssertEqual(many.cluster.hosts[0].memoryBytes, 256 * Units.GiB)
        let fitted = try ScenarioFile.parse("vms: {count: 100}\ncluster: {host: {memory: fit}}", source: "t").scenario()
        XCTAssertEqual(fitted.cluster.hosts.map(\.memoryBytes), Array(repeating: 464 * Units.GiB, count: 8))
        let rack = try ScenarioFile.parse("cluster: {rack_size: 4, rack_uplink: 20Gbps}", source: "t").scenario()
        XCTAssertEqual(rack.cluster.rackSize, 4)
        XCTAssertEqual(rack.cluster.rackUplinkBandwidth, 2.5e9)
    }
}
