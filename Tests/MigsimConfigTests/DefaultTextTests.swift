@testable import MigsimConfig
import MigsimModel
import MigsimRandom
import XCTest

/// Default texts are formatted from model values: the unit chosen, exact
/// round trips, and the short list of keys whose default is literal text.
final class DefaultTextTests: XCTestCase {
    /// The largest unit holding the value as a whole number, a hint tried
    /// first, zero in the base unit, and bare numbers where no unit fits.
    func testTextPicksTheLargestWholeUnit() {
        let cases: [(Quantity, Double, String?, String)] = [
            (.size, 256 * 0x1p30, nil, "256GiB"), (.size, 4096, nil, "4KiB"), (.size, 1000, nil, "1KB"),
            (.size, 1536, nil, "1536B"), (.size, 0x1p20, nil, "1MiB"), (.size, 0, nil, "0B"),
            (.rate, 10e9 / 8, nil, "10Gbps"), (.rate, 200e6, nil, "200MB/s"), (.rate, 125, nil, "1Kbps"),
            (.rate, 0x1p20, nil, "1MiB/s"), (.rate, 0.5, nil, "4bps"),
            (.duration, 0, nil, "0s"), (.duration, 0.1, nil, "100ms"), (.duration, 0.001, nil, "1ms"),
            (.duration, 3600, nil, "1h"), (.duration, 30 * 86_400, nil, "720h"), (.duration, 900, nil, "15min"),
            (.duration, 60, nil, "1min"), (.duration, 60, "s", "60s"), (.duration, 90, "h", "90s"),
            (.duration, 1.5, nil, "1500ms"), (.duration, 1e-9, nil, "1ns"),
            (.plain, 0.94, nil, "0.94"), (.plain, 1.5 / 9, nil, "0.16666666666666666"), (.plain, 30, nil, "30"),
        ]
        for (q, x, unit, expected) in cases {
            XCTAssertEqual(q.text(x, unit: unit), expected, "\(q.name) \(x)")
        }
    }

    /// Every text parses back to exactly the value it was made from.
    func testTextParsesBackExactly() throws {
        var values: [Double] = [1.0 / 3, 0.1 + 0.2, 1e-7, 123_456.789, 0x1p53 + 2, 1e20, 7.25, 2.5e-3, 86_400 * 365.25]
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<300 {
            x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            values.append(Double(x >> 11) / Double(1 << 40) * [1, 1e-3, 1e3, 1e9][Int(x % 4)])
            values.append(Double(x % 100_000))
        }
        for q in [Quantity.size, .rate, .duration, .plain] {
            for v in values {
                let t = q.text(v)
                XCTAssertEqual(try q.parse(t), v, "\(q.name): \(v) -> \(t)")
            }
        }
    }

    /// Distributions print in file syntax and parse back to the same parameters.
    func testDistributionTextParsesBack() throws {
        let cases: [(Distribution, Quantity, String)] = [
            (try .uniform(low: 3, high: 7), .duration, "uniform(3s, 7s)"),
            (try .lognormal(mu: 3.9, sigma: 0.25), .duration, "lognormal(3.9, 0.25)"),
            (try .gamma(shape: 9, scale: 1.5 / 9), .plain, "gamma(9, 0.16666666666666666)"),
            (try .weibull(scale: 2.5, shape: 1.5), .duration, "weibull(2500ms, 1.5)"),
            (try .constant(2e6), .rate, "2MB/s"),
            (try .constant(1), .plain, "1"),
            (try .normal(mean: 1e9 / 8, sd: 1e6), .rate, "normal(1Gbps, 1MB/s)"),
            (try .binomial(p: 0.5, n: 10), .plain, "binomial(0.5, 10)"),
            (try .pareto(shape: 3, scale: 0x1p30), .size, "pareto(3, 1GiB)"),
        ]
        for (d, q, expected) in cases {
            let t = DistributionSyntax.text(d, q)
            XCTAssertEqual(t, expected)
            let (back, _) = try DistributionSyntax.parse(t, q)
            XCTAssertEqual(back.parameters?.name, d.parameters?.name, t)
            XCTAssertEqual(back.parameters?.values, d.parameters?.values, t)
        }
    }

    /// Only these keys have literal default text, each marked "Config only"
    /// in the schema; every other default is formatted from the model. A new
    /// key with a literal default fails here until it is justified.
    func testOnlyConfigOnlyKeysHaveLiteralDefaults() {
        let literal = Schema.keys.filter { !$0.defaults.fromModel }.map(\.path)
        XCTAssertEqual(literal, ["replications", "scenario.action", "scenario.plan", "cluster.inventory", "vms.inventory", "vms.dirty_rate",
                                 "vms.dirty_trace", "vms.working_set_curve", "vms.popularity", "vms.hot_set", "vms.hot_set_fraction",
                                 "vms.hot_write_share", "migration.rate_limit", "migration.throttle",
                                 "migration.stop_copy_rate", "migration.zero_pages", "migration.compression",
                                 "migration.channels", "migration.channel_ceiling", "migration.skip_dirtied", "migration.switchover"])
    }

    /// The model's values reach the texts: a few keys against the model's own types.
    func testDefaultsReadTheModelsValues() {
        func text(_ key: String, _ a: ActionName = .drain) -> String? { Schema.key(key)?.defaults.text(for: a) }
        XCTAssertEqual(text("cluster.host.nic"), Quantity.rate.text(HostSpec(name: "h").nicBandwidth))
        XCTAssertEqual(text("migration.lun_failover"), DistributionSyntax.text(MigrationSettings().lunFailover, .duration))
        XCTAssertEqual(text("balancing.cooldown", .drain), Quantity.duration.text(BalancingSpec().cooldown))
        XCTAssertEqual(text("vms.memory", .rolling), "[" + VMMix.standard.memory.map { Quantity.size.text($0) }.joined(separator: ", ") + "]")
        XCTAssertEqual(text("vms.profiles", .balance), "[" + VMMix.proBalancing.profiles.map(\.rawValue).joined(separator: ", ") + "]")
        XCTAssertEqual(text("vms.cpu_demand", .balance), DistributionSyntax.text(Scenario.proBalancing().vms[0].cpuDemand, .plain))
        XCTAssertEqual(text("scenario.horizon", .balance), Quantity.duration.text(Scenario.proBalancing().horizon))
        XCTAssertEqual(text("cluster.hosts", .rolling), "51")
    }
}
