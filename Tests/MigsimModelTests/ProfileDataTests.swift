import Foundation
import MigsimModel
import MigsimTestSupport
import XCTest

/// `data/profiles/workloads.csv` documents the built-in profiles; keep it true.
final class ProfileDataTests: XCTestCase {
    func testProfileTableMatchesCode() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("data/profiles/workloads.csv")
        let table = try CSVRows(String(contentsOf: url, encoding: .utf8))
        var seen: [String] = []
        for row in table.rows {
            let name = try XCTUnwrap(row["profile"])
            let p = try XCTUnwrap(WorkloadProfile(rawValue: name), "unknown profile \(name)")
            let spec = p.spec
            XCTAssertEqual(spec.rate.mean!, try XCTUnwrap(row.double("rate_mean_pages_per_s")), accuracy: 1e-9, name)
            XCTAssertEqual(spec.hotSetFraction, try XCTUnwrap(row.double("hot_set_fraction")), accuracy: 1e-12, name)
            XCTAssertEqual(spec.hotWriteShare, try XCTUnwrap(row.double("hot_write_share")), accuracy: 1e-12, name)
            seen.append(name)
        }
        XCTAssertEqual(seen.sorted(), WorkloadProfile.allCases.map(\.rawValue).sorted())
    }
}
