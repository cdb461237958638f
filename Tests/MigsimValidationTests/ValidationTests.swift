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
        XCTAssertEqual(results.count, 4)
        for r in results { XCTAssertTrue(r.passed, "\(r.name): \(r.simulated) vs \(r.reference) (\(r.relativeError))") }
    }
}
