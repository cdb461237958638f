import Foundation
import MigsimConfig
import MigsimModel
import MigsimTestSupport
import XCTest

/// Dirty-rate traces (`vms.dirty_trace`): replay against the integral of the
/// recorded rates, unit conversion, path resolution, and a table of bad traces.
final class TraceTests: XCTestCase {
    func tempDir() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("migsim-trace-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: d) }
        return d
    }

    func testReplayIntegratesTheRecordedRatesAndRepeats() throws {
        let trace = try TraceFile.parse("# recorded\ntime_s,dirty_pages_per_s\n10,100\n20,300\n", source: "t.csv", pageSize: 4096)
        XCTAssertEqual(trace.period, 20)
        XCTAssertEqual(trace.meanRate, 200, accuracy: 1e-12)
        var spec = WorkloadSpec(rate: try .constant(1e9))  // replaced by the trace
        spec.trace = trace
        var p = DirtyRateProcess(spec: spec, seed: 1, run: 0, vm: 0)
        // [5, 25): 5 s at 100, 10 s at 300, then the trace repeats: 5 s at 100.
        let expected: Double = 5 * 100 + 10 * 300 + 5 * 100
        XCTAssertEqual(p.writes(from: 5, to: 25), expected, accuracy: 1e-9)
        // Ten whole periods from t = 25: 10 x (10 x 100 + 10 x 300).
        let tenPeriods: Double = 10 * 4000
        XCTAssertEqual(p.writes(from: 25, to: 225), tenPeriods, accuracy: 1e-6)
    }

    func testLongTraceMatchesTheSumOverItsIntervals() throws {
        // 10,000 irregular intervals: the binary-searched replay equals a direct sum.
        var text = "time_s,dirty_pages_per_s\n", ends: [Double] = [], rates: [Double] = []
        var t = 0.0
        for i in 0..<10_000 {
            t += 0.5 + Double(i % 7) * 0.25
            let r = Double((i * 7919) % 5000)
            ends.append(t)
            rates.append(r)
            text += "\(t),\(r)\n"
        }
        var spec = WorkloadSpec(rate: try .constant(0))
        spec.trace = try TraceFile.parse(text, source: "long.csv", pageSize: 4096)
        spec.cycleOffset = .fixed(0)
        var p = DirtyRateProcess(spec: spec, seed: 1, run: 0, vm: 0)
        let a = ends[1233] + 0.1, b = ends[8765] - 0.2
        var expected = (ends[1234] - a) * rates[1234] + (b - ends[8764]) * rates[8765]
        for i in 1235...8764 { expected += (ends[i] - ends[i - 1]) * rates[i] }
        XCTAssertEqual(p.writes(from: a, to: b), expected, accuracy: expected * 1e-12)
    }

    /// `dirty_mib_per_s` is QEMU calc-dirty-rate's figure: distinct pages over
    /// `window_s`, so MiB/s x window x MiB / page size distinct pages.
    func testMiBPerSecondColumnIsDistinctPagesOverTheWindow() throws {
        let t = try TraceFile.parse("time_s,dirty_mib_per_s,window_s,other\n1,1,1,x\n2,2.5,2,y\n", source: "q.csv", pageSize: 4096)
        XCTAssertEqual(t.rates, [256, 1280])
        XCTAssertEqual(t.measure, .distinct(windows: [1, 2]))
        let big = try TraceFile.parse("time_s,dirty_mib_per_s,window_s\n1,1,1\n", source: "q.csv", pageSize: 2 * 1024 * 1024)
        XCTAssertEqual(big.rates, [0.5])
        let pages = try TraceFile.parse("time_s,distinct_pages,window_s\n10,5000,1\n", source: "q.csv", pageSize: 4096)
        XCTAssertEqual(pages.rates, [5000])
        XCTAssertEqual(pages.measure, .distinct(windows: [1]))
        XCTAssertEqual(try TraceFile.parse("time_s,dirty_pages_per_s\n1,7\n", source: "q.csv", pageSize: 4096).measure, .writes)
    }

    /// Replayed in a scenario (mean-field, linear counting, uniform): a
    /// distinct trace of D pages per 1 s window dirties D pages in a 1 s span,
    /// whatever the popularity, where the same figure read as writes/s is saturated.
    func testDistinctTraceReplaysTheMeasurement() throws {
        let dir = try tempDir()
        try "time_s,distinct_pages,window_s\n3600,50000,1\n".write(to: dir.appendingPathComponent("d.csv"), atomically: true, encoding: .utf8)
        let file = dir.appendingPathComponent("s.yaml")
        try "scenario: {kinds: [live]}\nvms: {count: 1, memory: [1GiB], dirty_trace: [d.csv], trace_offset: 0}\n"
            .write(to: file, atomically: true, encoding: .utf8)
        let s = try ScenarioFile.load(path: file.path).scenario()
        let w = s.vms[0].workload
        let set = w.pageSet(pages: s.vms[0].pages, inUse: Int((Double(s.vms[0].pages) * s.vms[0].memoryInUse).rounded()), pageSize: 4096)
        var p = DirtyRateProcess(spec: w, seed: 1, run: 0, vm: 0, set: set)
        XCTAssertEqual(set.expectedDistinct(writes: p.writes(from: 100, to: 101)), 50_000, accuracy: 1e-6)
        XCTAssertLessThan(set.expectedDistinct(writes: 50_000), 50_000 * 0.9)
    }

    func testScenarioReplaysATraceNamedRelativeToItsFile() throws {
        let dir = try tempDir()
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("traces"), withIntermediateDirectories: true)
        try "time_s,dirty_pages_per_s\n3600,5000\n".write(to: dir.appendingPathComponent("traces/flat.csv"), atomically: true, encoding: .utf8)
        let common = "scenario: {kinds: [live]}\nvms: {count: 2, memory: [2GiB], profiles: [web], counting: linear, hot_set_fraction: 1, hot_write_share: 1"
        let file = dir.appendingPathComponent("s.yaml")
        try (common + ", dirty_trace: [traces/flat.csv]}\nmigration: {fidelity: mean-field}\n").write(to: file, atomically: true, encoding: .utf8)
        let traced = try ScenarioFile.load(path: file.path).scenario().run()[0]
        // A flat trace is the same workload as the constant rate it records.
        let flat = try ScenarioFile.parse(common + ", dirty_rate: constant(5000)}\nmigration: {fidelity: mean-field}\n", source: "c.yaml")
            .scenario().run()[0]
        XCTAssertEqual(traced.records.count, 2)
        for (a, b) in zip(traced.records, flat.records) {
            XCTAssertEqual(a.bytesSent, b.bytesSent, accuracy: 1e-6)
            XCTAssertEqual(a.rounds, b.rounds)
            XCTAssertEqual(a.downtime!, b.downtime!, accuracy: 1e-9)
        }
        XCTAssertGreaterThan(traced.records[0].rounds!, 1)
    }

    func testShippedExampleTraceLoads() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("data/traces/web-hour-synthetic.csv")
        let t = try TraceFile.load(path: url.path, pageSize: 4096)
        XCTAssertEqual(t.ends.count, 60)
        XCTAssertEqual(t.period, 3600)
        // Equal 60 s intervals: the time-weighted mean is the plain mean of the rows.
        let uncommented = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("#") }
        let table = try CSVRows(uncommented.joined(separator: "\n"))
        let rows = table.rows.compactMap { $0.double("dirty_pages_per_s") }
        XCTAssertEqual(table.rows.count, 60)
        XCTAssertEqual(rows.count, 60)
        XCTAssertEqual(t.meanRate, rows.reduce(0, +) / 60, accuracy: 1e-9)
    }

    /// (trace text, key or column in the message, line, text in "accepted").
    static let badTraces: [(text: String, key: String, line: Int?, accepted: String)] = [
        ("", "(header)", nil, "time_s"),
        ("# only a comment\n\n", "(header)", nil, "time_s"),
        ("time_s,dirty_pages_per_s\n", "(row)", nil, "one row per interval"),
        ("time,dirty_pages_per_s\n1,2\n", "time_s", 1, "time_s and one of"),
        ("time_s,rate\n1,2\n", "dirty_pages_per_s or dirty_mib_per_s or distinct_pages", 1, "one of dirty_pages_per_s"),
        ("time_s,dirty_pages_per_s,dirty_mib_per_s\n1,2,3\n", "dirty_pages_per_s or dirty_mib_per_s or distinct_pages", 1, "one of"),
        ("time_s,distinct_pages\n1,2\n", "window_s", 1, "a window_s column"),
        ("time_s,dirty_mib_per_s\n1,2\n", "window_s", 1, "a window_s column"),
        ("time_s,distinct_pages,window_s\n1,2,0\n", "window_s", 2, "a window > 0 s"),
        ("time_s,distinct_pages,window_s\n1,2,nan\n", "window_s", 2, "a window > 0 s"),
        ("time_s,distinct_pages,window_s\n1,-2,1\n", "distinct_pages", 2, "a rate >= 0"),
        ("time_s,dirty_pages_per_s,time_s\n1,2,3\n", "(header)", 1, "each column name once"),
        ("time_s,dirty_pages_per_s\n1,2\n2\n", "(row)", 3, "2 fields"),
        ("time_s,dirty_pages_per_s\n1,2,3\n", "(row)", 2, "2 fields"),
        ("time_s,dirty_pages_per_s\nten,2\n", "time_s", 2, "seconds"),
        ("time_s,dirty_pages_per_s\n1,lots\n", "dirty_pages_per_s", 2, "a rate >= 0"),
        ("time_s,dirty_pages_per_s\n1,\n", "dirty_pages_per_s", 2, "a rate >= 0"),
        ("time_s,dirty_pages_per_s\nnan,2\n", "time_s", 2, "seconds"),
        ("time_s,dirty_pages_per_s\ninf,2\n", "time_s", 2, "seconds"),
        ("time_s,dirty_pages_per_s\n1e400,2\n", "time_s", 2, "seconds"),
        ("time_s,dirty_pages_per_s\n1,nan\n", "dirty_pages_per_s", 2, "a rate >= 0"),
        ("time_s,dirty_pages_per_s\n1,1e999\n", "dirty_pages_per_s", 2, "a rate >= 0"),
        ("time_s,dirty_mib_per_s,window_s\n1,-3,1\n", "dirty_mib_per_s", 2, "a rate >= 0"),
        ("time_s,dirty_pages_per_s\n0,2\n", "time_s", 2, "a time > 0"),
        ("time_s,dirty_pages_per_s\n-5,2\n", "time_s", 2, "a time > 0"),
        ("time_s,dirty_pages_per_s\n10,2\n5,3\n", "time_s", 3, "times that increase"),
        ("time_s,dirty_pages_per_s\n10,2\n10,3\n", "time_s", 3, "times that increase"),
        ("time_s,dirty_pages_per_s\r\n10,2\r\n20,x\r\n", "dirty_pages_per_s", 3, "a rate >= 0"),
        // Finite in MiB/s, infinite in page writes/s: refused by the parser's bound (1e15 page writes/s), named by column and line.
        ("time_s,dirty_mib_per_s,window_s\n# big\n1,1,1\n2,1e308,1\n", "dirty_mib_per_s", 4, "a rate >= 0"),
        // Issue 19: sub-nanosecond intervals hung the run; huge rates trapped; quotes and NUL were ignored.
        ("time_s,dirty_pages_per_s\n1e-12,1\n", "time_s", 2, "at least 1 ns"),
        ("time_s,dirty_pages_per_s\n1,1\n1.0000000001,1\n", "time_s", 3, "at least 1 ns"),
        ("time_s,dirty_pages_per_s\n10,1e308\n", "dirty_pages_per_s", 2, "at most 1e+15 page writes/s"),
        ("time_s,dirty_mib_per_s,window_s\n10,1e13,1\n", "dirty_mib_per_s", 2, "at most 1e+15 page writes/s"),
        ("time_s,dirty_pages_per_s\n\"10,1\n", "(row)", 2, "wholly quoted"),
        ("time_s,dirty_pages_per_s\n10,1\"\"\n", "(row)", 2, "wholly quoted"),
        ("time_s,dirty_pages_per_s\n10,1\0\n", "(row)", 2, "printable"),
        ("time_s,dirty_pages_per_s\n10\u{1}0,1\n", "(row)", 2, "printable"),
    ]

    /// Fields quoted as a whole are still read (RFC 4180 style); only lone or inner quotes are refused.
    func testWhollyQuotedFieldsAreRead() throws {
        let t = try TraceFile.parse("\"time_s\",\"dirty_pages_per_s\"\n\"10\",\"1.5\"\n", source: "q.csv", pageSize: 4096)
        XCTAssertEqual(t.rates, [1.5])
    }

    func testTableOfBadTraces() {
        var checked = 0
        for c in Self.badTraces {
            XCTAssertThrowsError(try TraceFile.parse(c.text, source: "bad.csv", pageSize: 4096), c.text) { e in
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
        XCTAssertEqual(checked, Self.badTraces.count)
        print("bad inputs: \(checked) CSV trace cases rejected with file, line, column and accepted values")
    }

    func testBadTraceReferencesNameTheScenarioKey() throws {
        let dir = try tempDir()
        let file = dir.appendingPathComponent("s.yaml")
        try "vms: {dirty_trace: [missing.csv]}\n".write(to: file, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ScenarioFile.load(path: file.path).scenario()) { e in
            let c = e as? ConfigError
            XCTAssertEqual(c?.key, "vms.dirty_trace")
            XCTAssertEqual(c?.source, file.path)
            XCTAssertEqual(c?.line, 1)
            XCTAssertTrue("\(e)".contains("missing.csv") && "\(e)".contains("no such file"), "\(e)")
        }
        // A directory, and a file that is not a trace (the scenario naming itself).
        for (name, needle) in [(".", "a directory"), ("s.yaml", "no time_s column")] {
            try "vms: {dirty_trace: [\(name)]}\n".write(to: file, atomically: true, encoding: .utf8)
            XCTAssertThrowsError(try ScenarioFile.load(path: file.path).scenario(), name) { e in
                XCTAssertTrue("\(e)".contains(needle), "\(name): \(e)")
            }
        }
        for bad in ["vms.dirty_trace=[a.csv, ]", "vms.dirty_trace=[]", "vms.dirty_trace=a\u{1}.csv"] {
            var c = ScenarioConfig()
            XCTAssertThrowsError(try c.set(bad), bad) { e in
                XCTAssertEqual((e as? ConfigError)?.key, "vms.dirty_trace", "\(bad): \(e)")
            }
        }
    }
}
