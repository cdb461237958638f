/// A CSV table parsed for tests, with cells read by column name.
///
/// Parses RFC 4180: fields separated by commas, rows by LF or CRLF, quoted
/// fields may hold commas, line breaks and doubled quotes. The first row is
/// the header. Reading cells by name instead of by position (or by matching a
/// row's suffix) keeps a test meaningful when columns are added or moved.
public struct CSVRows {
    /// One data row; `row["name"]` is its cell in column `name`, `nil` for a column the table does not have.
    public struct Row {
        let index: [String: Int]
        /// The cells in column order.
        public let fields: [String]

        public subscript(_ column: String) -> String? { index[column].map { fields[$0] } }

        /// The cell of `column` as a `Double`; `nil` when the column is missing, the cell empty or not a number.
        public func double(_ column: String) -> Double? { self[column].flatMap { Double($0) } }
    }

    /// A malformed table: ragged rows, an unterminated quote, duplicate or missing header.
    public struct ParseError: Error, CustomStringConvertible {
        public let description: String
    }

    /// The header names, in order.
    public let columns: [String]
    public let rows: [Row]

    /// Parses `text`; every row must have as many fields as the header.
    public init(_ text: String) throws {
        let records = try Self.records(text)
        guard let header = records.first else { throw ParseError(description: "no header row") }
        var index: [String: Int] = [:]
        for (i, name) in header.enumerated() {
            guard index.updateValue(i, forKey: name) == nil else { throw ParseError(description: "column '\(name)' appears twice") }
        }
        columns = header
        rows = try records.dropFirst().enumerated().map { n, fields in
            guard fields.count == header.count else {
                throw ParseError(description: "row \(n + 1) has \(fields.count) fields, the header \(header.count)")
            }
            return Row(index: index, fields: fields)
        }
    }

    /// The cells of `column`, top to bottom; `nil` when the table has no such column.
    public func column(_ name: String) -> [String]? {
        guard let i = columns.firstIndex(of: name) else { return nil }
        return rows.map { $0.fields[i] }
    }

    /// The RFC 4180 records of `text`; a final line break ends the last record.
    static func records(_ text: String) throws -> [[String]] {
        var records: [[String]] = [], fields: [String] = [], field: [UInt8] = []
        var quoted = false, wasQuoted = false, rowStarted = false
        var bytes = Array(text.utf8)[...]
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            wasQuoted = false
        }
        while let b = bytes.popFirst() {
            if quoted {
                if b == UInt8(ascii: "\"") {
                    if bytes.first == UInt8(ascii: "\"") { bytes.removeFirst(); field.append(b) } else { quoted = false }
                } else {
                    field.append(b)
                }
                continue
            }
            rowStarted = true
            switch b {
            case UInt8(ascii: "\""):
                guard field.isEmpty && !wasQuoted else { throw ParseError(description: "a quote inside an unquoted field") }
                quoted = true
                wasQuoted = true
            case UInt8(ascii: ","):
                endField()
            case UInt8(ascii: "\r") where bytes.first == UInt8(ascii: "\n"):
                break
            case UInt8(ascii: "\n"):
                endField()
                records.append(fields)
                fields = []
                rowStarted = false
            default:
                guard !wasQuoted else { throw ParseError(description: "text after a closing quote") }
                field.append(b)
            }
        }
        guard !quoted else { throw ParseError(description: "unterminated quoted field") }
        if rowStarted {
            endField()
            records.append(fields)
        }
        return records
    }
}
