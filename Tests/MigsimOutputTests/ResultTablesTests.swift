import Foundation
import MigsimModel
import MigsimOutput
import MigsimTestSupport
import XCTest

/// The declared CSV columns: documented in the README, and header and rows built from the same declarations.
final class ResultTablesTests: XCTestCase {
    /// Every table's declared (name, unit) columns, in order, by file name.
    static let declared: [String: [(name: String, unit: String)]] = [
        "migrations.csv": ResultTables.migrationColumns.map { ($0.name, $0.unit) },
        "rounds.csv": ResultTables.roundColumns.map { ($0.name, $0.unit) },
        "summary.csv": ResultTables.summaryColumns.map { ($0.name, $0.unit) },
        "links.csv": ResultTables.linkColumns.map { ($0.name, $0.unit) },
        "hosts.csv": ResultTables.hostColumns.map { ($0.name, $0.unit) },
    ]

    /// The README's Output section: each `### \`FILE.csv\`` heading followed by a
    /// `| column | unit | meaning |` table. A row may name several columns
    /// (`` `start_s`, `end_s` ``); they share its unit. Returns (name, unit) per file, in order.
    static func readmeTables() throws -> [String: [(name: String, unit: String)]] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")
        let start = try XCTUnwrap(lines.firstIndex(of: "## Output"), "README has no ## Output")
        let end = lines[(start + 1)...].firstIndex { $0.hasPrefix("## ") } ?? lines.endIndex
        var tables: [String: [(name: String, unit: String)]] = [:]
        var file: String?
        for line in lines[(start + 1)..<end] {
            if line.hasPrefix("### ") {
                file = backticked(line).first
                continue
            }
            guard let f = file, line.hasPrefix("|") else { continue }
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard cells.count >= 3, cells[0] != "column", !cells[0].hasPrefix("---") else { continue }
            for name in backticked(cells[0]) { tables[f, default: []].append((name, cells[1])) }
        }
        return tables
    }

    /// The `code` spans of a line of Markdown, in order.
    static func backticked(_ s: String) -> [String] {
        s.split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
    }

    func testReadmeListsExactlyTheDeclaredColumnsInOrder() throws {
        let readme = try Self.readmeTables()
        XCTAssertEqual(Set(readme.keys), Set(Self.declared.keys), "README ## Output documents these tables")
        for (file, columns) in Self.declared {
            let documented = readme[file] ?? []
            XCTAssertEqual(documented.map(\.name), columns.map(\.name), "\(file): README column names and order")
            XCTAssertEqual(documented.map(\.unit), columns.map(\.unit), "\(file): README units")
        }
    }

    func testReadmeParserSeesGroupedRowsAndUnits() throws {
        // The parser itself: a grouped row gives each name the row's unit.
        let rounds = try XCTUnwrap(try Self.readmeTables()["rounds.csv"])
        let start = try XCTUnwrap(rounds.firstIndex { $0.name == "start_s" })
        XCTAssertEqual(rounds[start + 1].name, "duration_s")
        XCTAssertEqual(rounds[start].unit, "s")
        XCTAssertEqual(rounds[start + 1].unit, "s")
        XCTAssertEqual(Self.backticked("| `a`, `b` | s | `c` |"), ["a", "b", "c"])
    }

    func testColumnNamesAreUniqueAndCarryTheirUnit() {
        for (file, columns) in Self.declared {
            XCTAssertEqual(Set(columns.map(\.name)).count, columns.count, "\(file): duplicate column")
            for c in columns where c.unit == "s" { XCTAssertTrue(c.name.hasSuffix("_s"), "\(file): \(c.name) is in seconds") }
            for c in columns where c.unit == "bytes" { XCTAssertTrue(c.name.contains("bytes"), "\(file): \(c.name) is in bytes") }
        }
    }

    /// A drain of every kind, with refusals impossible to miss: header and cells line up by name.
    func testRowsHaveTheHeaderColumnsAndReadBackByName() throws {
        var s = Scenario.builtinDefault()
        s.vms = Array(s.vms.prefix(5))
        s.kinds = [.live, .postCopy, .storage]
        s.sampleInterval = 10
        let runs = try s.run()
        let tables: [(String, CSVTable, Int)] = [
            ("migrations.csv", ResultTables.migrations(runs), runs.map(\.records.count).reduce(0, +)),
            ("rounds.csv", ResultTables.rounds(runs), runs.map(\.rounds.count).reduce(0, +)),
            ("summary.csv", ResultTables.summary(runs), runs.count),
            ("links.csv", ResultTables.links(runs), runs.map(\.linkSamples.count).reduce(0, +)),
            ("hosts.csv", ResultTables.hosts(runs), runs.map(\.hostSamples.count).reduce(0, +)),
        ]
        for (file, table, count) in tables {
            let parsed = try CSVRows(table.text)
            XCTAssertEqual(parsed.columns, Self.declared[file]?.map(\.name), file)
            XCTAssertEqual(parsed.rows.count, count, file)
            XCTAssertGreaterThan(count, 0, file)
        }
        // Cells by name agree with the records they came from.
        let migrations = try CSVRows(ResultTables.migrations(runs).text)
        let live = runs[0].records.sorted { $0.vm < $1.vm }
        for (row, record) in zip(migrations.rows, live) {
            XCTAssertEqual(row["kind"], "live")
            XCTAssertEqual(row["vm_id"], String(record.vm))
            XCTAssertEqual(row["source_host"], String(record.source))
            XCTAssertEqual(row["end_s"], CSVFormat.seconds(record.endTime))
            XCTAssertEqual(row["downtime_s"], CSVFormat.seconds(record.downtime))
            XCTAssertEqual(row["rounds"], CSVFormat.int(record.rounds))
            XCTAssertEqual(row["bytes_sent"], CSVFormat.bytes(record.bytesSent))
            XCTAssertEqual(row["degraded_s"], "", "live migration has no degraded phase")
        }
        let postCopy = try XCTUnwrap(migrations.rows.first { $0["kind"] == "post-copy" })
        XCTAssertEqual(postCopy["rounds"], "0")
        XCTAssertNotEqual(postCopy["degraded_s"], "")
        let summary = try CSVRows(ResultTables.summary(runs).text)
        XCTAssertEqual(summary.column("kind"), ["live", "post-copy", "storage"])
        XCTAssertEqual(summary.column("migrations"), runs.map { String($0.records.count) })
        XCTAssertEqual(summary.column("events"), runs.map { String($0.eventsProcessed) })
    }

    func testTextCellsAreQuotedAndNumbersAreNot() throws {
        struct Row: Sendable { let text: String?; let x: Double?; let n: Int?; let big: UInt64 }
        let columns: [CSVColumn<Row>] = [
            .text("text") { $0.text }, .seconds("t_s") { $0.x }, .bytes("b_bytes") { $0.x }, .number("x") { $0.x },
            .integer("n") { $0.n }, .integer("big") { $0.big }, .bool("flag") { $0.n.map { $0 > 0 } },
        ]
        let rows = [
            Row(text: "plain", x: 1.5, n: -42, big: .max),
            Row(text: "a,b \"c\"\nd", x: 2, n: 0, big: 0),
            Row(text: nil, x: nil, n: nil, big: 7),
        ]
        let table = CSVTable(columns, rows: rows)
        XCTAssertEqual(table.text, """
            text,t_s,b_bytes,x,n,big,flag
            plain,1.500000000,1.500,1.500000,-42,18446744073709551615,false
            "a,b ""c""
            d",2.000000000,2,2.000000,0,0,false
            ,,,,,7,

            """)
        let parsed = try CSVRows(table.text)
        XCTAssertEqual(parsed.rows[1]["text"], "a,b \"c\"\nd")
        XCTAssertEqual(parsed.rows[2]["big"], "7")
        // The String helpers and the byte writers are the same formats.
        XCTAssertEqual(CSVTable.quote("x\"y"), "\"x\"\"y\"")
        XCTAssertEqual(CSVFormat.int(Int.min), String(Int.min))
        XCTAssertEqual(CSVFormat.bool(true), "true")
        var out = Array("k=".utf8)
        DecimalFormat.append(0.1, decimals: 3, to: &out)
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "k=0.100", "appends after what is there")
    }

    func testManifestDigestsTheCanonicalText() {
        let a = Manifest.json(canonicalScenario: "seed: 1\n", seed: 1, runID: 3, wall: .milliseconds(1500))
        let b = Manifest.json(canonicalScenario: "seed: 2\n", seed: 1, runID: 3, wall: .milliseconds(1500))
        XCTAssertNotEqual(a, b)
        XCTAssertTrue(a.contains("\"run_id\": 3") && a.contains("\"wall_time_s\": 1.500000"), a)
        // FNV-1a 64 of the empty text is its offset basis.
        XCTAssertTrue(Manifest.json(canonicalScenario: "", seed: 0, runID: 0, wall: .zero).contains("cbf29ce484222325"))
    }
}

/// The test helper that reads CSV by column name.
final class CSVRowsTests: XCTestCase {
    func testQuotedFieldsCRLFAndLookupByName() throws {
        let t = try CSVRows("a,b,c\r\n1,\"x,\"\"y\"\"\",\r\n\"\",2,3")
        XCTAssertEqual(t.columns, ["a", "b", "c"])
        XCTAssertEqual(t.rows.count, 2)
        XCTAssertEqual(t.rows[0]["b"], "x,\"y\"")
        XCTAssertEqual(t.rows[0]["c"], "")
        XCTAssertEqual(t.rows[1]["a"], "")
        XCTAssertEqual(t.rows[1].double("c"), 3)
        XCTAssertNil(t.rows[1]["d"], "a column the table lacks")
        XCTAssertNil(t.column("d"))
        XCTAssertEqual(t.column("b"), ["x,\"y\"", "2"])
    }

    func testMalformedTablesThrow() {
        for bad in ["", "a,a\n1,2\n", "a,b\n1\n", "a\n\"open\n", "a\nx\"y\n", "a\n\"x\"y\n"] {
            XCTAssertThrowsError(try CSVRows(bad), bad.debugDescription)
        }
    }
}
