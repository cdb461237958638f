import MigsimConfig
import MigsimModel
import XCTest

/// The defaults of every key are the model's: each action's default file,
/// parsed, gives its built-in scenario field by field, including fields the
/// run never reads (which a comparison of CSV output cannot see).
final class DefaultsTests: XCTestCase {
    /// The model's scenario behind each action's defaults.
    static let references: [(action: String, scenario: Scenario)] = [
        ("drain", Scenario.builtinDefault()),
        ("rolling", Scenario.rollingMaintenance(hosts: 51, vmsPerHost: 20)),
        ("balance", Scenario.proBalancing()),
        ("failure", { var s = Scenario.builtinDefault(); s.action = .hostFailure(host: 0); return s }()),
    ]

    func testEveryActionsDefaultsAreItsBuiltInScenarioFieldByField() throws {
        for (action, r) in Self.references {
            for source in ["printed", "omitted"] {
                let text = source == "printed" ? ScenarioFile.defaultText(action: action) : "scenario: {action: \(action)}"
                let p = try ScenarioFile.parse(text, source: action).scenario()
                let at = "\(action), \(source)"
                XCTAssertEqual(p.seed, r.seed, at)
                XCTAssertEqual(p.action, r.action, at)
                XCTAssertEqual(p.kinds, r.kinds, at)
                XCTAssertEqual(p.horizon, r.horizon, at)
                XCTAssertEqual(p.recordRounds, r.recordRounds, at)
                XCTAssertEqual(p.applicationTimeout, r.applicationTimeout, at)
                XCTAssertEqual(p.sampleInterval, r.sampleInterval, at)
                XCTAssertEqual(p.placement, r.placement, at)
                XCTAssertEqual(p.limits.perHost, r.limits.perHost, at)
                XCTAssertEqual(p.limits.perCluster, r.limits.perCluster, at)
                XCTAssertEqual(p.limits.perPair, r.limits.perPair, at)
                checkCluster(p.cluster, r.cluster, at)
                checkSettings(p.settings, r.settings, at)
                XCTAssertEqual(p.vms.count, r.vms.count, at)
                for (i, (a, b)) in zip(p.vms, r.vms).enumerated() where i < 100 || i % 97 == 0 {
                    checkVM(a, b, "\(at), vm \(i)")
                }
            }
        }
    }

    func checkCluster(_ a: ClusterSpec, _ b: ClusterSpec, _ at: String) {
        XCTAssertEqual(a.hosts.count, b.hosts.count, at)
        for (x, y) in zip(a.hosts, b.hosts) {
            XCTAssertEqual(x.name, y.name, at)
            XCTAssertEqual(x.memoryBytes, y.memoryBytes, at)
            XCTAssertEqual(x.cpuCores, y.cpuCores, at)
            XCTAssertEqual(x.cpuVendor, y.cpuVendor, at)
            XCTAssertEqual(x.cpuFamily, y.cpuFamily, at)
            XCTAssertEqual(x.virtualNetworks, y.virtualNetworks, at)
            XCTAssertEqual(x.nicBandwidth, y.nicBandwidth, at)
            XCTAssertEqual(x.nicMigrationShare, y.nicMigrationShare, at)
            XCTAssertEqual(x.diskRead, y.diskRead, at)
            XCTAssertEqual(x.diskWrite, y.diskWrite, at)
        }
        XCTAssertEqual(a.sharedStorage?.readBandwidth, b.sharedStorage?.readBandwidth, at)
        XCTAssertEqual(a.sharedStorage?.writeBandwidth, b.sharedStorage?.writeBandwidth, at)
        XCTAssertEqual(a.coreBandwidth, b.coreBandwidth, at)
        XCTAssertEqual(a.rackSize, b.rackSize, at)
        XCTAssertEqual(a.rackUplinkBandwidth, b.rackUplinkBandwidth, at)
        XCTAssertEqual(a.protocolEfficiency, b.protocolEfficiency, at)
        XCTAssertEqual(a.roundLatency, b.roundLatency, at)
    }

    func checkSettings(_ a: MigrationSettings, _ b: MigrationSettings, _ at: String) {
        XCTAssertEqual(a.policy.name, b.policy.name, at)
        XCTAssertEqual(a.rateLimit, b.rateLimit, at)
        XCTAssertEqual(a.throttle, b.throttle, at)
        XCTAssertEqual(a.fidelity, b.fidelity, at)
        XCTAssertEqual(a.timeout, b.timeout, at)
        XCTAssertEqual(a.timeoutOutcome, b.timeoutOutcome, at)
        XCTAssertEqual(a.setupDelay, b.setupDelay, at)
        XCTAssertEqual(a.resumeDelay, b.resumeDelay, at)
        XCTAssertEqual(a.arpDelay, b.arpDelay, at)
        XCTAssertEqual(a.storageSwitch, b.storageSwitch, at)
        XCTAssertEqual(a.roundGuard, b.roundGuard, at)
        XCTAssertEqual(a.lunFailover.description, b.lunFailover.description, at)
        XCTAssertEqual(a.checkpointDelay, b.checkpointDelay, at)
        XCTAssertEqual(a.mergeBandwidth, b.mergeBandwidth, at)
        XCTAssertEqual(a.blockSize, b.blockSize, at)
        XCTAssertEqual(a.blockThresholdBytes, b.blockThresholdBytes, at)
        XCTAssertEqual(a.blockMaxRounds, b.blockMaxRounds, at)
        XCTAssertEqual(a.registerDelay, b.registerDelay, at)
        XCTAssertEqual(a.detectionDelay, b.detectionDelay, at)
        XCTAssertEqual(a.bootTime.description, b.bootTime.description, at)
    }

    func checkVM(_ a: VMSpec, _ b: VMSpec, _ at: String) {
        XCTAssertEqual(a.host, b.host, at)
        XCTAssertEqual(a.memoryBytes, b.memoryBytes, at)
        XCTAssertEqual(a.memoryInUse, b.memoryInUse, at)
        XCTAssertEqual(a.pageSize, b.pageSize, at)
        XCTAssertEqual(a.disks, b.disks, at)
        XCTAssertEqual(a.diskWriteRate.description, b.diskWriteRate.description, at)
        XCTAssertEqual(a.deviceStateBytes, b.deviceStateBytes, at)
        XCTAssertEqual(a.virtualNetwork, b.virtualNetwork, at)
        XCTAssertEqual(a.cpuVendor, b.cpuVendor, at)
        XCTAssertEqual(a.cpuFamily, b.cpuFamily, at)
        XCTAssertEqual(a.processorCompatibility, b.processorCompatibility, at)
        XCTAssertEqual(a.cpuDemand.description, b.cpuDemand.description, at)
        XCTAssertEqual(a.workload.rate.description, b.workload.rate.description, at)
        XCTAssertEqual(a.workload.hotSetFraction, b.workload.hotSetFraction, at)
        XCTAssertEqual(a.workload.hotWriteShare, b.workload.hotWriteShare, at)
        XCTAssertEqual(a.workload.phases.count, b.workload.phases.count, at)
        XCTAssertEqual(a.workload.onOff == nil, b.workload.onOff == nil, at)
        XCTAssertEqual(a.workload.trace == nil, b.workload.trace == nil, at)
        XCTAssertEqual(a.workload.counting, b.workload.counting, at)
    }
}
