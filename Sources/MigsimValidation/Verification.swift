import Foundation
import MigsimConfig
import MigsimModel

/// Verification: does migsim compute what its model says? The analytic
/// pre-copy model, SimGrid running the same model, and invariants of a run.
/// Every case has a tolerance, and a failure fails `migsim validate`.
public enum Verification {
    /// The rows of a CSV file in `data/validation/`, as named fields, with their line.
    static func rows(_ url: URL) throws -> [(line: Int, fields: [String: String])] {
        let records = try CSVRecords.load(path: url.path, accepted: "a CSV file with the columns in data/README.md", maximumRows: 100_000)
        return records.records.map { r in (r.line, Dictionary(uniqueKeysWithValues: zip(records.header, r.fields))) }
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

    /// The round in which QEMU's continuous switch-over test passes for the
    /// series `M lambda^(k-1)`: the first round k whose bytes exceed the
    /// threshold while what it leaves dirty (`lambda` times them) does not;
    /// `nil` when a round end stops first (its bytes already fit).
    static func continuousRound(M: Double, lambda: Double, threshold: Double) -> Int? {
        for k in 1...100_000 {
            let B = M * pow(lambda, Double(k - 1))
            if B <= threshold { return nil }
            if lambda * B < threshold { return k }
        }
        return nil
    }

    /// Runs every analytic case: statistical fidelity in its deterministic
    /// limit (mean-field, constant rate, linear counting), tolerance 1e-9.
    public static func analytic(_ dataDirectory: URL) throws -> [ValidationResult] {
        var out: [ValidationResult] = []
        let file = dataDirectory.appendingPathComponent("analytic.csv"), path = file.path
        for (line, row) in try rows(file) {
            let name = row["case"] ?? "?", policy = row["policy"] ?? ""
            guard let gib = Double(row["memory_gib"] ?? ""), let d = Double(row["dirty_pages_per_s"] ?? ""),
                  let gbps = Double(row["bandwidth_gbps"] ?? "") else {
                throw ConfigError(source: path, key: name, problem: "non-numeric field",
                                  accepted: "numbers in memory_gib, dirty_pages_per_s and bandwidth_gbps", line: line)
            }
            // Optional mechanism columns (empty = off): memory in use with
            // zero pages as headers of `zero_page_bytes`; a pre-copy cap
            // `cap_gbps` that stop-and-copy does not obey (link rate instead).
            guard ["hyperv-2008r2", "qemu", "xen-legacy"].contains(policy) else {
                throw ConfigError(source: path, key: "policy", problem: "'\(policy)' has no closed-form stop rule here",
                                  accepted: "hyperv-2008r2, qemu or xen-legacy", line: line)
            }
            // An optional column is empty (off) or a number; anything else is a typo, not "off".
            func optional(_ column: String, _ accepted: String, _ ok: (Double) -> Bool) throws -> Double? {
                let text = row[column] ?? ""
                if text.isEmpty { return nil }
                guard let x = Double(text), x.isFinite, ok(x) else {
                    throw ConfigError(source: path, key: column, problem: "'\(text)'", accepted: accepted, line: line)
                }
                return x
            }
            let inUse = try optional("memory_in_use", "empty, or a share in (0, 1]") { $0 > 0 && $0 <= 1 } ?? 1
            let header = try optional("zero_page_bytes", "empty, or header bytes >= 0") { $0 >= 0 }
            let capGbps = try optional("cap_gbps", "empty, or Gbit/s > 0") { $0 > 0 }
            let switchover = row["switchover"] ?? ""
            guard ["", "continuous"].contains(switchover), switchover.isEmpty || policy == "qemu" else {
                throw ConfigError(source: path, key: "switchover", problem: "'\(switchover)' with \(policy)",
                                  accepted: "empty, or continuous with qemu", line: line)
            }
            let continuous = switchover == "continuous"
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
                            "migration.skip_dirtied=false", "migration.switchover=" + (continuous ? "continuous" : "round-end"), "vms.memory_in_use=\(inUse)",
                            "migration.zero_pages=" + (header.map { "\($0)B" } ?? "send")]
            if let cap = capGbps {
                settings += ["migration.rate_limit=\(cap)Gbps", "migration.stop_copy_rate=uncapped"]
            } else {
                settings += ["migration.rate_limit=none", "migration.stop_copy_rate=capped"]
            }
            for s in settings { try c.set(s) }
            let run = try c.scenario().run()[0]
            guard let r = run.records.first else {
                out.append(ValidationResult(caseClass: .verification, role: .check, group: "analytic", name: name, metric: "bytes_sent",
                                            reference: 1, simulated: .nan, tolerance: 1e-9, note: "the run produced no migration"))
                continue
            }
            var n = analyticRounds(policy: policy, M: S1, lambda: lambda, R: R)
            var total = S1 * (1 - pow(lambda, Double(n + 1))) / (1 - lambda)
            var downtimeReference: Double? = nil
            if continuous, let k = continuousRound(M: S1, lambda: lambda, threshold: R * 0.3) {
                // QEMU's test passes part-way through round k: the first share φ
                // at which the unsent (1-φ)B and the dirtied λφB (one level of
                // N pages, so their union loses dφ·u/N) fit R x 0.3 s. Solving
                // (1-φ)b + φL - φ(1-φ)Lb/N = t in pages (b = B/4096, L = λb,
                // t = threshold/4096) for its smaller root.
                let B = S1 * pow(lambda, Double(k - 1)), b = B / 4096, L = lambda * b, N = pages, t = R * 0.3 / 4096
                let qa = L * b / N, qb = L - b - L * b / N, qc = b - t
                let phi = qa == 0 ? -qc / qb : (-qb - (qb * qb - 4 * qa * qc).squareRoot()) / (2 * qa)
                n = k
                total = S1 * (1 - pow(lambda, Double(k - 1))) / (1 - lambda) + phi * B + R * 0.3
                downtimeReference = R * 0.3 / link
            }
            let src = row["source"] ?? ""
            var bytes = ValidationResult(caseClass: .verification, role: .check, group: "analytic", name: name, metric: "bytes_sent", reference: total, simulated: r.bytesSent,
                                         tolerance: 1e-9, note: src)
            bytes.rounds = r.rounds
            bytes.bytesSent = r.bytesSent
            out.append(bytes)
            out.append(ValidationResult(caseClass: .verification, role: .check, group: "analytic", name: name, metric: "rounds", reference: Double(n),
                                        simulated: Double(r.rounds ?? -1), tolerance: 0, note: src))
            if let downtime = downtimeReference {
                var dt = ValidationResult(caseClass: .verification, role: .check, group: "analytic", name: name, metric: "downtime_s",
                                          reference: downtime, simulated: r.downtime ?? -1, tolerance: max(1e-6, 2e-9 / downtime), note: src)
                dt.rounds = r.rounds
                dt.bytesSent = r.bytesSent
                out.append(dt)
            } else if capGbps != nil || header != nil {
                // Downtime: the remainder S1 lambda^n at the link's rate (uncapped
                // stop-and-copy); 1e-6 relative, or 2 ns (the clock rounds each
                // transfer up to a whole nanosecond) when that is more.
                let downtime = S1 * pow(lambda, Double(n)) / (capGbps != nil ? link : R)
                var dt = ValidationResult(caseClass: .verification, role: .check, group: "analytic", name: name, metric: "downtime_s", reference: downtime,
                                          simulated: r.downtime ?? -1, tolerance: max(1e-6, 2e-9 / downtime), note: src)
                dt.rounds = r.rounds
                dt.bytesSent = r.bytesSent
                out.append(dt)
            }
        }
        return out
    }

    /// Compares migsim with the SimGrid 3.32 results kept in `simgrid.csv`
    /// (`simgrid-reference.csv` of `experiments/06-simgrid-side-by-side.sh`):
    /// each row's settings on top of `simgrid.yaml`, mean migration time
    /// within the row's tolerance. No file, no cases.
    public static func simgrid(_ dataDirectory: URL) throws -> [ValidationResult] {
        let url = dataDirectory.appendingPathComponent("simgrid.csv")
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        var out: [ValidationResult] = []
        for (line, row) in try rows(url) {
            let name = row["case"] ?? "?"
            guard let reference = Double(row["simgrid_total_time_s"] ?? ""), let tolerance = Double(row["tolerance"] ?? "") else {
                throw ConfigError(source: url.path, key: "simgrid_total_time_s", problem: "not a number in case \(name)",
                                  accepted: "seconds, and a relative tolerance", line: line)
            }
            var c = try ScenarioFile.load(path: dataDirectory.appendingPathComponent("simgrid.yaml").path)
            for s in (row["settings"] ?? "").split(separator: ";") { try c.set(String(s)) }
            let run = try c.scenario().run()[0]
            let times = run.records.compactMap(\.totalTime)
            guard !times.isEmpty else {
                out.append(ValidationResult(caseClass: .verification, role: .check, group: "simgrid", name: name, metric: "total_time_s",
                                            reference: reference, simulated: .nan, tolerance: tolerance,
                                            note: "no migration finished"))
                continue
            }
            var r = ValidationResult(caseClass: .verification, role: .check, group: "simgrid", name: name, metric: "total_time_s",
                                     reference: reference, simulated: times.reduce(0, +) / Double(times.count), tolerance: tolerance,
                                     note: row["source"] ?? "")
            r.rounds = run.records.first?.rounds
            r.bytesSent = run.records.first?.bytesSent
            out.append(r)
        }
        return out
    }

    /// Invariants of the built-in drain under every kind it runs: every VM
    /// on the drained host moves; no downtime is negative or longer than its
    /// migration; a live migration's pre-copy rounds add up to no more than
    /// it sent; and a second run of the same seed gives the same records.
    /// Each case counts violations, so its reference is 0.
    public static func invariants() throws -> [ValidationResult] {
        let scenario = Scenario.builtinDefault()
        let runs = try scenario.run(), again = try scenario.run()
        let onHost = scenario.vms.filter { $0.host == 0 }.count
        var out: [ValidationResult] = []
        func check(_ name: String, _ violations: Int, _ note: String) {
            out.append(ValidationResult(caseClass: .verification, role: .check, group: "invariant", name: name, metric: "violations",
                                        reference: 0, simulated: Double(violations), tolerance: 0, note: note))
        }
        for (run, twin) in zip(runs, again) {
            let k = run.kind.rawValue
            check("\(k)-every-vm-moves", abs(run.records.filter { $0.endTime != nil && !$0.aborted }.count - onHost),
                  "built-in drain: \(onHost) VMs on host 0 must all finish")
            check("\(k)-downtime-within-migration", run.records.filter { r in
                guard let d = r.downtime, let t = r.totalTime else { return false }
                return d < 0 || d > t + 1e-9
            }.count, "0 <= downtime <= total time")
            var bytes: [Int: Double] = [:]
            for round in run.rounds where round.stage == "memory" { bytes[round.vm, default: 0] += round.bytesSent }
            check("\(k)-rounds-within-bytes-sent", run.records.filter { r in (bytes[r.vm] ?? 0) > r.bytesSent * (1 + 1e-12) }.count,
                  "sum of pre-copy round bytes <= bytes sent")
            check("\(k)-same-seed-same-records", run.records == twin.records && run.rounds == twin.rounds ? 0 : 1,
                  "two runs of one seed give identical records")
        }
        return out
    }
}
