import Foundation

/// A CSV table built in memory and written atomically (RFC 4180).
///
/// One header row; fields containing a comma, a double quote, CR or LF are
/// quoted, with quotes doubled; rows end with LF; `.` is the decimal
/// separator whatever the locale. Numbers are formatted by the helpers below
/// so that the same values always give the same bytes.
public struct CSVTable {
    public let header: [String]
    public private(set) var text: String

    public init(header: [String]) {
        self.header = header
        text = ""
        append(header)
    }

    /// Appends one row; it must have as many fields as the header.
    public mutating func append(_ fields: [String]) {
        precondition(fields.count == header.count, "CSV row has \(fields.count) fields, header has \(header.count)")
        var first = true
        for f in fields {
            if !first { text.append(",") }
            first = false
            text.append(CSVTable.quote(f))
        }
        text.append("\n")
    }

    /// Appends rows of text produced elsewhere (e.g. by another table with the same header, without its header line).
    public mutating func appendRaw(_ rows: Substring) { text.append(contentsOf: rows) }

    public static func quote(_ s: String) -> String {
        if s.utf8.contains(where: { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 }) {  // , " LF CR
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }

    /// Writes the table to `url` atomically (see ``AtomicFile``).
    public func write(to url: URL) throws { try AtomicFile.write(text, to: url) }
}

/// Number formatting for CSV cells: fixed, locale-free, deterministic.
public enum CSVFormat {
    /// Seconds with nanosecond resolution: `%.9f`.
    public static func seconds(_ x: Double?) -> String {
        guard let x else { return "" }
        return DecimalFormat.fixed(x, decimals: 9)
    }
    /// A byte count: whole numbers without decimals, otherwise three decimals.
    public static func bytes(_ x: Double?) -> String {
        guard let x else { return "" }
        return DecimalFormat.fixed(x, decimals: x == x.rounded() && abs(x) < 1e18 ? 0 : 3)
    }
    /// A dimensionless number: six significant decimals (`%.6f`).
    public static func number(_ x: Double?) -> String {
        guard let x else { return "" }
        return DecimalFormat.fixed(x, decimals: 6)
    }
    public static func int(_ x: Int?) -> String { x.map(String.init) ?? "" }
    public static func bool(_ x: Bool?) -> String { x.map { $0 ? "true" : "false" } ?? "" }
}

/// Files written whole or not at all: a temporary file in the same directory,
/// flushed, then renamed over the destination (rename is atomic on POSIX).
public enum AtomicFile {
    public static func write(_ text: String, to url: URL) throws {
        let dir = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).tmp.\(getpid())")
        let data = Data(text.utf8)
        guard FileManager.default.createFile(atPath: tmp.path, contents: data) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: tmp.path])
        }
        let fd = open(tmp.path, O_RDONLY)
        if fd >= 0 { fsync(fd); close(fd) }
        guard rename(tmp.path, url.path) == 0 else {
            let err = String(cString: strerror(errno))
            unlink(tmp.path)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path, NSLocalizedDescriptionKey: err])
        }
    }
}
