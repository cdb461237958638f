import Foundation

/// The records of a small CSV input file (inventories, and the sweep's
/// per-run `summary.csv`), each with its 1-based line, for error messages.
///
/// One record per line: `#` lines and blank lines are skipped, CRLF is read
/// as LF, fields are separated by commas and trimmed of spaces. A field may
/// be quoted as a whole (RFC 4180), and then hold commas and doubled quotes
/// (`"gamma(4, 625)"`); a quoted field cannot span lines (line numbers stay
/// exact), a quote inside an unquoted field or after a closing quote is an
/// error, and so is any control character but tab (NUL included). The first
/// record is the header; every later record must have as many fields.
///
/// ``TraceFile`` reads traces with the same rules, except that its quoted
/// fields may not hold commas (a trace has numbers only).
public struct CSVRecords: Sendable {
    /// One data record: its fields and the line it is on.
    public struct Record: Sendable {
        public let line: Int
        public let fields: [String]
    }

    /// Column names, in order (each at most once).
    public let header: [String]
    /// The line of the header.
    public let headerLine: Int
    public let records: [Record]

    /// Largest file ``load(path:accepted:maximumRows:)`` reads.
    public static let maximumBytes = 128 * 1024 * 1024

    /// Reads the file at `path`; errors name it with key `(file)`.
    public static func load(path: String, accepted: String, maximumRows: Int) throws -> CSVRecords {
        let text = try TextFile.read(path: path, maximumBytes: maximumBytes, what: "a file", accepted: accepted)
        return try parse(text, source: path, accepted: accepted, maximumRows: maximumRows)
    }

    /// Parses `text`; `source` names it in errors. An empty file (no header)
    /// and a header without rows are errors, as are more than `maximumRows` rows.
    public static func parse(_ text: String, source: String, accepted: String, maximumRows: Int) throws -> CSVRecords {
        func fail(_ line: Int?, _ key: String, _ problem: String, _ accepted: String) -> ConfigError {
            ConfigError(source: source, key: key, problem: problem, accepted: accepted, line: line)
        }
        var header: [String]?
        var headerLine = 0
        var records: [Record] = []
        var lineNumber = 0
        // "\r\n" is one Character in Swift, so split on any newline character.
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            if let bad = line.unicodeScalars.first(where: { $0.value < 0x20 && $0 != "\t" || $0.value == 0x7f }) {
                throw fail(lineNumber, "(row)", "a control character (U+\(String(format: "%04X", bad.value)))",
                           "printable text: fields separated by commas")
            }
            let fields: [String]
            do { fields = try split(line) } catch let p as Problem {
                throw fail(lineNumber, "(row)", p.message, "plain fields, or fields quoted as a whole (\"a, b\") with quotes inside doubled")
            }
            guard let names = header else {
                guard Set(fields).count == fields.count else {
                    let twice = fields.first { f in fields.filter { $0 == f }.count > 1 } ?? ""
                    throw fail(lineNumber, "(header)", "the column '\(twice.prefix(40))' appears twice", "each column name once")
                }
                header = fields
                headerLine = lineNumber
                continue
            }
            guard fields.count == names.count else {
                throw fail(lineNumber, "(row)", "\(fields.count) fields", "\(names.count) fields, as in the header")
            }
            guard records.count < maximumRows else {
                throw fail(lineNumber, "(row)", "more than \(maximumRows) rows", "at most \(maximumRows) rows")
            }
            records.append(Record(line: lineNumber, fields: fields))
        }
        guard let header else { throw fail(nil, "(header)", "the file is empty", accepted) }
        guard !records.isEmpty else { throw fail(nil, "(row)", "a header and no rows", accepted) }
        return CSVRecords(header: header, headerLine: headerLine, records: records)
    }

    /// The fields of one line, unquoted and trimmed.
    static func split(_ line: Substring) throws -> [String] {
        var fields: [String] = []
        var field = ""
        var quoted = false, wasQuoted = false, afterQuote = false
        var chars = line.makeIterator()
        var pending: Character? = nil
        func next() -> Character? {
            if let p = pending { pending = nil; return p }
            return chars.next()
        }
        while let c = next() {
            if quoted {
                if c == "\"" {
                    if let n = next() {
                        if n == "\"" { field.append("\""); continue }
                        pending = n
                    }
                    quoted = false
                    afterQuote = true
                } else {
                    field.append(c)
                }
                continue
            }
            switch c {
            case ",":
                fields.append(wasQuoted ? field : field.trimmingCharacters(in: .whitespaces))
                field = ""
                wasQuoted = false
                afterQuote = false
            case "\"":
                guard field.trimmingCharacters(in: .whitespaces).isEmpty, !wasQuoted else {
                    throw Problem("the field '\((field + "\"").prefix(40))' has a quote inside it")
                }
                field = ""
                quoted = true
                wasQuoted = true
            case " ", "\t":
                if !afterQuote { field.append(c) }
            default:
                guard !afterQuote else { throw Problem("text after the closing quote of '\(field.prefix(40))'") }
                field.append(c)
            }
        }
        guard !quoted else { throw Problem("the quoted field '\(field.prefix(40))' is not closed on its line") }
        fields.append(wasQuoted ? field : field.trimmingCharacters(in: .whitespaces))
        return fields
    }

    /// Position of each column, for reading cells by name.
    public var columnIndex: [String: Int] { Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a }) }
}
