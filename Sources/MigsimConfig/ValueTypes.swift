import Foundation
import MigsimModel
import MigsimRandom

/// How one key's text becomes a typed value: its kind name, accepted text and
/// parser. Parsing also yields the canonical text (base units, fixed spelling).
struct ValueType<T>: Sendable {
    /// Short kind name for documentation: "int", "size", "list of rate", ...
    let kind: String
    let accepted: String
    /// The value and its canonical text; throws ``Problem``.
    let parse: @Sendable (String) throws -> (T, String)
}

/// The value types of the schema.
enum V {
    /// An integer in `r`.
    static func int(_ r: ClosedRange<Int>) -> ValueType<Int> {
        ValueType(kind: "int", accepted: "an integer in \(r.lowerBound)...\(r.upperBound)") { text in
            let t = text.trimmingCharacters(in: .whitespaces)
            guard let v = Int(t) else {
                let body = t.hasPrefix("-") || t.hasPrefix("+") ? t.dropFirst() : Substring(t)
                let digits = !body.isEmpty && body.allSatisfy { $0.isASCII && $0.isNumber }
                throw Problem(digits ? "'\(t)' is out of range" : "'\(t)' is not an integer")
            }
            guard r.contains(v) else { throw Problem("\(v) is out of range") }
            return (v, String(v))
        }
    }

    /// A 64-bit unsigned seed.
    static let seed = ValueType<UInt64>(kind: "int", accepted: "an integer in 0...\(UInt64.max)") { text in
        let t = text.trimmingCharacters(in: .whitespaces)
        guard let v = UInt64(t) else {
            throw Problem(Int(t).map { _ in "'\(t)' is negative" } ?? "'\(t)' is not an integer in range")
        }
        return (v, String(v))
    }

    /// A plain finite number within `b`.
    static func number(_ b: Bounds) -> ValueType<Double> {
        quantity(.plain, b)
    }

    /// A finite quantity within `b`, in `q`'s base unit; `maximumNote` extends the accepted text.
    static func quantity(_ q: Quantity, _ b: Bounds, maximumNote: String? = nil) -> ValueType<Double> {
        let range = b.text(suffix: q.baseSuffix)
        var accepted = "a \(q.name)" + (range.isEmpty ? "" : " \(range)")
        if !q.unitText.isEmpty { accepted += ": a number with \(q.unitText)" }
        if let m = maximumNote { accepted += ", \(m)" }
        return ValueType(kind: q.name, accepted: accepted) { text in
            let v = try q.parse(text)
            guard b.contains(v) else { throw Problem("'\(text.trimmingCharacters(in: .whitespaces))' is out of range") }
            return (v, Quantity.format(v))
        }
    }

    /// A size in bytes within `b`.
    static func size(_ b: Bounds) -> ValueType<Double> { quantity(.size, b) }
    /// A rate in bytes per second within `b`.
    static func rate(_ b: Bounds) -> ValueType<Double> { quantity(.rate, b) }

    /// A duration in seconds within `b`, below 2^63 ns (the simulator's Int64 clock, about 292 years).
    static func duration(_ b: Bounds) -> ValueType<Double> {
        let inner = quantity(.duration, b, maximumNote: "below \(Quantity.format(maxSeconds))s (Int64 nanoseconds, about 292 years)")
        return ValueType(kind: inner.kind, accepted: inner.accepted) { text in
            let r = try inner.parse(text)
            guard r.0 < maxSeconds else { throw Problem("'\(text.trimmingCharacters(in: .whitespaces).prefix(80))' is too long for the simulator's clock") }
            guard r.0 == 0 || abs(r.0) >= 1e-9 else {
                throw Problem("'\(text.trimmingCharacters(in: .whitespaces).prefix(80))' is below the clock's resolution (1 ns)")
            }
            return r
        }
    }
    /// Whole seconds below 2^63 ns.
    static let maxSeconds = 9_223_372_036.0

    /// `true` or `false`.
    static let bool = ValueType<Bool>(kind: "bool", accepted: "true or false") { text in
        switch text.trimmingCharacters(in: .whitespaces) {
        case "true": return (true, "true")
        case "false": return (false, "false")
        case let t: throw Problem("'\(t)' is not true or false")
        }
    }

    /// A label: 1 to 64 letters, digits, `-`, `_` or `.`.
    static let label = ValueType<String>(kind: "text", accepted: "1 to 64 letters, digits, '-', '_' or '.'") { text in
        let t = text.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty, t.count <= 64, t.allSatisfy({ ($0.isLetter || $0.isNumber || "-_.".contains($0)) && !$0.isWhitespace }) else {
            throw Problem(t.isEmpty ? "the text is empty" : "'\(t.prefix(80))'\(t.count > 80 ? "..." : "") has characters other than letters, digits, '-', '_' and '.' or is too long")
        }
        return (t, t)
    }

    /// A file path: not empty, no comma (lists split on commas), no control characters.
    static let path = ValueType<String>(kind: "path", accepted: "a file path without commas") { text in
        let t = text.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty, t.count <= 4096, !t.contains(","), !t.unicodeScalars.contains(where: { $0.value < 0x20 }) else {
            throw Problem(t.isEmpty ? "the path is empty" : "'\(t.prefix(80))' is not a usable path")
        }
        return (t, t)
    }

    /// One of `names`, turned into a value by `make`.
    static func named<E>(_ names: [String], _ make: @escaping @Sendable (String) -> E?) -> ValueType<E> {
        ValueType(kind: "enum", accepted: "one of " + names.joined(separator: ", ")) { text in
            let t = text.trimmingCharacters(in: .whitespaces)
            guard names.contains(t), let v = make(t) else { throw Problem("'\(t)' is not a known value") }
            return (v, t)
        }
    }

    /// One of an enumeration's raw values.
    static func cases<E: RawRepresentable & Sendable>(_ all: [E]) -> ValueType<E> where E.RawValue == String {
        named(all.map(\.rawValue)) { E(rawValue: $0) }
    }

    /// `[a, b, c]`, or `a, b` without brackets (a single item is a list of one),
    /// with `minimum` to `maximum` items.
    /// With `distinct`, an item may appear only once.
    static func list<U>(_ item: ValueType<U>, minimum: Int, maximum: Int? = nil, distinct: Bool = false) -> ValueType<[U]> {
        let what = minimum > 0 ? "a list [a, b, ...] of one or more\(distinct ? " distinct" : "") values" : "a list [a, b, ...] (possibly empty [])"
        let accepted = "\(what)" + (maximum.map { " (at most \($0))" } ?? "") + ", each \(item.accepted)"
        return ValueType(kind: "list of \(item.kind)", accepted: accepted) { text in
            var t = Substring(text.trimmingCharacters(in: .whitespaces))
            if t.hasPrefix("[") {
                guard t.hasSuffix("]"), t.count >= 2 else { throw Problem("'\(t)' has no closing ']'") }
                t = t.dropFirst().dropLast()
            }
            let raw = t.trimmingCharacters(in: .whitespaces)
            let parts = raw.isEmpty ? [] : raw.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: CharacterSet.whitespaces.union(CharacterSet(charactersIn: "\"'")))
            }
            guard parts.count >= minimum else { throw Problem(parts.isEmpty ? "the list is empty" : "the list is too short") }
            if let m = maximum, parts.count > m { throw Problem("the list has \(parts.count) items, more than \(m)") }
            var values: [U] = [], texts: [String] = []
            for (n, p) in parts.enumerated() {
                do {
                    let (v, c) = try item.parse(p)
                    if distinct, let first = texts.firstIndex(of: c) {
                        throw Problem("'\(c.prefix(80))' appears twice (items \(first + 1) and \(n + 1))")
                    }
                    values.append(v)
                    texts.append(c)
                } catch let e as Problem {
                    throw Problem("item \(n + 1): \(e.message)", accepted: e.accepted)
                }
            }
            return (values, "[" + texts.joined(separator: ", ") + "]")
        }
    }

    /// The keyword `word` (giving `nil`) or a value of `inner`.
    static func or<U>(_ word: String, _ inner: ValueType<U>) -> ValueType<U?> {
        ValueType<U?>(kind: "\(inner.kind) or \(word)", accepted: "\(word), or \(inner.accepted)") { text in
            if text.trimmingCharacters(in: .whitespaces) == word { return (nil, word) }
            let (v, c) = try inner.parse(text)
            return (v, c)
        }
    }

    /// A power-of-two size in bytes.
    static let pageSize: ValueType<Int> = {
        let inner = size(.positive)
        return ValueType(kind: "size", accepted: "a power of two size: a number with \(Quantity.size.unitText), e.g. 4KiB") { text in
            let (v, _) = try inner.parse(text)
            guard v <= 0x1p40, let n = Int(exactly: v), n > 0, n & (n - 1) == 0 else {
                throw Problem("'\(text.trimmingCharacters(in: .whitespaces))' is not a power of two")
            }
            return (n, String(n))
        }
    }()

    /// The pre-copy rate limit; `nil` means the policy preset's own.
    static let rateLimit: ValueType<RateLimit?> = {
        let fixed = rate(.positive)
        let xen = PolicyPreset(name: "xen-2005")?.defaultRateLimit ?? .unlimited
        let accepted = "policy (the preset's own limit), none, a rate > 0: a number with \(Quantity.rate.unitText), "
            + "adaptive (Xen's 100 to 500 Mbit/s, step 50 Mbit/s) or adaptive(min, max, step) with rates 0 < min <= max, step >= 0"
        return ValueType(kind: "rate limit", accepted: accepted) { text in
            let t = text.trimmingCharacters(in: .whitespaces)
            switch t {
            case "policy": return (nil, "policy")
            case "none": return (.unlimited, "none")
            case "adaptive": return (xen, format(xen))
            default: break
            }
            if t.hasPrefix("adaptive") {
                let args = try Call.arguments(t, name: "adaptive", count: 3)
                let v = try args.map { try Quantity.rate.parse($0) }
                guard v[0] > 0, v[1] >= v[0], v[2] >= 0 else { throw Problem("'\(t)' needs 0 < min <= max and step >= 0") }
                let r = RateLimit.adaptive(min: v[0], max: v[1], step: v[2])
                return (r, format(r))
            }
            let (c, ct) = try fixed.parse(t)
            return (.fixed(c), ct)
        }
    }()

    /// Canonical text of a rate limit (rates in bytes/s).
    static func format(_ r: RateLimit) -> String {
        switch r {
        case .unlimited: return "none"
        case .fixed(let c): return Quantity.format(c)
        case let .adaptive(lo, hi, st): return "adaptive(\(Quantity.format(lo)), \(Quantity.format(hi)), \(Quantity.format(st)))"
        }
    }

    /// vCPU throttling; `nil` means the policy preset's own.
    /// `policy` (the preset's own), `none`, or `compress(ratio, speed, cores)`:
    /// wire bytes per raw byte in (0, 1], raw bytes one core compresses per
    /// second, and the cores the sender may use.
    static let compression: ValueType<Compression??> = {
        let speed = rate(.positive)
        let accepted = "policy (the preset's own), none, compress(ratio, speed, cores) with a ratio in (0, 1], "
            + "a speed per core > 0 (a number with \(Quantity.rate.unitText)) and cores > 0, e.g. compress(0.5, 200MB/s, 2), "
            + "or xbzrle(cache, delta) with a cache size of at least 4KiB and a delta share of a page in (0, 1], e.g. xbzrle(64MiB, 0.1)"
        return ValueType(kind: "compression", accepted: accepted) { text in
            let t = text.trimmingCharacters(in: .whitespaces)
            if t == "policy" { return (nil, "policy") }
            if t == "none" { return (.some(nil), "none") }
            if t.hasPrefix("xbzrle(") {
                let args = try Call.arguments(t, name: "xbzrle", count: 2)
                let (cache, cacheText) = try size(.positive).parse(args[0])
                guard let delta = Double(args[1]), delta.isFinite, delta > 0, delta <= 1, cache >= 4096 else {
                    throw Problem("'\(t)' needs a cache of at least 4KiB and a delta share in (0, 1]")
                }
                return (.some(try Compression.xbzrle(cacheBytes: cache, deltaShare: delta)), "xbzrle(\(cacheText), \(Quantity.format(delta)))")
            }
            guard t.hasPrefix("compress("), t.hasSuffix(")") else { throw Problem("'\(t)' is not policy, none or compress(ratio, speed, cores)") }
            let args = t.dropFirst("compress(".count).dropLast().split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard args.count == 3, let ratio = Double(args[0]), ratio.isFinite, ratio > 0, ratio <= 1,
                  let cores = Double(args[2]), cores.isFinite, cores > 0 else {
                throw Problem("'\(t)' needs a ratio in (0, 1], a speed and a number of cores > 0")
            }
            let (bps, speedText) = try speed.parse(args[1])
            let c = Compression(method: "compress", ratio: try .constant(ratio), bytesPerCoreSecond: bps, cores: cores)
            return (.some(c), "compress(\(Quantity.format(ratio)), \(speedText), \(Quantity.format(cores)))")
        }
    }()

    /// A built-in host power curve by name, or `linear(idle, peak)` in watts.
    static let powerModel = ValueType<PowerModel>(
        kind: "power model",
        accepted: "one of \(PowerModel.builtIn.map(\.name).joined(separator: ", ")), or linear(idle, peak) in watts with 0 <= idle <= peak"
    ) { text in
        let t = text.trimmingCharacters(in: .whitespaces)
        if let m = PowerModel.builtIn.first(where: { $0.name == t }) { return (m, t) }
        guard t.hasPrefix("linear("), t.hasSuffix(")") else { throw Problem("'\(t)' is not a power model") }
        let args = t.dropFirst("linear(".count).dropLast().split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard args.count == 2, let idle = args[0], let peak = args[1], idle.isFinite, peak.isFinite, idle >= 0, peak >= idle,
              peak < 1e9 else {
            throw Problem("'\(t)' needs 0 <= idle <= peak watts")
        }
        return (.linear(idle: idle, peak: peak), "linear(\(Quantity.format(idle)), \(Quantity.format(peak)))")
    }

    static let throttle = ValueType<ThrottleMode?>(
        kind: "throttle",
        accepted: "policy (the preset's own), none, auto-converge (QEMU's defaults), sdps (VMware, ratio 0.8) or sdps(ratio) with ratio in (0, 1]"
    ) { text in
        let t = text.trimmingCharacters(in: .whitespaces)
        switch t {
        case "policy": return (nil, "policy")
        case "none": return (ThrottleMode.none, "none")
        case "auto-converge": return (.qemuAutoConverge, "auto-converge")
        case "sdps":
            let s = PolicyPreset(name: "vmware")?.defaultThrottle ?? .sdps(targetRatio: 0.8)
            if case .sdps(let r) = s { return (s, "sdps(\(Quantity.format(r)))") }
            return (s, "sdps")
        default:
            guard t.hasPrefix("sdps") else { throw Problem("'\(t)' is not a throttle mode") }
            let args = try Call.arguments(t, name: "sdps", count: 1)
            let r = try Quantity.plain.parse(args[0])
            guard Bounds.share.contains(r) else { throw Problem("sdps ratio \(Quantity.format(r)) is not in (0, 1]") }
            return (.sdps(targetRatio: r), "sdps(\(Quantity.format(r)))")
        }
    }
}

/// `name(a, b, ...)` call syntax shared by distributions and rate limits.
enum Call {
    /// The name before `(`, or `nil` when `text` is not a call.
    static func name(_ text: String) -> String? {
        guard let open = text.firstIndex(of: "(") else { return nil }
        return text[..<open].trimmingCharacters(in: .whitespaces)
    }

    /// The arguments of `name(...)`, trimmed; `count` of them unless `nil`.
    static func arguments(_ text: String, name: String, count: Int?) throws -> [String] {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard let open = t.firstIndex(of: "("), t.hasSuffix(")"),
              t.filter({ $0 == "(" }).count == 1, t.filter({ $0 == ")" }).count == 1 else {
            let hint = t.contains("(") && !t.contains(")") ? " (no ')'; inside YAML {...} or [...], quote values with commas)" : ""
            throw Problem("'\(t)' is not of the form \(name) with balanced parentheses\(hint)")
        }
        let inner = t[t.index(after: open)..<t.index(before: t.endIndex)]
        let args = inner.trimmingCharacters(in: .whitespaces).isEmpty ? [] :
            inner.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        if let n = count, args.count != n {
            throw Problem("\(name) takes \(n) argument\(n == 1 ? "" : "s"), got \(args.count)")
        }
        return args
    }
}
