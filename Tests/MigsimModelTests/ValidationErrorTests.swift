import MigsimModel
import MigsimRandom
import XCTest

/// Bad parameters give an error that names the key and what is accepted.
final class ValidationErrorTests: XCTestCase {
    /// The only VM (index 0) fails on `field`; `path` is how the message spells it.
    func expectError(_ vm: VMSpec, _ field: ModelField, path: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try Fixture.migrate([vm]), file: file, line: line) { e in
            guard let m = e as? ModelError else { return XCTFail("\(e)", file: file, line: line) }
            XCTAssertEqual(m.field, field, file: file, line: line)
            XCTAssertEqual(m.index, 0, file: file, line: line)
            XCTAssertEqual(m.path, path, file: file, line: line)
            XCTAssertTrue(m.description.contains(path) && m.description.contains("accepted"), file: file, line: line)
        }
    }

    func testNegativeRate() {
        expectError(Fixture.vm(memory: Units.GiB, rate: -5), .vmWorkloadRate, path: "vms[0].workload.rate")
    }

    func testHotSetLargerThanMemory() {
        expectError(Fixture.vm(memory: Units.GiB, rate: 5, hotFraction: 1.5), .vmHotSetFraction, path: "vms[0].workload.hot_set_fraction")
    }

    func testPageSizeNotAPowerOfTwo() {
        var vm = Fixture.vm(memory: Units.GiB, rate: 5)
        vm.pageSize = 3000
        expectError(vm, .vmPageSize, path: "vms[0].page_size")
    }

    func testBadHostAndSettings() {
        var vm = Fixture.vm(memory: Units.GiB, rate: 5)
        vm.host = 9
        expectError(vm, .vmHost, path: "vms[0].host")
        var s = Fixture.settings()
        s.timeout = -1
        XCTAssertThrowsError(try Fixture.migrate([Fixture.vm(memory: Units.GiB, rate: 1)], settings: s)) {
            XCTAssertEqual(($0 as? ModelError)?.field, .migrationTimeout)
            XCTAssertEqual(($0 as? ModelError)?.path, "migration.timeout")
        }
        XCTAssertThrowsError(try Fixture.migrate([Fixture.vm(memory: Units.GiB, rate: 1)], cluster: ClusterSpec(hosts: []))) {
            XCTAssertEqual(($0 as? ModelError)?.field, .clusterHosts)
            XCTAssertEqual(($0 as? ModelError)?.path, "cluster.hosts")
        }
    }

    func testHostOverpackedWithVMs() {
        var cluster = Fixture.cluster()
        cluster.hosts[0].memoryBytes = 3 * Units.GiB
        let vms = [Fixture.vm(memory: 2 * Units.GiB, rate: 0), Fixture.vm(memory: 2 * Units.GiB, rate: 0)]
        XCTAssertThrowsError(try Fixture.migrate(vms, cluster: cluster)) {
            XCTAssertEqual(($0 as? ModelError)?.field, .hostMemory)
            XCTAssertEqual(($0 as? ModelError)?.index, 0)
            XCTAssertEqual(($0 as? ModelError)?.path, "cluster.hosts[0].memory")
        }
    }

    /// `Scenario.validate()` finds the first error building the simulation
    /// finds (same field, index, value and accepted text), without building one; a
    /// valid scenario passes both.
    func testScenarioValidateFindsWhatTheSimulationFinds() {
        var cases: [(String, Scenario)] = []
        var s = Scenario.builtinDefault()
        s.cluster.hosts[0].memoryBytes = 64 * Units.GiB
        cases.append(("cluster.hosts[0].memory", s))
        s = Scenario.builtinDefault()
        s.vms[5].pageSize = 3000
        cases.append(("vms[5].page_size", s))
        s = Scenario.builtinDefault()
        s.vms[7].disks = [1e300]
        cases.append(("vms[7].disks", s))
        s = Scenario.builtinDefault()
        s.settings.mergeBandwidth = 0
        cases.append(("migration.merge_bandwidth", s))
        s = Scenario.builtinDefault()
        s.placement.cpu = -1
        cases.append(("placement.cpu_weight", s))
        s = Scenario.builtinDefault()
        s.limits.perPair = 0
        cases.append(("concurrency.per_pair", s))
        s = Scenario.builtinDefault()
        s.cluster.hosts[3].nicBandwidth = .nan
        cases.append(("cluster.hosts[3].nic", s))
        for (path, s) in cases {
            var viaValidate: ModelError?, viaInit: ModelError?
            XCTAssertThrowsError(try s.validate(), path) { viaValidate = $0 as? ModelError }
            XCTAssertThrowsError(try ClusterSimulation(cluster: s.cluster, vms: s.vms, settings: s.settings, limits: s.limits,
                                                       weights: s.placement, seed: s.seed), path) { viaInit = $0 as? ModelError }
            XCTAssertEqual(viaValidate?.path, path)
            XCTAssertEqual(viaValidate, viaInit, path)
        }
        let good = Scenario.builtinDefault()
        XCTAssertNoThrow(try good.validate())
        XCTAssertNoThrow(try ClusterSimulation(cluster: good.cluster, vms: good.vms, settings: good.settings, seed: 1))
    }

    /// `Scenario.validate()` also checks the action, before any run starts.
    func testScenarioValidateChecksTheAction() {
        var actions: [(String, Scenario)] = []
        var s = Scenario.builtinDefault()
        s.action = .drain(host: 8)
        actions.append(("scenario.host", s))
        s = Scenario.builtinDefault()
        s.kinds = []
        actions.append(("scenario.kinds", s))
        s = Scenario.builtinDefault()
        s.action = .hostFailure(host: -1)
        actions.append(("scenario.host", s))
        s = Scenario.rollingMaintenance(hosts: 3, vmsPerHost: 2)
        s.action = .rolling(maintenance: -1)
        actions.append(("scenario.maintenance", s))
        s = Scenario.proBalancing()
        var b = BalancingSpec()
        b.targetCeiling = 0.9
        s.action = .balance(b)
        actions.append(("balancing.target_ceiling", s))
        s = Scenario.builtinDefault()
        s.sampleInterval = 0
        actions.append(("output.sample_interval", s))
        for (path, s) in actions {
            XCTAssertThrowsError(try s.validate(), path) { XCTAssertEqual(($0 as? ModelError)?.path, path) }
            XCTAssertThrowsError(try s.run(maxEvents: 1), path) { XCTAssertEqual(($0 as? ModelError)?.path, path) }
        }
    }
}

/// How a ``ModelField`` spells its path with and without indices.
final class ModelFieldPathTests: XCTestCase {
    func testPathsFillIndicesInOrderAndDropMissingOnes() {
        XCTAssertEqual(ModelField.vmDisk.path(index: 3, item: 1), "vms[3].disks[1]")
        XCTAssertEqual(ModelField.vmPhaseDuration.path(index: 0, item: 2), "vms[0].workload.phases[2].duration")
        XCTAssertEqual(ModelField.hostNIC.path(index: 12), "cluster.hosts[12].nic")
        XCTAssertEqual(ModelField.vmWorkloadRate.path(), "vms.workload.rate")
        XCTAssertEqual(ModelField.migrationTimeout.path(), "migration.timeout")
        let e = ModelError(field: .vmMemory, index: 7, value: "0.0", accepted: "bytes > 0")
        XCTAssertEqual(e.description, "'vms[7].memory' = 0.0 is invalid; accepted: bytes > 0")
    }

    /// Paths are distinct, so a message never leaves two fields indistinguishable.
    func testEveryFieldHasItsOwnPath() {
        let paths = ModelField.allCases.map { $0.path(index: 1, item: 2) }
        XCTAssertEqual(Set(paths).count, paths.count)
    }
}
