import Foundation
import XCTest

/// End to end: a bad working-set curve ends `migsim run` with exit code 2 and
/// one line naming the file, the line and the column; no CSV is written.
extension CLITests {
    func testBadWorkingSetCurveExitsWithCode2() throws {
        let dir = tempDir()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let cases: [(String, [String])] = [
            ("interval_s,distinct_pages\n1,100\n2,50\n", ["line 3", "distinct_pages", "never decrease"]),
            ("interval_s,distinct_pages\n1,-1\n", ["line 2", "distinct_pages", ">= 0"]),
            ("interval_s,distinct_pages\n1,nan\n", ["line 2", "distinct_pages"]),
            ("interval_s,distinct_pages\n", ["a header and no rows"]),
            ("", ["the file is empty"]),
        ]
        for (i, (text, needles)) in cases.enumerated() {
            let curve = dir.appendingPathComponent("bad\(i).csv")
            try text.write(to: curve, atomically: true, encoding: .utf8)
            let out = dir.appendingPathComponent("out\(i)")
            let r = try migsim(["run", "--set", "vms.working_set_curve=[\(curve.path)]", "--out", out.path])
            XCTAssertEqual(r.code, 2, r.stderr)
            XCTAssertTrue(r.stderr.contains(curve.path), "\(text): \(r.stderr)")
            for n in needles { XCTAssertTrue(r.stderr.contains(n), "\(text): stderr lacks '\(n)': \(r.stderr)") }
            XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("migrations.csv").path))
        }
    }
}
