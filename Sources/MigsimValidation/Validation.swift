import Foundation
import MigsimConfig
import MigsimModel

/// One checked figure: reference, simulated value, relative error, tolerance.
public struct ValidationResult: Sendable {
    public let group: String
    public let name: String
    public let metric: String
    public let reference: Double
    public let simulated: Double
    public let tolerance: Double
    public let note: String
    /// Pre-copy rounds of the simulated migration, when it has rounds.
    public var rounds: Int? = nil
    /// Bytes the simulated migration sent.
    public var bytesSent: Double? = nil
    /// Published round count, when the source gives one (reported, not judged).
    public var referenceRounds: Double? = nil
    /// Published bytes sent, when the source gives them (reported, not judged).
    public var referenceBytes: Double? = nil
    public var relativeError: Double { abs(simulated - reference) / max(abs(reference), 1e-300) }
    public var passed: Bool { relativeError <= tolerance }
}

/// The validation cases kept as data in `data/validation/`: the analytic
/// pre-copy model and published measurements.
public enum Validation {
    /// Reads a small RFC 4180 CSV file into rows of named fields.
    static func readCSV(_ url: URL) throws -> [[String: String]] {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw ConfigError(source: url.path, key: "(file)", problem: "cannot read", accepted: "a readable CSV file")
        }
        var rows: [[String]] = [], field = "", row: [String] = [], quoted = false
        var chars = Array(text)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" { if chars.first == "\"" { field.append("\""); chars.removeFirst() } else { quoted = false } } else { field.append(c) }
            } else if c == "\"" { quoted = true } else if c == "," { row.append(field); field = "" } else if c == "\n" || c == "\r\n" {  // Swift reads CR LF as one Character
                row.append(field); rows.append(row); row = []; field = ""
            } else if c != "\r" { field.append(c) }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        guard let header = rows.first else { return [] }
        return try rows.dropFirst().enumerated().map { i, r in
            guard r.count == header.count else {
                throw ConfigError(source: url.path, key: "line \(i + 2)", problem: "\(r.count) fields", accepted: "\(header.count) fields")
            }
            return Dictionary(uniqueKeysWithValues: zip(header, r))
        }
    }

    /// Number of pre-copy rounds the closed-form model gives under `policy`,
    /// and the bytes of round k (1-based) are `M * lambda^(k-1)`.
    ///
    /// Computed from the published rules only, independently of the simulator:
    /// hyperv-2008r2 stops at the first k with `M*lambda^k <= 256 KiB` or k = 10;
    /// qemu at `M*lambda^k <= R * 0.3 s`; xen-legacy when round k itself sent
    /// fewer than 50 pages (`M*lambda^(k-1)`, Xen's `sent_this_iter +
    /// skip_this_iter < 50` with nothing skipped), k = 29, or when the bytes
    /// sent so far exceed 3 M.
    static func analyticRounds(policy: String, M: Double, lambda: Double, R: Double) -> Int {
        var sent = 0.0
        for k in 1...100_000 {
            sent += M * pow(lambda, Double(k - 1))
            let pending = M * pow(lambda, Double(k))
            switch policy {
            case "hyperv-2008r2": if pending <= 256 * 1024 || k >= 10 { return k }
            case "qemu": if pending <= R * 0.3 { return k }
            case "xen-legacy": if M * pow(lambda, Double(k - 1)) / 4096 < 50 || k >= 29 || sent > 3 * M { return k }
            default: return k
            }
        }
        return 100_000
    }

    /// Runs every analytic case: statistical fidelity in its deterministic
    /// limit (mean-field, constant rate, linear counting), tolerance 1e-9.
    public static func analytic(_ dataDirectory: URL) throws -> [ValidationResult] {
        var out: [ValidationResult] = []
        for row in try readCSV(dataDirectory.appendingPathComponent("analytic.csv")) {
            let name = row["case"] ?? "?", policy = row["policy"] ?? ""
            guard let gib = Double(row["memory_gib"] ?? ""), let d = Double(row["dirty_pages_per_s"] ?? ""),
                  let gbps = Double(row["bandwidth_gbps"] ?? "") else {
                throw ConfigError(source: "analytic.csv", key: name, problem: "non-numeric field", accepted: "numbers")
            }
            // Optional mechanism columns (empty = off): memory in use with
            // zero pages as headers of `zero_page_bytes`; a pre-copy cap
            // `cap_gbps` that stop-and-copy does not obey (link rate instead).
            let inUse = Double(row["memory_in_use"] ?? "") ?? 1
            let header = Double(row["zero_page_bytes"] ?? "")
            let capGbps = Double(row["cap_gbps"] ?? "")
            let M = gib * Units.GiB, link = gbps * 1e9 / 8, R = (capGbps ?? gbps) * 1e9 / 8, lambda = d * 4096 / R
            let pages = M / 4096, used = (pages * inUse).rounded()
            // Round 1 sends the used pages whole and each zero page as a header;
            // every later round sends D x (the previous round's time), so the
            // series is S1 lambda^(k-1) with S1 in place of M.
            let S1 = used * 4096 + (pages - used) * (header ?? 4096)
            var c = ScenarioConfig()
            var settings = ["scenario.kinds=[live]", "vms.count=1", "cluster.hosts=2", "vms.memory=[\(M)B]", "vms.dirty_rate=constant(\(d))",
                            "vms.counting=linear", "vms.hot_set_fraction=1", "vms.hot_write_share=1", "migration.fidelity=mean-field",
                            "cluster.host.nic=\(gbps)Gbps", "cluster.protocol_efficiency=1", "migration.setup_delay=0s",
                            "migration.resume_delay=0s", "migration.arp_delay=0s", "vms.device_state=0B",
                            "migration.policy=\(policy)", "cluster.host.memory=1TiB",
                            // The closed form has none of the real systems' mechanisms unless a column says so.
                            "migration.skip_dirtied=false", "vms.memory_in_use=\(inUse)",
                            "migration.zero_pages=" + (header.map { "\($0)B" } ?? "send")]
            if let cap = capGbps {
                settings += ["migration.rate_limit=\(cap)Gbps", "migration.stop_copy_rate=uncapped"]
            } else {
                settings += ["migration.rate_limit=none", "migration.stop_copy_rate=capped"]
            }
            for s in settings { try c.set(s) }
            let run = try c.scenario().run()[0]
            guard let r = run.records.first else { continue }
            let n = analyticRounds(policy: policy, M: S1, lambda: lambda, R: R)
            let total = S1 * (1 - pow(lambda, Double(n + 1))) / (1 - lambda)
            let src = row["source"] ?? ""
            var bytes = ValidationResult(group: "analytic", name: name, metric: "bytes_sent", reference: total, simulated: r.bytesSent,
                                         tolerance: 1e-9, note: src)
            bytes.rounds = r.rounds
            bytes.bytesSent = r.bytesSent
            out.append(bytes)
            out.append(ValidationResult(group: "analytic", name: name, metric: "rounds", reference: Double(n),
                                        simulated: Double(r.rounds ?? -1), tolerance: 0, note: src))
            if capGbps != nil || header != nil {
                // Downtime: the remainder S1 lambda^n at the link's rate (uncapped
                // stop-and-copy); 1e-6 relative, or 2 ns (the clock rounds each
                // transfer up to a whole nanosecond) when that is more.
                let downtime = S1 * pow(lambda, Double(n)) / (capGbps != nil ? link : R)
                var dt = ValidationResult(group: "analytic", name: name, metric: "downtime_s", reference: downtime,
                                          simulated: r.downtime ?? -1, tolerance: max(1e-6, 2e-9 / downtime), note: src)
                dt.rounds = r.rounds
                dt.bytesSent = r.bytesSent
                out.append(dt)
            }
        }
        return out
    }

    /// Runs every published-measurement case with its documented settings.
    public static func published(_ dataDirectory: URL) throws -> [ValidationResult] {
        var out: [ValidationResult] = []
        for row in try readCSV(dataDirectory.appendingPathComponent("published.csv")) {
            let name = row["case"] ?? "?"
            var c = ScenarioConfig()
            for s in (row["settings"] ?? "").split(separator: ";") { try c.set(String(s)) }
            let run = try c.scenario().run()[0]
            guard let r = run.records.first, let reference = Double(row["reference"] ?? ""), let tol = Double(row["tolerance"] ?? "") else {
                continue
            }
            let metric = row["metric"] ?? "downtime_s"
            let value: Double
            switch metric {
            case "total_time_s": value = r.totalTime ?? .nan
            default: value = r.downtime ?? .nan
            }
            let refRounds = Double(row["reference_rounds"] ?? ""), refMB = Double(row["reference_mb_sent"] ?? "")
            var note = r.rounds.map { "rounds \($0)" + (refRounds.map { String(format: " (ref. ~%.0f)", $0) } ?? "") + ", " } ?? ""
            note += String(format: "%.0f MB sent", r.bytesSent / 1e6) + (refMB.map { String(format: " (ref. ~%.0f)", $0) } ?? "")
            if row["approximate"] == "yes" { note += "; reference approximate" }
            var result = ValidationResult(group: "published", name: name, metric: metric, reference: reference, simulated: value,
                                          tolerance: tol, note: note)
            result.rounds = r.rounds
            result.bytesSent = r.bytesSent
            result.referenceRounds = refRounds
            result.referenceBytes = refMB.map { $0 * 1e6 }
            out.append(result)
        }
        return out
    }
}
