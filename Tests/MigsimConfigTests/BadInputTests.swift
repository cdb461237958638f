import MigsimConfig
import MigsimModel
import MigsimSweep
import XCTest

/// A table of hostile inputs: each gives one clear error naming the source,
/// the key and what is accepted, and none crashes.
final class BadInputTests: XCTestCase {
    /// (YAML, key path expected in the message, text expected in "accepted").
    static let scenarioCases: [(String, String, String)] = [
        ("cluster: [1, 2", "(syntax)", "YAML"),
        ("cluster:\n  hosts: 3\n hosts: 4", "(syntax)", "YAML"),
        ("- a\n- b", "(top level)", "key: value"),
        ("clusterr: {hosts: 3}", "clusterr", "print-default"),
        ("cluster: {hostz: 3}", "cluster.hostz", "print-default"),
        ("cluster: {host: {nics: 1Gbps}}", "cluster.host.nics", "print-default"),
        ("cluster: {hosts: three}", "cluster.hosts", "integer"),
        ("cluster: {hosts: 0}", "cluster.hosts", "1...100000"),
        ("cluster: {hosts: -2}", "cluster.hosts", "1...100000"),
        ("cluster: {host: {nic: .nan}}", "cluster.host.nic", "rate > 0"),
        ("cluster: {host: {nic: .inf}}", "cluster.host.nic", "rate > 0"),
        ("cluster: {host: {nic: 0Gbps}}", "cluster.host.nic", "rate > 0"),
        ("cluster: {host: {nic: -1Gbps}}", "cluster.host.nic", "rate > 0"),
        ("cluster: {host: {nic: 10 furlongs}}", "cluster.host.nic", "Gbps"),
        ("cluster: {host: {memory: 0GiB}}", "cluster.host.memory", "size"),
        ("cluster: {protocol_efficiency: 1.5}", "cluster.protocol_efficiency", "[0.01, 1.0]"),
        ("cluster: {host: 5}", "cluster.host", "print-default"),
        ("cluster: {hosts: {a: 1}}", "cluster.hosts", "integer"),
        ("vms: {count: 0}", "vms.count", "1...1000000"),
        ("vms: {hot_set_fraction: 1.5}", "vms.hot_set_fraction", "(0, 1]"),
        ("vms: {page_size: 3000B}", "vms.page_size", "power of two"),
        ("vms: {dirty_rate: -5}", "vms.dirty_rate", "mean >= 0"),
        ("vms: {dirty_rate: gamma(0, 5)}", "vms.dirty_rate", "distribution"),
        ("vms: {dirty_rate: gaussian(1, 2)}", "vms.dirty_rate", "distribution"),
        ("vms: {dirty_rate: uniform(5)}", "vms.dirty_rate", "distribution"),
        ("vms: {memory: [1GiB, lots]}", "vms.memory", "list of sizes"),
        ("vms: {memory: [2TiB]}", "vms.memory", "at most cluster.host.memory"),
        ("vms: {host: 99}", "vms.host", "host index"),
        ("vms: {profiles: [web, gaming]}", "vms.profiles", "memory-bound"),
        ("migration: {policy: linux}", "migration.policy", "hyperv-2008r2"),
        ("migration: {timeout: 99999999999s}", "migration.timeout", "9.2e9"),
        ("migration: {timeout: -1s}", "migration.timeout", "duration >= 0"),
        ("migration: {block_size: 512B}", "migration.block_size", "size >"),
        ("scenario: {kinds: [live, teleport]}", "scenario.kinds", "post-copy"),
        ("scenario: {kinds: []}", "scenario.kinds", "non-empty list"),
        ("scenario: {action: explode}", "scenario.action", "rolling"),
        ("scenario: {host: 12}", "scenario.host", "host index"),
        ("scenario: {kinds: [quick]}\ncluster: {shared_storage: false}", "scenario.kinds", "shared_storage"),
        ("scenario: {action: rolling}\ncluster: {hosts: 1}", "cluster.hosts", "at least 2"),
        ("seed: -1", "seed", "18446744073709551615"),
        ("seed: 1\nseed: 2", "duplicated key(s): 'seed'", "YAML"),
        ("concurrency: {per_host: 0}", "concurrency.per_host", "1...1000000"),
        ("balancing: {threshold: abc}", "balancing.threshold", "number"),
        ("output: {time_series: sometimes}", "output.time_series", "none"),
    ]

    func testScenarioTable() {
        var checked = 0
        for (yaml, key, accepted) in Self.scenarioCases {
            do {
                _ = try ScenarioFile.parse(yaml, source: "bad.yaml").scenario()
                XCTFail("accepted: \(yaml)")
            } catch let e as ConfigError {
                let text = e.description
                XCTAssertTrue(text.hasPrefix("bad.yaml"), "\(yaml): source missing: \(text)")
                XCTAssertTrue(text.contains(key), "\(yaml): key '\(key)' missing: \(text)")
                XCTAssertTrue(text.contains("accepted: "), "\(yaml): \(text)")
                XCTAssertTrue(text.contains(accepted), "\(yaml): accepted text '\(accepted)' missing: \(text)")
                checked += 1
            } catch {
                XCTFail("\(yaml): wrong error type \(type(of: error)): \(error)")
            }
        }
        print("bad scenario inputs checked: \(checked)")
        XCTAssertGreaterThanOrEqual(checked, 40)
    }

    func testSetOverrideErrors() {
        var c = ScenarioConfig()
        for (assignment, key) in [("cluster.host.nic", "cluster.host.nic"), ("nope=1", "nope"), ("vms.count=lots", "vms.count")] {
            XCTAssertThrowsError(try c.set(assignment)) { e in
                let t = "\(e)"
                XCTAssertTrue(t.hasPrefix("--set") && t.contains(key) && t.contains("accepted"), t)
            }
        }
        XCTAssertThrowsError(try ScenarioFile.load(path: "/nonexistent/x.yaml")) {
            XCTAssertTrue("\($0)".contains("/nonexistent/x.yaml"))
        }
    }

    static let sweepCases: [(String, String)] = [
        ("seed: 1", "grid"),
        ("grid: {}", "grid"),
        ("grid: {migration.policy: []}", "grid.migration.policy"),
        ("grid: {migration.policy: qemu}", "grid.migration.policy"),
        ("grid: {migration.policy: [qemu, qemu]}", "distinct values"),
        ("grid: {migration.policy: [qemu, linux]}", "migration.policy"),
        ("grid: {migration.polcy: [qemu]}", "migration.polcy"),
        ("grid: {migration.policy: [qemu]}\ngrid: {vms.count: [1]}", "duplicate"),
        ("replications: 0\ngrid: {vms.count: [1]}", "replications"),
        ("seed: x\ngrid: {vms.count: [1]}", "seed"),
        ("colour: red\ngrid: {vms.count: [1]}", "colour"),
        ("grid: {vms.count: [1, [2]]}", "vms.count"),
        ("grid: [1, 2", "YAML"),
    ]

    func testSweepSpecTable() {
        for (yaml, needle) in Self.sweepCases {
            XCTAssertThrowsError(try SweepSpec.parse(yaml, path: "sweep.yaml"), yaml) { e in
                let t = "\(e)"
                XCTAssertTrue(t.contains("sweep.yaml") && t.contains(needle), "\(yaml): \(t)")
            }
        }
        print("bad sweep specs checked: \(Self.sweepCases.count)")
    }

    func testShardAndRunSelections() throws {
        let plan = RunPlan(try SweepSpec.parse("replications: 3\ngrid: {migration.policy: [qemu, xen]}", path: "s"))
        XCTAssertEqual(plan.runs.count, 6)
        XCTAssertEqual(try plan.shard("1/4").map(\.id), [1, 5])
        XCTAssertEqual(try plan.select("0,2-3").map(\.id), [0, 2, 3])
        for bad in ["3/2", "-1/4", "1/0", "a/b", "1", "1/2/3"] {
            XCTAssertThrowsError(try plan.shard(bad)) { XCTAssertTrue("\($0)".contains("--shard \(bad)")) }
        }
        for bad in ["9", "3-1", "x", "", "1,,2"] {
            XCTAssertThrowsError(try plan.select(bad)) { XCTAssertTrue("\($0)".contains("--runs")) }
        }
    }

    func testRunSeedsDependOnParametersNotOrder() throws {
        let a = RunPlan(try SweepSpec.parse("seed: 3\nreplications: 2\ngrid: {migration.policy: [qemu, xen], vms.count: [4, 8]}", path: "a"))
        let b = RunPlan(try SweepSpec.parse("seed: 3\nreplications: 2\ngrid: {migration.policy: [xen, qemu], vms.count: [4, 8]}", path: "b"))
        // The same grid point gets the same seed whatever its position.
        for r in a.runs {
            let twin = b.runs.first { $0.parameters == r.parameters && $0.replication == r.replication }!
            XCTAssertEqual(twin.seed, r.seed)
        }
        XCTAssertEqual(Set(a.runs.map(\.seed)).count, a.runs.count, "distinct seeds")
    }
}
