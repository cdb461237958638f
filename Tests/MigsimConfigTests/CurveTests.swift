import Foundation
import MigsimConfig
import MigsimModel
import XCTest

/// Working-set curves (`vms.working_set_curve`): the round trip from the CSV
/// to the rounds of a migration, the profile curves shipped in data/profiles,
/// and a table of bad curves.
final class CurveTests: XCTestCase {
    func tempDir() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("migsim-curve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: d) }
        return d
    }

    /// CSV -> curve -> scenario -> rounds: with mean-field fidelity each
    /// round after the first re-sends W(T) pages, T the previous round's
    /// length, W interpolated linearly (to half a page per level).
    func testCurveRoundTrip() throws {
        let dir = try tempDir()
        let text = "# measured\ninterval_s,distinct_mib,note\n0.5,40,a\n2,100,b\n8,180,c\n"
        try text.write(to: dir.appendingPathComponent("w.csv"), atomically: true, encoding: .utf8)
        let curve = try CurveFile.parse(text, source: "w.csv", pageSize: 4096)
        XCTAssertEqual(curve.intervals, [0.5, 2, 8])
        XCTAssertEqual(curve.distinct, [40 * 256, 100 * 256, 180 * 256])
        let file = dir.appendingPathComponent("s.yaml")
        try "scenario: {kinds: [live]}\nvms: {count: 1, memory: [2GiB], memory_in_use: 1, working_set_curve: [w.csv]}\nmigration: {fidelity: mean-field, policy: hyperv-2008r2}\n"
            .write(to: file, atomically: true, encoding: .utf8)
        let s = try ScenarioFile.load(path: file.path).scenario()
        let vm = s.vms[0]
        // The write rate is the curve's initial slope: 40 MiB in 0.5 s.
        XCTAssertEqual(vm.workload.rate.mean!, 80 * 256, accuracy: 1e-9)
        let run = try s.run()[0]
        let rounds = run.rounds.filter { $0.vm == 0 }.sorted { $0.round < $1.round }
        XCTAssertGreaterThan(rounds.count, 1)
        let levels = Double(vm.workload.pageSet(pages: vm.pages, inUse: vm.pages, pageSize: 4096).levels.count)
        for r in rounds {
            XCTAssertEqual(r.dirtyPagesEnd, curve.value(at: r.duration, pages: vm.pages), accuracy: levels * 0.5 + 1e-6, "round \(r.round)")
        }
    }

    func testShippedProfileCurvesLoad() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("data/profiles")
        for p in WorkloadProfile.allCases {
            let url = dir.appendingPathComponent("curve-\(p.rawValue).csv")
            let c = try CurveFile.load(path: url.path, pageSize: 4096)
            XCTAssertGreaterThan(c.intervals.count, 1, p.rawValue)
        }
    }

    /// (curve text, column in the message, line, text in "accepted").
    static let badCurves: [(text: String, key: String, line: Int?, accepted: String)] = [
        ("", "(header)", nil, "interval_s"),
        ("# nothing\n", "(header)", nil, "interval_s"),
        ("interval_s,distinct_pages\n", "(row)", nil, "one row per window"),
        ("interval,distinct_pages\n1,2\n", "interval_s", 1, "interval_s and one of"),
        ("interval_s,pages\n1,2\n", "distinct_pages or distinct_mib", 1, "one of distinct_pages"),
        ("interval_s,distinct_pages,distinct_mib\n1,2,3\n", "distinct_pages or distinct_mib", 1, "one of"),
        ("interval_s,distinct_pages,interval_s\n1,2,3\n", "(header)", 1, "each column name once"),
        ("interval_s,distinct_pages\n1,2,3\n", "(row)", 2, "2 fields"),
        ("interval_s,distinct_pages\n1,100\n2,50\n", "distinct_pages", 3, "never decrease"),
        ("interval_s,distinct_pages\n1,-5\n", "distinct_pages", 2, "a count >= 0"),
        ("interval_s,distinct_mib\n1,-5\n", "distinct_mib", 2, "a count >= 0"),
        ("interval_s,distinct_pages\n1,nan\n", "distinct_pages", 2, "a count >= 0"),
        ("interval_s,distinct_pages\n1,inf\n", "distinct_pages", 2, "a count >= 0"),
        ("interval_s,distinct_pages\nnan,5\n", "interval_s", 2, "seconds"),
        ("interval_s,distinct_pages\n0,5\n", "interval_s", 2, "a window > 0 s"),
        ("interval_s,distinct_pages\n-1,5\n", "interval_s", 2, "a window > 0 s"),
        ("interval_s,distinct_pages\n2,5\n2,6\n", "interval_s", 3, "windows that increase"),
        ("interval_s,distinct_pages\n2,5\n1,6\n", "interval_s", 3, "windows that increase"),
        ("interval_s,distinct_pages\n1e400,5\n", "interval_s", 2, "seconds"),
        ("interval_s,distinct_mib\n1,1e306\n", "distinct_mib", 2, "pages are finite"),
        ("interval_s,distinct_pages\r\n1,5\r\n2,x\r\n", "distinct_pages", 3, "a count >= 0"),
    ]

    func testTableOfBadCurves() {
        var checked = 0
        for c in Self.badCurves {
            XCTAssertThrowsError(try CurveFile.parse(c.text, source: "bad.csv", pageSize: 4096), c.text) { e in
                guard let e = e as? ConfigError else { return XCTFail("\(c.text): not a ConfigError: \(e)") }
                XCTAssertEqual(e.source, "bad.csv")
                XCTAssertEqual(e.key, c.key, "\(c.text): \(e)")
                XCTAssertEqual(e.line, c.line, "\(c.text): \(e)")
                XCTAssertTrue(e.accepted.contains(c.accepted), "\(c.text): accepted '\(c.accepted)' missing: \(e)")
                XCTAssertTrue(e.description.hasPrefix("bad.csv"), e.description)
                XCTAssertFalse(e.description.contains("\n"), e.description)
                checked += 1
            }
        }
        XCTAssertEqual(checked, Self.badCurves.count)
        print("bad inputs: \(checked) CSV working-set curves rejected with file, line, column and accepted values")
    }

    /// Too large: refused before reading, naming the file; a missing file names the scenario key.
    func testTooLargeAndMissingCurves() throws {
        let dir = try tempDir()
        let big = dir.appendingPathComponent("big.csv")
        FileManager.default.createFile(atPath: big.path, contents: Data(count: CurveFile.maximumBytes + 1))
        XCTAssertThrowsError(try CurveFile.load(path: big.path, pageSize: 4096)) { e in
            XCTAssertTrue("\(e)".contains("big.csv") && "\(e)".contains("bytes"), "\(e)")
        }
        var c = ScenarioConfig()
        try c.set("vms.working_set_curve=[/no/such/curve.csv]")
        XCTAssertThrowsError(try c.scenario()) { e in
            XCTAssertEqual((e as? ConfigError)?.key, "vms.working_set_curve", "\(e)")
            XCTAssertTrue("\(e)".contains("no such file"), "\(e)")
        }
    }

    func testPopularityAndHotSetKeys() throws {
        func workload(_ sets: [String]) throws -> WorkloadSpec {
            var c = ScenarioConfig()
            for s in sets { try c.set(s) }
            return try c.scenario().vms[0].workload
        }
        guard case .zipf(let s) = try workload(["vms.popularity=zipf(1.2)"]).popularity else { return XCTFail("not zipf") }
        XCTAssertEqual(s, 1.2)
        guard case .table(let rows) = try workload(["vms.popularity=levels(0.1:0.7; 0.9:0.3)"]).popularity else { return XCTFail("not levels") }
        XCTAssertEqual(rows, [PopularityRow(pages: 0.1, writes: 0.7), PopularityRow(pages: 0.9, writes: 0.3)])
        XCTAssertEqual(try workload(["vms.hot_set=256MiB"]).hotSetBytes, 256 * 1024 * 1024)
        XCTAssertEqual(try workload(["vms.hot_set=0.3"]).hotSetFraction, 0.3)
        XCTAssertEqual(try workload(["vms.trace_offset=0"]).cycleOffset, .fixed(0))
        XCTAssertEqual(try workload([]).cycleOffset, .random)
        for (bad, key) in [("vms.popularity=zipf(-1)", "vms.popularity"), ("vms.popularity=levels(0.5:0.5; 0.4:0.5)", "vms.popularity"),
                           ("vms.popularity=levels(0.5:0.6; 0.5:0.5)", "vms.popularity"), ("vms.popularity=levels(x)", "vms.popularity"),
                           ("vms.popularity=pareto", "vms.popularity"), ("vms.hot_set=0", "vms.hot_set"), ("vms.hot_set=2", "vms.hot_set"),
                           ("vms.hot_set=-1MiB", "vms.hot_set"), ("vms.trace_offset=-1", "vms.trace_offset")] {
            var c = ScenarioConfig()
            XCTAssertThrowsError(try c.set(bad), bad) { e in XCTAssertEqual((e as? ConfigError)?.key, key, "\(bad): \(e)") }
        }
        var both = ScenarioConfig()
        try both.set("vms.hot_set=0.2")
        try both.set("vms.hot_set_fraction=0.3")
        XCTAssertThrowsError(try both.scenario()) { e in XCTAssertEqual((e as? ConfigError)?.key, "vms.hot_set") }
    }
}
