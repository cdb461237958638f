import Foundation
import MigsimConfig
import MigsimModel
import MigsimOutput
import XCTest

/// The code of the DocC article `BuildingAndRunningAScenario.md`
/// (Sources/MigsimModel/MigsimModel.docc), compiled and run, so the article
/// cannot drift from the API.
final class DocumentationExampleTests: XCTestCase {
    func testArticleExampleRuns() throws {
        let hosts = (0..<4).map { i in
            HostSpec(name: "host\(i)", memoryBytes: 128 * Units.GiB, nicBandwidth: 10 * Units.Gbps)
        }
        let cluster = ClusterSpec(hosts: hosts)
        let vms = (0..<6).map { i in
            VMSpec(host: 0, memoryBytes: (i % 2 == 0 ? 4 : 8) * Units.GiB, workload: WorkloadProfile.web.spec)
        }
        var settings = MigrationSettings()
        settings.policy = PolicyPreset(name: "qemu")!
        settings.rateLimit = settings.policy.defaultRateLimit
        settings.throttle = settings.policy.defaultThrottle
        settings.mechanisms = settings.policy.defaultMechanisms
        let scenario = Scenario(name: "drain-host0", cluster: cluster, vms: vms, settings: settings,
                                action: .drain(host: 0), kinds: [.live, .postCopy], seed: 7)
        try scenario.validate()
        let results = try scenario.run()
        var lines: [String] = []
        for result in results {
            for r in result.records {
                guard let downtime = r.downtime, let target = r.target else { continue }
                lines.append("\(result.kind.rawValue) \(r.vm) -> \(target) \(downtime) \(r.bytesSent) \(r.stopReason?.rawValue ?? "")")
            }
        }
        XCTAssertEqual(results.map(\.kind), [.live, .postCopy])
        XCTAssertEqual(lines.count, 12, "six VMs, two kinds, all completed")
        XCTAssertEqual(lines.filter { $0.hasPrefix("live ") }.count, 6)

        // "Files instead of code": the same path through MigsimConfig and MigsimOutput.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("migsim-doc-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let yaml = dir.appendingPathComponent("my.yaml")
        try "vms: {count: 2}\nscenario: {kinds: [live]}\n".write(to: yaml, atomically: true, encoding: .utf8)
        let fromFile = try ScenarioFile.load(path: yaml.path).scenario()
        try ResultTables.write(try fromFile.run(), to: dir.appendingPathComponent("mine"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("mine/migrations.csv").path))
    }
}
