import MigsimModel
import MigsimRandom

/// The value of one scenario key after parsing.
enum Value: Sendable {
    case int(Int), number(Double), bool(Bool), text(String), list([String]), distribution(Distribution), none
}

/// What a key accepts; parses text into a ``Value`` and describes itself.
indirect enum Kind: Sendable {
    case int(ClosedRange<Int>)
    case number(ClosedRange<Double>)
    case bool
    /// A 64-bit unsigned seed.
    case seed
    /// Free text: letters, digits and `-_.`, 1 to 64 characters.
    case text
    case choice([String])
    case size(minimum: Double)
    case rate
    case duration
    case distribution(unit: String)
    case sizeList
    case choiceList([String])
    /// The kind, or one of the given keywords (e.g. `none`, `action`, `profile`, `policy`).
    case or(Kind, [String])

    var accepted: String {
        switch self {
        case .int(let r): return "an integer in \(r.lowerBound)...\(r.upperBound)"
        case .number(let r): return "a number in [\(r.lowerBound), \(r.upperBound)]"
        case .bool: return "true or false"
        case .seed: return "an integer in 0...\(UInt64.max)"
        case .text: return "1 to 64 letters, digits, '-', '_' or '.'"
        case .choice(let c): return "one of " + c.joined(separator: ", ")
        case .size(let m): return "a size > \(Int(m)) bytes with a unit B, KiB, MiB, GiB, TiB, KB, MB, GB, TB"
        case .rate: return "a rate > 0 with a unit bps, Kbps, Mbps, Gbps, B/s, KB/s, MB/s, GB/s, KiB/s, MiB/s, GiB/s"
        case .duration: return "a duration >= 0 with a unit ns, us, ms, s, min, h (at most 9.2e9 s)"
        case .distribution(let u): return "a distribution in \(u): " + UnitParser.distributionForms
        case .sizeList: return "a non-empty list of sizes, e.g. [2GiB, 4GiB]"
        case .choiceList(let c): return "a non-empty list of " + c.joined(separator: ", ")
        case .or(let k, let words): return words.joined(separator: ", ") + ", or " + k.accepted
        }
    }

    /// Parses a scalar (lists arrive as `[a, b]` text or as items).
    func parse(_ text: String, items: [String]?) throws -> Value? {
        switch self {
        case .int(let r):
            guard let v = Int(text), r.contains(v) else { return nil }
            return .int(v)
        case .number(let r):
            guard let v = Double(text), v.isFinite, r.contains(v) else { return nil }
            return .number(v)
        case .bool:
            switch text { case "true": return .bool(true); case "false": return .bool(false); default: return nil }
        case .seed:
            return UInt64(text) != nil ? .text(text) : nil
        case .text:
            let ok = !text.isEmpty && text.count <= 64 && text.allSatisfy { $0.isLetter || $0.isNumber || "-_.".contains($0) }
            return ok ? .text(text) : nil
        case .choice(let c):
            return c.contains(text) ? .text(text) : nil
        case .size(let m):
            guard let v = UnitParser.size(text), v > m, v < 1e18 else { return nil }
            return .number(v)
        case .rate:
            guard let v = UnitParser.rate(text), v > 0, v < 1e18 else { return nil }
            return .number(v)
        case .duration:
            guard let v = UnitParser.duration(text), v >= 0, v < 9.2e9 else { return nil }
            return .number(v)
        case .distribution(let u):
            let unit: (String) -> Double?
            if u == "seconds" {
                unit = UnitParser.duration
            } else if u == "bytes/s" {
                unit = UnitParser.rate
            } else {
                unit = { Double($0) }
            }
            guard let d = try UnitParser.distribution(text, unit: unit) else { return nil }
            return .distribution(d)
        case .sizeList:
            let list = items ?? Kind.listItems(text)
            guard let l = list, !l.isEmpty, l.allSatisfy({ (UnitParser.size($0) ?? 0) > 0 }) else { return nil }
            return .list(l)
        case .choiceList(let c):
            let list = items ?? Kind.listItems(text)
            guard let l = list, !l.isEmpty, l.allSatisfy(c.contains) else { return nil }
            return .list(l)
        case .or(let k, let words):
            if items == nil && words.contains(text) { return text == "none" ? Value.none : .text(text) }
            return try k.parse(text, items: items)
        }
    }

    /// `[a, b, c]` → items; `a` → [a].
    static func listItems(_ text: String) -> [String]? {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard t.hasPrefix("[") else { return t.isEmpty ? nil : [t] }
        guard t.hasSuffix("]") else { return nil }
        let inner = t.dropFirst().dropLast()
        if inner.trimmingCharacters(in: .whitespaces).isEmpty { return [] }
        return inner.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    }
}

/// One key of the scenario schema.
struct Key: Sendable {
    let path: String
    let kind: Kind
    /// The default as written in the file (for the drain action).
    let defaultText: String
    let doc: String
    let apply: @Sendable (inout Scenario, Value) throws -> Void
}

extension Value {
    var int: Int { if case .int(let v) = self { return v }; return 0 }
    var number: Double { if case .number(let v) = self { return v }; if case .int(let v) = self { return Double(v) }; return 0 }
    var bool: Bool { if case .bool(let v) = self { return v }; return false }
    var text: String { if case .text(let v) = self { return v }; return "" }
    var list: [String] { if case .list(let v) = self { return v }; return [] }
    var isKeyword: Bool { if case .text = self { return true }; if case .none = self { return true }; return false }
}
