import Foundation
import MigsimConfig

/// What a measured point measured, in SI units (seconds, bytes, a count).
public enum Metric: Hashable, Sendable, CustomStringConvertible {
    case downtime
    case totalTime
    case rounds
    case bytesSent
    /// Bytes sent in pre-copy round `k` (1-based).
    case roundBytes(Int)
    /// From the first request to the end of the last migration (a drain of
    /// several VMs; with one VM, its total time plus any queueing).
    case makespan

    /// `downtime_s`, `total_time_s`, `rounds`, `bytes_sent` or `round_bytes:K`.
    public init?(_ text: String) {
        switch text {
        case "downtime_s": self = .downtime
        case "total_time_s": self = .totalTime
        case "rounds": self = .rounds
        case "bytes_sent": self = .bytesSent
        case "makespan_s": self = .makespan
        default:
            guard text.hasPrefix("round_bytes:"), let k = Int(text.dropFirst("round_bytes:".count)), (1...10_000).contains(k) else {
                return nil
            }
            self = .roundBytes(k)
        }
    }

    public var description: String {
        switch self {
        case .downtime: "downtime_s"
        case .totalTime: "total_time_s"
        case .rounds: "rounds"
        case .bytesSent: "bytes_sent"
        case .roundBytes(let k): "round_bytes:\(k)"
        case .makespan: "makespan_s"
        }
    }

    static let accepted = "downtime_s, total_time_s, makespan_s, rounds, bytes_sent or round_bytes:K (K = 1 to 10000)"

    /// The units a value of this metric may be printed in, with their factor to SI.
    var units: [(name: String, factor: Double)] {
        switch self {
        case .downtime, .totalTime, .makespan: [("s", 1), ("ms", 1e-3), ("min", 60)]
        case .rounds: [("rounds", 1)]
        case .bytesSent, .roundBytes: [("B", 1), ("KB", 1e3), ("MB", 1e6), ("GB", 1e9), ("KiB", 1024), ("MiB", 1_048_576),
                                       ("GiB", 1_073_741_824), ("pages", 4096)]
        }
    }
}

/// How a measured point is used: fitted to, chosen by hand to match, or predicted.
public enum PointUse: String, Sendable, CaseIterable {
    /// In the fit subset: the data set's free parameters are fitted to it.
    case fit
    /// Calibrated by hand: the data set's settings were chosen to match it.
    case hand
    /// Predicted with the parameters frozen beforehand.
    case predict

    public var role: CaseRole { self == .predict ? .prediction : .calibration }
}

/// A workload parameter fitted on a data set's fit subset: a scenario key and
/// its search interval, linear or logarithmic.
///
/// Written `key=lin(LOW,HIGH)UNIT` or `key=log(LOW,HIGH)UNIT`, e.g.
/// `vms.dirty_rate=log(100,1000000)` or `migration.setup_delay=lin(0,5)s`;
/// `POINT:key=...` applies it to the runs of one measured point only (a
/// workload parameter of one of several workloads that share fixed costs).
public struct FreeParameter: Sendable, Equatable {
    /// The measured point it applies to; `nil`: every point.
    public let point: String?
    public let key: String
    public let low: Double
    public let high: Double
    public let logarithmic: Bool
    public let unit: String

    /// The parameter at `u` in [0, 1] of its interval.
    public func value(at u: Double) -> Double {
        let t = min(max(u, 0), 1)
        return logarithmic ? exp(log(low) + t * (log(high) - log(low))) : low + t * (high - low)
    }

    /// The `--set` assignment for `value`, printed exactly.
    public func assignment(_ value: Double) -> String { "\(key)=" + String(format: "%.17g", value) + unit }

    static let accepted = "[POINT:]key=lin(LOW,HIGH)UNIT or [POINT:]key=log(LOW,HIGH)UNIT with LOW < HIGH (LOW > 0 for log), joined by ';'"

    /// Whether it applies to the runs of `point`.
    public func applies(to point: String) -> Bool { self.point.map { $0 == point } ?? true }

    static func parse(_ text: String) -> FreeParameter? {
        var parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty else { return nil }
        var point: String? = nil
        if let colon = parts[0].firstIndex(of: ":") {
            point = String(parts[0][..<colon])
            parts[0] = String(parts[0][parts[0].index(after: colon)...])
            guard !point!.isEmpty, !parts[0].isEmpty else { return nil }
        }
        let body = parts[1]
        let logarithmic: Bool
        if body.hasPrefix("log(") { logarithmic = true } else if body.hasPrefix("lin(") { logarithmic = false } else { return nil }
        guard let close = body.firstIndex(of: ")") else { return nil }
        let inside = body[body.index(body.startIndex, offsetBy: 4)..<close].split(separator: ",")
        guard inside.count == 2, let lo = Double(inside[0].trimmingCharacters(in: .whitespaces)),
              let hi = Double(inside[1].trimmingCharacters(in: .whitespaces)), lo.isFinite, hi.isFinite, lo < hi,
              !logarithmic || lo > 0 else { return nil }
        return FreeParameter(point: point, key: parts[0], low: lo, high: hi, logarithmic: logarithmic, unit: String(body[body.index(after: close)...]))
    }
}

/// A set of real measurements that share a workload: the settings every point
/// has, the parameters to fit, and how many seeds to replicate over.
public struct Dataset: Sendable {
    public let name: String
    /// `precopy` when the closed-form pre-copy predictors apply, else `other`.
    public let model: String
    public let settings: [String]
    public let free: [FreeParameter]
    public let seeds: Int
    /// A relative tolerance stated beside its source; `nil`: report only.
    public let tolerance: Double?
    public let source: String
    public let note: String
    public let line: Int
}

/// One published measurement of a real migration, with the value as printed.
public struct MeasuredPoint: Sendable {
    public let dataset: String
    public let point: String
    public let metric: Metric
    /// In SI units.
    public let value: Double
    /// The value and unit as the source prints them.
    public let printed: String
    public let approximate: Bool
    /// Settings of this point on top of its data set's (memory, link ...).
    public let settings: [String]
    public let use: PointUse
    public let source: String
    public let line: Int
}

/// The measured data sets in `data/validation/`: `datasets.csv` and `measured.csv`.
public struct MeasuredData: Sendable {
    public let datasets: [Dataset]
    public let points: [MeasuredPoint]

    public static func load(_ directory: URL) throws -> MeasuredData {
        let dsPath = directory.appendingPathComponent("datasets.csv").path
        let ds = try CSVRecords.load(path: dsPath, accepted: "a CSV file of data sets", maximumRows: 10_000)
        let ptPath = directory.appendingPathComponent("measured.csv").path
        let pt = try CSVRecords.load(path: ptPath, accepted: "a CSV file of measured points", maximumRows: 100_000)
        return try parse(datasets: ds, source: dsPath, points: pt, pointSource: ptPath)
    }

    static func column(_ records: CSVRecords, _ name: String, source: String) throws -> Int {
        guard let i = records.header.firstIndex(of: name) else {
            throw ConfigError(source: source, key: "(header)", problem: "no column '\(name)'", accepted: "the columns in data/README.md",
                              line: records.headerLine)
        }
        return i
    }

    /// Checks that `settings` are valid `--set` assignments together (each
    /// free parameter at both ends of its interval, when given), so a typo
    /// fails at load naming the file, line and column, not deep in a run.
    static func check(_ settings: [String], free: [FreeParameter] = [], source: String, line: Int, column: String) throws {
        let ends = free.isEmpty ? [[String]()] : [free.map { $0.assignment($0.low) }, free.map { $0.assignment($0.high) }]
        for extra in ends {
            var c = ScenarioConfig()
            do {
                for s in settings + extra { try c.set(s) }
                _ = try c.scenario()
            } catch {
                throw ConfigError(source: source, key: column, problem: "\(error)".replacingOccurrences(of: "\n", with: " "),
                                  accepted: "scenario key assignments key=value joined by ';'", line: line)
            }
        }
    }

    static func settingsList(_ text: String) -> [String] {
        text.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    static func parse(datasets ds: CSVRecords, source: String, points pt: CSVRecords, pointSource: String) throws -> MeasuredData {
        let c = { (n: String) in try column(ds, n, source: source) }
        let (cName, cModel, cSettings, cFree, cSeeds, cTol, cSource, cNote) =
            (try c("dataset"), try c("model"), try c("settings"), try c("free"), try c("seeds"), try c("tolerance"), try c("source"),
             try c("note"))
        var datasets: [Dataset] = []
        for r in ds.records {
            let f = r.fields
            func fail(_ key: String, _ problem: String, _ accepted: String) -> ConfigError {
                ConfigError(source: source, key: key, problem: problem, accepted: accepted, line: r.line)
            }
            guard !f[cName].isEmpty, !datasets.contains(where: { $0.name == f[cName] }) else {
                throw fail("dataset", "'\(f[cName])' is empty or named twice", "a unique name")
            }
            guard ["precopy", "other"].contains(f[cModel]) else { throw fail("model", "'\(f[cModel])'", "precopy or other") }
            var free: [FreeParameter] = []
            for item in settingsList(f[cFree]) {
                guard let p = FreeParameter.parse(item) else { throw fail("free", "'\(item)'", FreeParameter.accepted) }
                free.append(p)
            }
            guard let seeds = Int(f[cSeeds]), (1...1000).contains(seeds) else { throw fail("seeds", "'\(f[cSeeds])'", "1 to 1000") }
            var tolerance: Double? = nil
            if !f[cTol].isEmpty {
                guard let t = Double(f[cTol]), t > 0, t.isFinite else { throw fail("tolerance", "'\(f[cTol])'", "empty, or a positive relative error") }
                tolerance = t
            }
            guard !f[cSource].isEmpty else { throw fail("source", "empty", "where the measurements were published") }
            guard Set(free.map { ($0.point ?? "") + ":" + $0.key }).count == free.count else {
                throw fail("free", "a parameter given twice", "each [POINT:]key once")
            }
            try check(settingsList(f[cSettings]), free: free.filter { $0.point == nil }, source: source, line: r.line,
                      column: free.isEmpty ? "settings" : "settings, free")
            datasets.append(Dataset(name: f[cName], model: f[cModel], settings: settingsList(f[cSettings]), free: free, seeds: seeds,
                                    tolerance: tolerance, source: f[cSource], note: f[cNote], line: r.line))
        }
        let p = { (n: String) in try column(pt, n, source: pointSource) }
        let (pSet, pPoint, pMetric, pValue, pUnit, pApprox, pSettings, pUse, pSource) =
            (try p("dataset"), try p("point"), try p("metric"), try p("value"), try p("unit"), try p("approximate"), try p("settings"),
             try p("use"), try p("source"))
        var points: [MeasuredPoint] = []
        for r in pt.records {
            let f = r.fields
            func fail(_ key: String, _ problem: String, _ accepted: String) -> ConfigError {
                ConfigError(source: pointSource, key: key, problem: problem, accepted: accepted, line: r.line)
            }
            guard let set = datasets.first(where: { $0.name == f[pSet] }) else {
                throw fail("dataset", "'\(f[pSet])' is not in datasets.csv", "a data set named in datasets.csv")
            }
            guard let metric = Metric(f[pMetric]) else { throw fail("metric", "'\(f[pMetric])'", Metric.accepted) }
            guard let v = Double(f[pValue]), v.isFinite, v > 0 else { throw fail("value", "'\(f[pValue])'", "a positive number as printed") }
            guard let unit = metric.units.first(where: { $0.name == f[pUnit] }) else {
                throw fail("unit", "'\(f[pUnit])'", metric.units.map(\.name).joined(separator: ", "))
            }
            guard ["yes", "no"].contains(f[pApprox]) else { throw fail("approximate", "'\(f[pApprox])'", "yes or no") }
            guard let use = PointUse(rawValue: f[pUse]) else { throw fail("use", "'\(f[pUse])'", "fit, hand or predict") }
            guard use != .fit || !set.free.isEmpty else {
                throw fail("use", "fit, but data set \(set.name) has no free parameters", "hand or predict, or free parameters in datasets.csv")
            }
            guard !f[pSource].isEmpty else { throw fail("source", "empty", "the paper and table or figure this value is printed in") }
            guard !f[pPoint].isEmpty else { throw fail("point", "empty", "a name for the measured run") }
            try check(set.settings + settingsList(f[pSettings]), free: set.free.filter { $0.applies(to: f[pPoint]) },
                      source: pointSource, line: r.line, column: "settings")
            points.append(MeasuredPoint(dataset: set.name, point: f[pPoint], metric: metric, value: v * unit.factor,
                                        printed: "\(f[pValue]) \(unit.name)", approximate: f[pApprox] == "yes",
                                        settings: settingsList(f[pSettings]), use: use, source: f[pSource], line: r.line))
        }
        for set in datasets {
            for free in set.free {
                guard let point = free.point else { continue }
                guard points.contains(where: { $0.dataset == set.name && $0.point == point }) else {
                    throw ConfigError(source: source, key: "free", problem: "'\(point):\(free.key)' names no measured point of \(set.name)",
                                      accepted: "a point name of this data set in measured.csv", line: set.line)
                }
            }
        }
        for set in datasets where !set.free.isEmpty && !points.contains(where: { $0.dataset == set.name && $0.use == .fit }) {
            throw ConfigError(source: source, key: "free", problem: "data set \(set.name) has free parameters but no point to fit them on",
                              accepted: "at least one point with use = fit in measured.csv", line: set.line)
        }
        return MeasuredData(datasets: datasets, points: points)
    }
}
