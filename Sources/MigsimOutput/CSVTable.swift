import Foundation
#if canImport(Glibc)
import Glibc
/// `write(2)`, named apart from ``AtomicFile/write(_:to:)-(Data,_)``.
private let posixWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let posixWrite = Darwin.write
#endif

/// A CSV table built in memory as UTF-8 bytes and written atomically (RFC 4180).
///
/// One header row; fields containing a comma, a double quote, CR or LF are
/// quoted, with quotes doubled; rows end with LF; `.` is the decimal
/// separator whatever the locale. Numbers are formatted by ``CSVCell`` so
/// that the same values always give the same bytes. Cells are appended to one
/// byte buffer, with no `String` per cell or per row.
public struct CSVTable {
    public let header: [String]
    public private(set) var bytes: [UInt8] = []

    /// The table as text (decodes ``bytes``; for tests and small tables).
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    public init(header: [String]) {
        self.header = header
        append(header)
    }

    /// A table with one column per element of `columns` and one row per
    /// element of `rows`: header and cells come from the same declarations,
    /// so they cannot drift apart.
    public init<Rows: Sequence>(_ columns: [CSVColumn<Rows.Element>], rows: Rows) {
        self.init(header: columns.map(\.name))
        var out: [UInt8] = []
        swap(&out, &bytes)
        out.reserveCapacity(out.count + rows.underestimatedCount * 16 * columns.count)
        // The cells alone, read in place: a column (name, unit, cell) copied
        // per cell cost a retain and a release of each of its parts.
        let cells = columns.map(\.cell)
        cells.withUnsafeBufferPointer { cells in
            for row in rows {
                for i in cells.indices {
                    if i > 0 { out.append(CSVCell.comma) }
                    CSVColumn<Rows.Element>.write(cells[i], row, &out)
                }
                out.append(CSVCell.newline)
            }
        }
        swap(&out, &bytes)
    }

    /// Appends one row of text fields; it must have as many fields as the header.
    public mutating func append(_ fields: [String]) {
        precondition(fields.count == header.count, "CSV row has \(fields.count) fields, header has \(header.count)")
        for (i, f) in fields.enumerated() {
            if i > 0 { bytes.append(CSVCell.comma) }
            CSVCell.text(f, to: &bytes)
        }
        bytes.append(CSVCell.newline)
    }

    /// Appends rows of text produced elsewhere (e.g. by another table with the same header, without its header line).
    public mutating func appendRaw(_ rows: Substring) { bytes.append(contentsOf: rows.utf8) }

    /// `s` as one CSV field: quoted, with quotes doubled, when it holds a comma, a quote, CR or LF.
    public static func quote(_ s: String) -> String {
        var out: [UInt8] = []
        CSVCell.text(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Writes the table to `url` atomically (see ``AtomicFile``).
    public func write(to url: URL) throws { try AtomicFile.write(bytes, to: url) }
}

/// Number formatting for CSV cells, as text: fixed, locale-free, deterministic.
///
/// The same formats as ``CSVCell``, which appends them to a byte buffer; use
/// these where a `String` is wanted (a few cells, not a large table).
public enum CSVFormat {
    /// Seconds with nanosecond resolution: `%.9f`.
    public static func seconds(_ x: Double?) -> String { string { CSVCell.seconds(x, to: &$0) } }
    /// A byte count: whole numbers without decimals, otherwise three decimals.
    public static func bytes(_ x: Double?) -> String { string { CSVCell.bytes(x, to: &$0) } }
    /// A dimensionless number: six decimals (`%.6f`).
    public static func number(_ x: Double?) -> String { string { CSVCell.number(x, to: &$0) } }
    /// A whole number; empty for `nil`.
    public static func int(_ x: Int?) -> String { string { CSVCell.integer(x, to: &$0) } }
    /// `true` or `false`; empty for `nil`.
    public static func bool(_ x: Bool?) -> String { string { CSVCell.bool(x, to: &$0) } }

    private static func string(_ write: (inout [UInt8]) -> Void) -> String {
        var out: [UInt8] = []
        write(&out)
        return String(decoding: out, as: UTF8.self)
    }
}

/// Files written whole or not at all: a temporary file in the same directory,
/// flushed, then renamed over the destination (rename is atomic on POSIX).
public enum AtomicFile {
    /// A failed write: the path and the operating system's reason
    /// (`strerror`, e.g. "No space left on device").
    public struct WriteError: Error, CustomStringConvertible, Equatable {
        public let path: String
        public let reason: String
        public var description: String { "cannot write \(path): \(reason)" }
    }

    /// Writes the UTF-8 text `text` to `url` atomically.
    public static func write(_ text: String, to url: URL) throws { try write(Data(text.utf8), to: url) }

    /// Writes `data` to `url` atomically.
    public static func write(_ data: Data, to url: URL) throws {
        try data.withUnsafeBytes { try write(contentsOf: $0, to: url) }
    }

    /// Writes `bytes` to `url` atomically: `open` a temporary file, `write`,
    /// `fsync`, `close`, `rename`. On any failure the temporary file is
    /// removed and ``WriteError`` names the failing path and `strerror(errno)`.
    /// (A table's bytes are written where they lie, not copied into a `Data` first.)
    public static func write(_ bytes: [UInt8], to url: URL) throws {
        try bytes.withUnsafeBytes { try write(contentsOf: $0, to: url) }
    }

    private static func write(contentsOf raw: UnsafeRawBufferPointer, to url: URL) throws {
        let dir = url.deletingLastPathComponent()
        var info = stat()
        if stat(dir.path, &info) != 0 && mkdir(dir.path, 0o755) != 0 && errno != EEXIST {
            throw WriteError(path: dir.path, reason: String(cString: strerror(errno)))
        }
        let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).tmp.\(getpid())").path
        func fail(_ path: String) -> WriteError {
            let reason = String(cString: strerror(errno))
            unlink(tmp)
            return WriteError(path: path, reason: reason)
        }
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw WriteError(path: tmp, reason: String(cString: strerror(errno))) }
        var ok = true
        var offset = 0
        while offset < raw.count {
            let n = posixWrite(fd, raw.baseAddress! + offset, raw.count - offset)
            if n < 0 { if errno == EINTR { continue }; ok = false; break }
            offset += n
        }
        guard ok, fsync(fd) == 0 else {
            let e = errno
            close(fd)
            errno = e
            throw fail(tmp)
        }
        guard close(fd) == 0 else { throw fail(tmp) }
        guard rename(tmp, url.path) == 0 else { throw fail(url.path) }
    }
}
