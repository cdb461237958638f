import Foundation
import MigsimModel

/// Reads dirty-rate traces (`vms.dirty_trace`): CSV files of per-interval
/// rates, replayed as a VM's write rate (`DirtyTrace`, MigsimModel).
///
/// ```
/// # comment lines and blank lines are skipped
/// time_s,dirty_pages_per_s
/// 10,1200
/// 20,3400.5
/// ```
///
/// The header names a `time_s` column (end of each interval, seconds,
/// strictly increasing from above 0) and exactly one measurement column,
/// which says what the trace holds (`DirtyTrace.Measure`, MigsimModel):
/// - `dirty_pages_per_s`: page writes per second, saturated by the VM's
///   popularity like any write rate;
/// - `distinct_pages`: distinct pages dirtied within the row's `window_s`
///   seconds (a column the trace must then have);
/// - `dirty_mib_per_s`: QEMU `calc-dirty-rate`'s figure, the distinct pages
///   dirtied during `calc-time` (the row's `window_s`) in MiB per second of
///   it, so `dirty_mib_per_s * window_s` MiB of distinct pages (converted
///   with the scenario's page size).
/// Distinct measurements are not saturated again. Other columns are ignored.
/// Every error names the file, the line and the column, and what is accepted.
public enum TraceFile {
    /// The rate columns a trace may carry, with their factor to page writes/s.
    static let rateColumns = ["dirty_pages_per_s", "dirty_mib_per_s", "distinct_pages"]
    /// Shortest interval: the simulator's clock resolution (1 ns); shorter ones never advance the clock.
    public static let minimumInterval = 1e-9
    /// Largest rate in page writes per second (`DistributionSyntax.maximumMagnitude`, as for `vms.dirty_rate`).
    public static let maximumRate = DistributionSyntax.maximumMagnitude
    /// Files larger than this are refused before they are read.
    public static let maximumBytes = 64 * 1024 * 1024

    static let accepted = "a CSV file with a header naming time_s and one of dirty_pages_per_s, dirty_mib_per_s or distinct_pages "
        + "(the last two with window_s), "
        + "then one row per interval (at most \(DirtyTrace.maximumIntervals))"

    /// Reads and checks the trace at `path`.
    public static func load(path: String, pageSize: Double) throws -> DirtyTrace {
        let text = try TextFile.read(path: path, maximumBytes: maximumBytes, what: "a trace", accepted: accepted)
        return try parse(text, source: path, pageSize: pageSize)
    }

    /// Parses trace text; `source` names it in errors.
    public static func parse(_ text: String, source: String, pageSize: Double) throws -> DirtyTrace {
        func fail(_ line: Int?, _ key: String, _ problem: String, _ accepted: String) -> ConfigError {
            ConfigError(source: source, key: key, problem: problem, accepted: accepted, line: line)
        }
        var header: [String]?
        var timeColumn = 0, rateColumn = 0, rateScale = 1.0, rateName = ""
        var windowColumn: Int?
        var windows: [Double] = []
        var ends: [Double] = [], rates: [Double] = []
        /// The line of each interval, for errors the model finds.
        var rowLines: [Int] = []
        var lineNumber = 0
        // "\r\n" is one Character in Swift, so split on any newline character.
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            if let bad = line.unicodeScalars.first(where: { $0.value < 0x20 && $0 != "\t" || $0.value == 0x7f }) {
                throw fail(lineNumber, "(row)", "a control character (U+\(String(format: "%04X", bad.value)))",
                           "printable text: numbers separated by commas")
            }
            var fields: [String] = []
            for raw in line.split(separator: ",", omittingEmptySubsequences: false) {
                // A field may be quoted as a whole ("10"); a lone or inner quote is an error, not ignored.
                var f = raw.trimmingCharacters(in: .whitespaces)
                if f.count >= 2 && f.hasPrefix("\"") && f.hasSuffix("\"") { f = String(f.dropFirst().dropLast()) }
                guard !f.contains("\"") else {
                    throw fail(lineNumber, "(row)", "the field '\(raw.prefix(40))' has an unbalanced or inner quote",
                               "plain or wholly quoted fields without commas or quotes inside")
                }
                fields.append(f)
            }
            guard let names = header else {
                guard let t = fields.firstIndex(of: "time_s") else {
                    throw fail(lineNumber, "time_s", "no time_s column in the header '\(trimmed.prefix(80))'", accepted)
                }
                let found = rateColumns.filter(fields.contains)
                guard found.count == 1, let r = fields.firstIndex(of: found[0]) else {
                    throw fail(lineNumber, rateColumns.joined(separator: " or "),
                               found.isEmpty ? "no rate column in the header '\(trimmed.prefix(80))'" : "both rate columns in the header",
                               accepted)
                }
                guard Set(fields).count == fields.count else {
                    throw fail(lineNumber, "(header)", "a column name appears twice", "each column name once")
                }
                if found[0] != "dirty_pages_per_s" {
                    guard let w = fields.firstIndex(of: "window_s") else {
                        throw fail(lineNumber, "window_s", "\(found[0]) without a window_s column",
                                   "a window_s column (seconds each measurement covers, e.g. QEMU's calc-time) with \(found[0])")
                    }
                    windowColumn = w
                }
                header = fields
                timeColumn = t
                rateColumn = r
                rateName = found[0]
                rateScale = rateName == "dirty_mib_per_s" ? Units.MiB / pageSize : 1
                continue
            }
            guard fields.count == names.count else {
                throw fail(lineNumber, "(row)", "\(fields.count) fields", "\(names.count) fields, as in the header")
            }
            guard ends.count < DirtyTrace.maximumIntervals else {
                throw fail(lineNumber, "(row)", "more than \(DirtyTrace.maximumIntervals) intervals", accepted)
            }
            let timeText = fields[timeColumn], rateText = fields[rateColumn]
            guard let t = Double(timeText), t.isFinite else {
                throw fail(lineNumber, "time_s", "'\(timeText.prefix(40))' is not a finite number", "seconds, e.g. 10 or 12.5")
            }
            let previous = ends.last ?? 0
            guard t > previous else {
                throw fail(lineNumber, "time_s", ends.isEmpty ? "the first interval ends at \(timeText)" : "\(timeText) is not after the previous time \(Quantity.format(previous))",
                           ends.isEmpty ? "a time > 0 (the end of the first interval, which starts at 0)"
                                        : "times that increase from row to row (> \(Quantity.format(previous)))")
            }
            guard t - previous >= minimumInterval else {
                throw fail(lineNumber, "time_s", "the interval from \(Quantity.format(previous)) to \(timeText.prefix(40)) is shorter than 1 ns",
                           "intervals of at least 1 ns (the simulator's clock resolution)")
            }
            guard let r = Double(rateText), r.isFinite, r >= 0, r * rateScale <= maximumRate else {
                throw fail(lineNumber, rateName, "'\(rateText.prefix(40))' is not a finite number in range",
                           "a rate >= 0 and at most \(String(format: "%.0e", maximumRate)) page writes/s")
            }
            var value = r * rateScale
            if let w = windowColumn {
                let wText = fields[w]
                guard let window = Double(wText), window.isFinite, window > 0 else {
                    throw fail(lineNumber, "window_s", "'\(wText.prefix(40))' is not a finite number > 0", "a window > 0 s")
                }
                windows.append(window)
                // MiB per second of the window, times the window: the distinct pages.
                if rateName == "dirty_mib_per_s" { value *= window }
            }
            ends.append(t)
            rates.append(value)
            rowLines.append(lineNumber)
        }
        guard header != nil else { throw fail(nil, "(header)", "the file is empty", accepted) }
        guard !ends.isEmpty else { throw fail(nil, "(row)", "a header and no rows", accepted) }
        do {
            return try DirtyTrace(name: source, ends: ends, rates: rates, measure: windowColumn == nil ? .writes : .distinct(windows: windows))
        } catch let e as ModelError {
            // The model's field named as the trace's column, at the interval's line.
            let column: String
            switch e.field {
            case .traceTime: column = "time_s"
            case .traceRate: column = rateName
            case .traceWindow: column = "window_s"
            default: column = "(row)"
            }
            let line = e.index.flatMap { rowLines.indices.contains($0) ? rowLines[$0] : nil }
            let problem = e.field == .traceRate && rateScale != 1 ? "\(e.value) distinct pages (converted from MiB/s) is invalid" : "'\(e.value)' is invalid"
            throw fail(line, column, problem, e.accepted)
        }
    }
}
