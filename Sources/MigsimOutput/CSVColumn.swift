/// One column of a CSV table: its name, its unit, and how its cell is written from a row.
///
/// A table is an ordered array of columns (see ``ResultTables``); the header
/// is the names and every row is the cells, both from that one array, so a
/// header and its rows cannot drift apart. The unit is documentation: the
/// README's table of the file lists the same names and units, and a test
/// checks that they agree.
public struct CSVColumn<Row>: Sendable {
    /// The header name, with the unit in it where there is one (`_s`, `_bytes`, `_bps`).
    public let name: String
    /// The unit as the README writes it (`s`, `bytes`, `bit/s`, `share`, `pages`); empty when none.
    public let unit: String
    /// How the cell is formatted, with the function that reads its value
    /// from a row. Held as a case, not wrapped in a closure of its own:
    /// calling a wrapper cost a retain and a release of its context per cell.
    let cell: Cell

    enum Cell: Sendable {
        case seconds(@Sendable (Row) -> Double?)
        case bytes(@Sendable (Row) -> Double?)
        case number(@Sendable (Row) -> Double?)
        case integer(@Sendable (Row) -> Int?)
        case integer64(@Sendable (Row) -> UInt64?)
        case bool(@Sendable (Row) -> Bool?)
        case text(@Sendable (Row) -> String?)
        case custom(@Sendable (Row, inout [UInt8]) -> Void)
    }

    init(_ name: String, unit: String = "", cell: Cell) {
        self.name = name
        self.unit = unit
        self.cell = cell
    }

    /// A column whose cell `write` appends itself (without separator) to a table's bytes.
    public init(_ name: String, unit: String = "", write: @escaping @Sendable (Row, inout [UInt8]) -> Void) {
        self.init(name, unit: unit, cell: .custom(write))
    }

    /// Appends `row`'s `cell` (without separator) to `out`.
    @inline(__always) static func write(_ cell: Cell, _ row: Row, _ out: inout [UInt8]) {
        switch cell {
        case .seconds(let value): CSVCell.seconds(value(row), to: &out)
        case .bytes(let value): CSVCell.bytes(value(row), to: &out)
        case .number(let value): CSVCell.number(value(row), to: &out)
        case .integer(let value): CSVCell.integer(value(row), to: &out)
        case .integer64(let value): CSVCell.integer(value(row), to: &out)
        case .bool(let value): CSVCell.bool(value(row), to: &out)
        case .text(let value): CSVCell.text(value(row), to: &out)
        case .custom(let write): write(row, &out)
        }
    }

    /// Seconds with nanosecond resolution (`%.9f`); unit `s`; empty for `nil`.
    public static func seconds(_ name: String, _ value: @escaping @Sendable (Row) -> Double?) -> Self {
        Self(name, unit: "s", cell: .seconds(value))
    }

    /// A byte count (whole numbers without decimals, else three); unit `bytes`; empty for `nil`.
    public static func bytes(_ name: String, _ value: @escaping @Sendable (Row) -> Double?) -> Self {
        Self(name, unit: "bytes", cell: .bytes(value))
    }

    /// A real number with six decimals (`%.6f`); empty for `nil`.
    public static func number(_ name: String, unit: String = "", _ value: @escaping @Sendable (Row) -> Double?) -> Self {
        Self(name, unit: unit, cell: .number(value))
    }

    /// A whole number (an id, a count); empty for `nil`.
    public static func integer(_ name: String, unit: String = "", _ value: @escaping @Sendable (Row) -> Int?) -> Self {
        Self(name, unit: unit, cell: .integer(value))
    }

    /// A whole number of 64 bits (a seed, an event count); empty for `nil`.
    public static func integer(_ name: String, unit: String = "", _ value: @escaping @Sendable (Row) -> UInt64?) -> Self {
        Self(name, unit: unit, cell: .integer64(value))
    }

    /// `true` or `false`; empty for `nil`.
    public static func bool(_ name: String, _ value: @escaping @Sendable (Row) -> Bool?) -> Self {
        Self(name, cell: .bool(value))
    }

    /// Text, quoted when it needs to be (RFC 4180); empty for `nil`.
    public static func text(_ name: String, _ value: @escaping @Sendable (Row) -> String?) -> Self {
        Self(name, cell: .text(value))
    }
}

/// The cell formats of migsim's CSV files, appended as UTF-8 bytes.
///
/// Fixed, locale-free and deterministic: the same value always gives the
/// same bytes. `nil` is an empty cell (a figure that does not apply), never 0.
public enum CSVCell {
    static let comma: UInt8 = 44, quote: UInt8 = 34, newline: UInt8 = 10, carriageReturn: UInt8 = 13

    /// Seconds with nanosecond resolution: `%.9f`.
    public static func seconds(_ x: Double?, to out: inout [UInt8]) {
        guard let x else { return }
        DecimalFormat.append(x, decimals: 9, to: &out)
    }

    /// A byte count: whole numbers (below 10^18) without decimals, otherwise three decimals.
    public static func bytes(_ x: Double?, to out: inout [UInt8]) {
        guard let x else { return }
        DecimalFormat.append(x, decimals: x == x.rounded() && abs(x) < 1e18 ? 0 : 3, to: &out)
    }

    /// A real number: six decimals (`%.6f`).
    public static func number(_ x: Double?, to out: inout [UInt8]) {
        guard let x else { return }
        DecimalFormat.append(x, decimals: 6, to: &out)
    }

    /// A whole number (of at most 64 bits) in decimal, as `String(x)` writes it.
    public static func integer<I: BinaryInteger>(_ x: I?, to out: inout [UInt8]) {
        guard let x else { return }
        if x < 0 { out.append(45) }  // "-"
        var v = UInt64(x.magnitude)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buf in
            var at = 20
            repeat {
                let (q, r) = v.quotientAndRemainder(dividingBy: 10)
                at -= 1
                buf[at] = UInt8(48 + r)
                v = q
            } while v > 0
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[at...]))
        }
    }

    /// `true` or `false`.
    public static func bool(_ x: Bool?, to out: inout [UInt8]) {
        guard let x else { return }
        out.append(contentsOf: x ? "true".utf8 : "false".utf8)
    }

    /// Text as one field: quoted, with quotes doubled, when it holds a comma, a quote, CR or LF.
    public static func text(_ s: String?, to out: inout [UInt8]) {
        guard let s else { return }
        let utf8 = s.utf8
        func special(_ b: UInt8) -> Bool { b == comma || b == quote || b == newline || b == carriageReturn }
        // Fast path over the string's bytes in place (native strings, small ones included).
        // `nil`: no contiguous bytes, so the scan goes through the view.
        let plain = utf8.withContiguousStorageIfAvailable { bytes in
            if bytes.contains(where: special) { return false }
            out.append(contentsOf: bytes)
            return true
        }
        if plain == true { return }
        if plain == nil, !utf8.contains(where: special) {
            out.append(contentsOf: utf8)
            return
        }
        out.append(quote)
        for b in utf8 {
            if b == quote { out.append(quote) }
            out.append(b)
        }
        out.append(quote)
    }
}
