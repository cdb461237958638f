import Foundation

/// A physical quantity written as a number and a unit: sizes, rates, durations,
/// or plain numbers (no unit).
///
/// Units are case-sensitive. A value is `factor * number / divisor`, so decimal
/// fractions of a unit (`100ms`, `10Gbps`) round exactly as the model's own
/// literals (`0.1`, `10 * Units.Gbps`) do.
struct Quantity: Sendable {
    /// What the quantity is, for messages: "size", "rate", "duration", "number".
    let name: String
    let units: [(suffix: String, factor: Double, divisor: Double)]
    /// The base unit a bare number is in, e.g. "bytes".
    let bare: String
    /// Suffix for bound values in accepted texts ("B", "B/s", "s" or "").
    let baseSuffix: String
    /// How many leading units are bits per second (rates), for the unit text.
    var bitUnits = 0

    static let plain = Quantity(name: "number", units: [], bare: "", baseSuffix: "")
    static let size = Quantity(
        name: "size",
        units: [("B", 1, 1), ("KiB", 1024, 1), ("MiB", 1024 * 1024, 1), ("GiB", 1024 * 1024 * 1024, 1),
                ("TiB", 1024 * 1024 * 1024 * 1024, 1), ("KB", 1e3, 1), ("MB", 1e6, 1), ("GB", 1e9, 1), ("TB", 1e12, 1)],
        bare: "bytes", baseSuffix: "B")
    static let rate = Quantity(
        name: "rate",
        units: [("bps", 1, 8), ("Kbps", 1e3, 8), ("Mbps", 1e6, 8), ("Gbps", 1e9, 8),
                ("B/s", 1, 1), ("KB/s", 1e3, 1), ("MB/s", 1e6, 1), ("GB/s", 1e9, 1),
                ("KiB/s", 1024, 1), ("MiB/s", 1024 * 1024, 1), ("GiB/s", 1024 * 1024 * 1024, 1)],
        bare: "bytes/s", baseSuffix: "B/s", bitUnits: 4)
    static let duration = Quantity(
        name: "duration",
        units: [("ns", 1, 1e9), ("us", 1, 1e6), ("ms", 1, 1e3), ("s", 1, 1), ("min", 60, 1), ("h", 3600, 1)],
        bare: "seconds", baseSuffix: "s")

    /// "B, KiB, ... or TB (bare number = bytes)"; empty for plain numbers.
    var unitText: String {
        guard !units.isEmpty else { return "" }
        var names = units.map(\.suffix)
        if bitUnits > 0, bitUnits < names.count { names[bitUnits - 1] += " (bits/s)" }
        return names.dropLast().joined(separator: ", ") + " or " + (names.last ?? "") + " (bare number = \(bare))"
    }

    /// The value of `text` in the base unit.
    func parse(_ text: String) throws -> Double {
        let (v, unit) = try Lexer.number(text)
        if unit.isEmpty { return v }
        guard !units.isEmpty else { throw Problem("'\(text)' is not a plain number (no unit allowed here)") }
        guard let u = units.first(where: { $0.suffix == unit }) else {
            throw Problem("'\(text)' has an unknown unit '\(unit)'")
        }
        let r = v * u.factor / u.divisor
        guard r.isFinite else { throw Problem("'\(text)' is too large") }
        return r
    }

    /// Bytes in the largest binary unit that divides them exactly, for messages ("512GiB").
    static func bytes(_ x: Double) -> String {
        for (suffix, factor) in [("TiB", 0x1p40), ("GiB", 0x1p30), ("MiB", 0x1p20), ("KiB", 0x1p10)]
        where x >= factor && (x / factor).rounded() == x / factor {
            return format(x / factor) + suffix
        }
        return format(x) + "B"
    }

    /// The text a scenario file shows for `x` (base units): the number in the
    /// largest unit that holds it as a whole number and parses back to exactly
    /// `x` (`10Gbps`, `256GiB`, `100ms`), trying `unit` first when given; zero
    /// in the base unit (`0s`); otherwise, and for plain numbers, ``format(_:)``.
    func text(_ x: Double, unit: String? = nil) -> String {
        guard !units.isEmpty else { return Self.format(x) }
        if x == 0, let base = units.first(where: { $0.factor == 1 && $0.divisor == 1 }) { return "0" + base.suffix }
        let largestFirst = units.sorted { $0.factor / $0.divisor > $1.factor / $1.divisor }
        for u in units.filter({ $0.suffix == unit }) + largestFirst {
            let n = x * u.divisor / u.factor
            if n == n.rounded(), abs(n) < 1e15, n * u.factor / u.divisor == x { return Self.format(n) + u.suffix }
        }
        return Self.format(x)
    }

    /// Canonical text of a base-unit value: a bare number, which parses back to the same value.
    static func format(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }
}

/// Reads decimal numbers: optional sign, digits, optional fraction and exponent.
/// Hexadecimal, `nan` and `inf` spellings are refused with a message that says so.
enum Lexer {
    /// The leading number of `text` and the (trimmed) rest, its unit.
    static func number(_ text: String) throws -> (Double, String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        let word = t.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "+-."))
        if word.hasPrefix("nan") || word.hasPrefix("inf") { throw Problem("'\(t)' is not a finite number") }
        let c = Array(t.utf8)
        var i = 0
        var out = ""
        func isDigit(_ k: Int) -> Bool { k < c.count && c[k] >= 48 && c[k] <= 57 }
        if i < c.count, c[i] == 43 || c[i] == 45 { out.append(c[i] == 45 ? "-" : "+"); i += 1 }
        var intDigits = "", fracDigits = ""
        while isDigit(i) { intDigits.append(Character(UnicodeScalar(c[i]))); i += 1 }
        if i < c.count, c[i] == 46, isDigit(i + 1) || !intDigits.isEmpty {
            i += 1
            while isDigit(i) { fracDigits.append(Character(UnicodeScalar(c[i]))); i += 1 }
        }
        guard !intDigits.isEmpty || !fracDigits.isEmpty else { throw Problem("'\(t)' is not a number") }
        out += intDigits.isEmpty ? "0" : intDigits
        if !fracDigits.isEmpty { out += "." + fracDigits }
        if i < c.count, c[i] == 101 || c[i] == 69 {
            var j = i + 1
            var exp = "e"
            if j < c.count, c[j] == 43 || c[j] == 45 { exp.append(c[j] == 45 ? "-" : "+"); j += 1 }
            let start = j
            while isDigit(j) { exp.append(Character(UnicodeScalar(c[j]))); j += 1 }
            if j > start { out += exp; i = j }
        }
        guard let v = Double(out) else { throw Problem("'\(t)' is not a number") }
        guard v.isFinite else { throw Problem("'\(t)' is too large") }
        let rest = String(decoding: c[i...], as: UTF8.self).trimmingCharacters(in: .whitespaces)
        return (v, rest)
    }
}

/// An interval of accepted numbers, with its text for messages.
struct Bounds: Sendable {
    var low: Double?
    var lowOpen = false
    var high: Double?
    var highOpen = false

    static let any = Bounds()
    static let positive = Bounds(low: 0, lowOpen: true)
    static let nonNegative = Bounds(low: 0)
    /// (0, 1]
    static let share = Bounds(low: 0, lowOpen: true, high: 1)
    /// [0, 1]
    static let closedShare = Bounds(low: 0, high: 1)
    static func atLeast(_ x: Double) -> Bounds { Bounds(low: x) }

    func contains(_ v: Double) -> Bool {
        if let l = low, lowOpen ? !(v > l) : !(v >= l) { return false }
        if let h = high, highOpen ? !(v < h) : !(v <= h) { return false }
        return true
    }

    /// "> 0", ">= 4096B", "in (0, 1]", or "" for any value.
    func text(suffix: String) -> String {
        func f(_ x: Double) -> String { Quantity.format(x) + (x == 0 ? "" : suffix) }
        switch (low, high) {
        case let (l?, h?): return "in \(lowOpen ? "(" : "[")\(f(l)), \(f(h))\(highOpen ? ")" : "]")"
        case let (l?, nil): return (lowOpen ? "> " : ">= ") + f(l)
        case let (nil, h?): return (highOpen ? "< " : "<= ") + f(h)
        case (nil, nil): return ""
        }
    }
}

/// A value as a scenario file writes it: a decimal number and its unit, for
/// code outside this module that works on the number (sweep sampling).
public enum NumberWithUnit {
    /// The leading decimal number of `text` and the trimmed rest (its unit,
    /// possibly empty), read as scenario values are; `nil` when `text` does not
    /// start with a finite decimal number (hexadecimal, `nan`, `inf` refused).
    public static func split(_ text: String) -> (value: Double, unit: String)? {
        guard let (v, u) = try? Lexer.number(text) else { return nil }
        return (v, u)
    }
}
