import Foundation
import MigsimValidation
import XCTest

/// The fast validation cases: every analytic case and every published case.
final class ValidationTests: XCTestCase {
    let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("data/validation")

    func testAnalyticModelToOnePartInABillion() throws {
        let results = try Validation.analytic(data)
        XCTAssertGreaterThanOrEqual(results.count, 24)
        for r in results { XCTAssertTrue(r.passed, "\(r.name) \(r.metric): \(r.simulated) vs \(r.reference)") }
        XCTAssertTrue(Set(results.map { $0.name.split(separator: "-")[0] }).isSuperset(of: ["hv", "qemu", "xen"]))
    }

    func testPublishedMeasurementsWithin25Percent() throws {
        let results = try Validation.published(data)
        XCTAssertEqual(Set(results.map(\.name)),
                       ["quake3-server", "specweb99", "mmuncher", "hyperv-quick-2gb", "vmm-quick-storage-migration"])
        for r in results { XCTAssertTrue(r.passed, "\(r.name): \(r.simulated) vs \(r.reference) (\(r.relativeError))") }
        // SPECweb99 ends on Xen's "sent more at the top rate" rule, with rounds
        // and bytes reported next to the paper's ~9 rounds and ~960 MB.
        let spec = try XCTUnwrap(results.first { $0.name == "specweb99" })
        XCTAssertEqual(spec.referenceRounds, 9)
        XCTAssertEqual(spec.referenceBytes, 960e6)
        XCTAssertEqual(try XCTUnwrap(spec.bytesSent), 960e6, accuracy: 960e6 * 0.25)
        XCTAssertGreaterThan(try XCTUnwrap(spec.rounds), 2)
    }

    func testCRLFDataFilesReadTheSame() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("migsim-crlf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for f in ["analytic.csv", "published.csv"] {
            let text = try String(contentsOf: data.appendingPathComponent(f), encoding: .utf8)
            try text.replacingOccurrences(of: "\n", with: "\r\n").write(to: dir.appendingPathComponent(f), atomically: true, encoding: .utf8)
        }
        let a = try Validation.published(data), b = try Validation.published(dir)
        XCTAssertEqual(a.map(\.simulated), b.map(\.simulated))
        XCTAssertEqual(a.map(\.name), b.map(\.name))
        XCTAssertEqual(try Validation.analytic(dir).count, try Validation.analytic(data).count)
    }
}
