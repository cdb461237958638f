import Foundation
import MigsimModel

/// The hot set as written in `vms.hot_set`: a share of memory or a size.
enum HotSetValue: Sendable, Equatable {
    case share(Double)
    case bytes(Double)
}

/// Value types of the workload keys (`vms.hot_set`, `vms.popularity`, `vms.trace_offset`).
extension V {
    /// A share in (0, 1] of memory, or a size with a unit (`256MiB`).
    static let hotSet: ValueType<HotSetValue> = {
        let share = number(.share), bytes = size(.positive)
        return ValueType(kind: "share or size", accepted: "a share of memory in (0, 1], or a size > 0 with a unit, e.g. 256MiB") { text in
            let t = text.trimmingCharacters(in: .whitespaces)
            if Double(t) != nil {
                let (v, c) = try share.parse(t)
                return (.share(v), c)
            }
            let (v, c) = try bytes.parse(t)
            return (.bytes(v), c)
        }
    }()

    /// `two-level` (hot set and rest), `uniform`, `zipf(s)` or `levels(p:w, p:w, ...)`
    /// (shares of the pages in use and of the writes; `;` may separate the levels too).
    static let popularity: ValueType<PagePopularity> = {
        let accepted = "two-level (vms.hot_set and vms.hot_write_share), uniform, zipf(s) with 0 <= s <= 8, "
            + "or levels(p1:w1, p2:w2, ...): shares of the pages in use and of the writes, each summing to 1"
        return ValueType(kind: "popularity", accepted: accepted) { text in
            let t = text.trimmingCharacters(in: .whitespaces)
            switch t {
            case "two-level": return (.twoLevel, t)
            case "uniform": return (.table([PopularityRow(pages: 1, writes: 1)]), t)
            default: break
            }
            func inner(_ prefix: String) -> String? {
                guard t.hasPrefix(prefix + "("), t.hasSuffix(")") else { return nil }
                return String(t.dropFirst(prefix.count + 1).dropLast()).trimmingCharacters(in: .whitespaces)
            }
            if let body = inner("zipf") {
                guard let s = Double(body), s.isFinite, s >= 0, s <= 8 else { throw Problem("'\(body)' is not a Zipf exponent in [0, 8]") }
                return (.zipf(exponent: s), "zipf(\(Quantity.format(s)))")
            }
            if let body = inner("levels") {
                let parts = body.split(whereSeparator: { $0 == "," || $0 == ";" }).map { $0.trimmingCharacters(in: .whitespaces) }
                guard !parts.isEmpty, parts.count <= 1000 else { throw Problem("levels() needs 1 to 1000 levels") }
                var rows: [PopularityRow] = []
                for (i, p) in parts.enumerated() {
                    let pw = p.split(separator: ":").map { Double($0.trimmingCharacters(in: .whitespaces)) }
                    guard pw.count == 2, let pages = pw[0], let writes = pw[1], pages.isFinite, writes.isFinite,
                          pages > 0, pages <= 1, writes >= 0, writes <= 1 else {
                        throw Problem("level \(i + 1) '\(p.prefix(40))' is not share_of_pages:share_of_writes with shares in (0, 1] and [0, 1]")
                    }
                    rows.append(PopularityRow(pages: pages, writes: writes))
                }
                let sp = rows.reduce(0) { $0 + $1.pages }, sw = rows.reduce(0) { $0 + $1.writes }
                guard abs(sp - 1) <= 1e-6 else { throw Problem("the shares of pages sum to \(Quantity.format(sp)), not 1") }
                guard abs(sw - 1) <= 1e-6 else { throw Problem("the shares of writes sum to \(Quantity.format(sw)), not 1") }
                let canonical = rows.map { "\(Quantity.format($0.pages)):\(Quantity.format($0.writes))" }.joined(separator: "; ")
                return (.table(rows), "levels(\(canonical))")
            }
            throw Problem("'\(t.prefix(80))' is not a popularity")
        }
    }()

    /// `random` (each VM at its own random point of its cycle) or seconds >= 0 into the cycle for every VM.
    static let cycleOffset: ValueType<CycleOffset> = {
        let seconds = duration(.nonNegative)
        return ValueType(kind: "offset", accepted: "random, or a duration >= 0 (0: every VM starts its trace or phases at their start)") { text in
            let t = text.trimmingCharacters(in: .whitespaces)
            if t == "random" { return (.random, t) }
            let (v, c) = try seconds.parse(t)
            return (.fixed(v), c)
        }
    }()
}

extension CycleOffset {
    /// The schema's text of the offset.
    var text: String {
        switch self {
        case .random: return "random"
        case .fixed(let s): return Quantity.format(s)
        }
    }
}
