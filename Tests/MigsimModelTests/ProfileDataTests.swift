import Foundation
import MigsimModel
import XCTest

/// `data/profiles/workloads.csv` documents the built-in profiles; keep it true.
final class ProfileDataTests: XCTestCase {
    func testProfileTableMatchesCode() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("data/profiles/workloads.csv")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").dropFirst()
        var seen: [String] = []
        for line in lines {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let p = try XCTUnwrap(WorkloadProfile(rawValue: f[0]), "unknown profile \(f[0])")
            let spec = p.spec
            XCTAssertEqual(spec.rate.mean!, Double(f[2])!, accuracy: 1e-9, f[0])
            XCTAssertEqual(spec.hotSetFraction, Double(f[3])!, accuracy: 1e-12, f[0])
            XCTAssertEqual(spec.hotWriteShare, Double(f[4])!, accuracy: 1e-12, f[0])
            seen.append(f[0])
        }
        XCTAssertEqual(seen.sorted(), WorkloadProfile.allCases.map(\.rawValue).sorted())
    }
}
