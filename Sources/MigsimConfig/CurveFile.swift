import Foundation
import MigsimModel

/// Reads working-set curves (`vms.working_set_curve`): CSV files of the
/// distinct pages a VM dirties in windows of several lengths (`WorkingSetCurve`, MigsimModel).
///
/// ```
/// # comment lines and blank lines are skipped
/// interval_s,distinct_pages
/// 1,12000
/// 10,52000
/// 60,90000
/// ```
///
/// The header names an `interval_s` column (window length in seconds,
/// strictly increasing from above 0) and exactly one count column:
/// `distinct_pages` or `distinct_mib` (MiB of distinct pages, converted with
/// the scenario's page size). Counts are finite, >= 0 and never decrease.
/// Other columns are ignored. Every error names the file, the line and the
/// column, and what is accepted.
public enum CurveFile {
    static let countColumns = ["distinct_pages", "distinct_mib"]
    /// Files larger than this are refused before they are read.
    public static let maximumBytes = 16 * 1024 * 1024

    static let accepted = "a CSV file with a header naming interval_s and one of distinct_pages or distinct_mib, "
        + "then one row per window length (at most \(WorkingSetCurve.maximumPoints))"

    /// Reads and checks the curve at `path`.
    public static func load(path: String, pageSize: Double) throws -> WorkingSetCurve {
        let text = try TextFile.read(path: path, maximumBytes: maximumBytes, what: "a curve", accepted: accepted)
        return try parse(text, source: path, pageSize: pageSize)
    }

    /// Parses curve text; `source` names it in errors.
    public static func parse(_ text: String, source: String, pageSize: Double) throws -> WorkingSetCurve {
        func fail(_ line: Int?, _ key: String, _ problem: String, _ accepted: String) -> ConfigError {
            ConfigError(source: source, key: key, problem: problem, accepted: accepted, line: line)
        }
        var header: [String]?
        var intervalColumn = 0, countColumn = 0, countName = "", scale = 1.0
        var intervals: [Double] = [], counts: [Double] = []
        var lineNumber = 0
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: CharacterSet.whitespaces.union(CharacterSet(charactersIn: "\"")))
            }
            guard let names = header else {
                guard let t = fields.firstIndex(of: "interval_s") else {
                    throw fail(lineNumber, "interval_s", "no interval_s column in the header '\(trimmed.prefix(80))'", accepted)
                }
                let found = countColumns.filter(fields.contains)
                guard found.count == 1, let c = fields.firstIndex(of: found[0]) else {
                    throw fail(lineNumber, countColumns.joined(separator: " or "),
                               found.isEmpty ? "no count column in the header '\(trimmed.prefix(80))'" : "both count columns in the header",
                               accepted)
                }
                guard Set(fields).count == fields.count else {
                    throw fail(lineNumber, "(header)", "a column name appears twice", "each column name once")
                }
                header = fields
                intervalColumn = t
                countColumn = c
                countName = found[0]
                scale = countName == "distinct_mib" ? Units.MiB / pageSize : 1
                continue
            }
            guard fields.count == names.count else {
                throw fail(lineNumber, "(row)", "\(fields.count) fields", "\(names.count) fields, as in the header")
            }
            guard intervals.count < WorkingSetCurve.maximumPoints else {
                throw fail(lineNumber, "(row)", "more than \(WorkingSetCurve.maximumPoints) points", accepted)
            }
            let tText = fields[intervalColumn], cText = fields[countColumn]
            guard let t = Double(tText), t.isFinite else {
                throw fail(lineNumber, "interval_s", "'\(tText.prefix(40))' is not a finite number", "seconds, e.g. 1 or 2.5")
            }
            let previous = intervals.last ?? 0
            guard t > previous else {
                throw fail(lineNumber, "interval_s", intervals.isEmpty ? "the first window is \(tText) s" : "\(tText) is not after the previous window \(Quantity.format(previous))",
                           intervals.isEmpty ? "a window > 0 s" : "windows that increase from row to row (> \(Quantity.format(previous)))")
            }
            guard let c = Double(cText), c.isFinite, c >= 0 else {
                throw fail(lineNumber, countName, "'\(cText.prefix(40))' is not a finite number >= 0", "a count >= 0")
            }
            let pages = c * scale
            guard pages.isFinite else {
                throw fail(lineNumber, countName, "\(cText) MiB is \(pages) pages", "a count whose pages are finite")
            }
            let last = counts.last ?? 0
            guard pages >= last else {
                throw fail(lineNumber, countName, "\(cText) is below the previous row's count",
                           "counts that never decrease (a longer window dirties at least as many distinct pages)")
            }
            intervals.append(t)
            counts.append(pages)
        }
        guard header != nil else { throw fail(nil, "(header)", "the file is empty", accepted) }
        guard !intervals.isEmpty else { throw fail(nil, "(row)", "a header and no rows", accepted) }
        do {
            return try WorkingSetCurve(name: source, intervals: intervals, distinct: counts)
        } catch let e as ModelError {
            throw fail(nil, "(row)", "'\(e.value)' is invalid", e.accepted)
        }
    }
}
