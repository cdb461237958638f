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
            XCTAssertEqual(row["hot_set_given_as"], spec.hotSetBytes == nil ? "share" : "size", name)
            try checkCurve(url.deletingLastPathComponent().appendingPathComponent(try XCTUnwrap(row["curve_file"])), spec, name)
            seen.append(name)
        }
        XCTAssertEqual(seen.sorted(), WorkloadProfile.allCases.map(\.rawValue).sorted())
    }

    /// Each profile's curve file is what its header says: the profile's own
    /// two-level expectation at its mean rate for a 4 GiB VM (all pages in
    /// use), to the 0.1 page the file prints.
    func checkCurve(_ url: URL, _ spec: WorkloadSpec, _ name: String) throws {
        let text = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("#") }
        let table = try CSVRows(text.joined(separator: "\n"))
        let pages = 1 << 20
        let set = spec.pageSet(pages: pages, inUse: pages, pageSize: 4096)
        XCTAssertGreaterThan(table.rows.count, 3, name)
        for row in table.rows {
            let t = try XCTUnwrap(row.double("interval_s")), w = try XCTUnwrap(row.double("distinct_pages"))
            XCTAssertEqual(w, set.expectedDistinct(writes: spec.rate.mean! * t), accuracy: 0.051, "\(name) at \(t) s")
        }
    }
}
