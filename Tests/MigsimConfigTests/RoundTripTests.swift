import MigsimConfig
import MigsimModel
import MigsimOutput
import XCTest

/// Scenario files reproduce the built-in scenarios byte for byte: an empty
/// file, the printed default file of each action, and the action plus its keys.
final class RoundTripTests: XCTestCase {
    /// Every CSV table of a scenario's runs, concatenated.
    func csv(_ s: Scenario) throws -> String {
        let runs = try s.run()
        return ResultTables.migrations(runs).text + ResultTables.rounds(runs).text + ResultTables.summary(runs).text
    }

    func parsed(_ yaml: String) throws -> Scenario { try ScenarioFile.parse(yaml, source: "test.yaml").scenario() }

    func testEmptyFileIsTheBuiltInDrain() throws {
        let reference = try csv(Scenario.builtinDefault())
        XCTAssertEqual(try csv(parsed("")), reference)
        XCTAssertEqual(try csv(parsed("# only a comment\n")), reference)
        XCTAssertEqual(try csv(parsed("{}")), reference, "an empty JSON object")
        XCTAssertEqual(try csv(ScenarioConfig().scenario()), reference)
    }

    func testPrintedDefaultDrainIsTheBuiltIn() throws {
        XCTAssertEqual(try csv(parsed(ScenarioFile.defaultText())), try csv(Scenario.builtinDefault()))
        XCTAssertEqual(try csv(parsed(ScenarioFile.defaultText(action: "drain"))), try csv(Scenario.builtinDefault()))
    }

    func testRollingWithItsKeysAndPrintedDefaultAreTheBuiltIn() throws {
        let reference = try csv(Scenario.rollingMaintenance(hosts: 51, vmsPerHost: 20))
        XCTAssertEqual(try csv(parsed("scenario: {action: rolling}\ncluster: {hosts: 51}\nvms: {count: 1000}\n")), reference)
        XCTAssertEqual(try csv(parsed(ScenarioFile.defaultText(action: "rolling"))), reference)
        // A smaller rolling layout matches the constructor too: 5 hosts, 3 VMs on each of hosts 1 to 4.
        XCTAssertEqual(try csv(parsed("scenario.action: rolling\ncluster.hosts: 5\nvms.count: 12\n")),
                       try csv(Scenario.rollingMaintenance(hosts: 5, vmsPerHost: 3)))
    }

    func testBalanceWithItsActionAndPrintedDefaultAreTheBuiltIn() throws {
        let reference = try csv(Scenario.proBalancing())
        XCTAssertEqual(try csv(parsed("scenario:\n  action: balance\n")), reference)
        XCTAssertEqual(try csv(parsed(ScenarioFile.defaultText(action: "balance"))), reference)
        let s = try parsed("scenario:\n  action: balance\n")
        XCTAssertEqual(s.vms.map(\.host), (0..<48).map { $0 % 3 })
        XCTAssertEqual(s.horizon, 3600)
    }

    func testFailureIsTheDefaultClusterWithHostZeroFailing() throws {
        var reference = Scenario.builtinDefault()
        reference.action = .hostFailure(host: 0)
        XCTAssertEqual(try csv(parsed("scenario: {action: failure}")), try csv(reference))
        XCTAssertEqual(try csv(parsed(ScenarioFile.defaultText(action: "failure"))), try csv(reference))
    }

    func testSeedsGiveTheConstructorsSeed() throws {
        XCTAssertEqual(try csv(parsed("seed: 7\nscenario: {action: balance}")), try csv(Scenario.proBalancing(seed: 7)))
    }

    func testJSONIsAccepted() throws {
        let json = #"{"seed": 3, "cluster": {"hosts": 4, "host": {"nic": "1Gbps"}}, "vms": {"count": 5, "memory": ["1GiB"]}, "scenario": {"kinds": ["live"]}}"#
        let s = try parsed(json)
        XCTAssertEqual(s.seed, 3)
        XCTAssertEqual(s.cluster.hosts.count, 4)
        XCTAssertEqual(s.cluster.hosts[3].nicBandwidth, 1e9 / 8)
        XCTAssertEqual(s.vms.map(\.memoryBytes), Array(repeating: Units.GiB, count: 5))
        XCTAssertEqual(s.kinds, [.live])
    }

    func testPrintedDefaultsListEveryKeyWithItsAcceptedText() {
        for action in ["drain", "rolling", "balance", "failure"] {
            let text = ScenarioFile.defaultText(action: action)
            XCTAssertTrue(text.contains("scenario.action") || text.contains("action: \(action)\n"), action)
            var c = ScenarioConfig()
            XCTAssertNoThrow(try c.set(key: "scenario.action", value: action, source: "t"))
            // Parsed back, every key has exactly the value the file printed.
            let back = try? ScenarioFile.parse(text, source: action)
            XCTAssertEqual(back?.values.map(\.value), c.values.map(\.value), action)
            XCTAssertEqual(back?.canonicalText, c.canonicalText, action)
            XCTAssertEqual(text.components(separatedBy: "# accepted: ").count - 1, ScenarioConfig.knownKeys.count, action)
        }
        XCTAssertTrue(ScenarioFile.defaultText().contains("    nic: 10Gbps\n"))
        XCTAssertTrue(ScenarioFile.defaultText(action: "rolling").contains("    memory: fit\n"))
    }

    func testNestedDottedAndMixedKeysAreTheSame() throws {
        let a = try ScenarioFile.parse("cluster:\n  host:\n    nic: 25Gbps\n", source: "a")
        let b = try ScenarioFile.parse("cluster.host.nic: 25Gbps\n", source: "b")
        let c = try ScenarioFile.parse("cluster:\n  host.nic: 25Gbps\n", source: "c")
        XCTAssertEqual(a.canonicalText, b.canonicalText)
        XCTAssertEqual(a.canonicalText, c.canonicalText)
        XCTAssertEqual(try a.scenario().cluster.hosts[0].nicBandwidth, 25e9 / 8)
    }

    func testCanonicalTextIgnoresSpellingButNotValues() throws {
        let a = try ScenarioFile.parse("cluster: {host: {nic: 10Gbps, memory: 256GiB}}\nmigration: {timeout: 1h}", source: "a")
        let b = try ScenarioFile.parse("cluster: {host: {nic: 1250MB/s, memory: 274877906944}}\nmigration: {timeout: 60min}", source: "b")
        XCTAssertEqual(a.canonicalText, b.canonicalText)
        XCTAssertEqual(a.canonicalText, ScenarioConfig().canonicalText, "explicit defaults hash like omitted ones")
        let c = try ScenarioFile.parse("cluster: {host: {nic: 25Gbps}}", source: "c")
        XCTAssertNotEqual(a.canonicalText, c.canonicalText)
        XCTAssertTrue(c.canonicalText.contains("cluster.host.nic=3125000000\n"))
        XCTAssertEqual(c.canonicalText.split(separator: "\n").count, ScenarioConfig.knownKeys.count)
        // Every canonical value parses back to the same canonical value.
        var back = ScenarioConfig()
        for line in c.canonicalText.split(separator: "\n") { try back.set(String(line)) }
        XCTAssertEqual(back.canonicalText, c.canonicalText)
    }

    func testValuesAreInSchemaOrderWithRawText() throws {
        var c = try ScenarioFile.parse("vms:\n  memory: [1GiB, 2GiB]\ncluster: {host: {nic: 25Gbps}}", source: "f")
        try c.set("seed=9")
        XCTAssertEqual(c.values.map(\.key), ScenarioConfig.knownKeys)
        let v = Dictionary(uniqueKeysWithValues: c.values.map { ($0.key, $0.value) })
        XCTAssertEqual(v["vms.memory"], "[1GiB, 2GiB]")
        XCTAssertEqual(v["cluster.host.nic"], "25Gbps")
        XCTAssertEqual(v["seed"], "9")
        XCTAssertEqual(v["cluster.hosts"], "8")
        XCTAssertEqual(Array(ScenarioConfig.knownKeys.prefix(3)), ["seed", "replications", "scenario.name"])
    }
}
