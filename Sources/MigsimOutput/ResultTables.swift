import Foundation
import MigsimModel

/// Turns run results into migsim's CSV tables. Column order is stable; the
/// README documents every column with its unit.
public enum ResultTables {
    public static let migrationColumns = [
        "run_id", "seed", "vm_id", "kind", "policy", "source_host", "target_host", "request_s", "start_s", "end_s",
        "queue_s", "total_time_s", "downtime_s", "rounds", "bytes_sent", "stop_reason", "converged", "throttle",
        "save_s", "failover_s", "restore_s", "disk_copy_s", "avhd_bytes", "merge_s", "degraded_s", "remote_faults",
        "refused_reason", "aborted", "unfinished",
    ]

    public static let roundColumns = [
        "run_id", "seed", "vm_id", "kind", "stage", "round", "start_s", "duration_s", "bytes_sent", "dirty_pages_end",
        "bandwidth_bps", "throttle",
    ]

    public static let summaryColumns = [
        "run_id", "seed", "kind", "migrations", "completed", "refused", "aborted", "non_converged",
        "downtime_mean_s", "downtime_median_s", "downtime_p95_s", "downtime_max_s", "downtime_ci95_s",
        "total_time_mean_s", "total_time_median_s", "total_time_p95_s", "total_time_max_s", "total_time_ci95_s",
        "queue_mean_s", "makespan_s", "maintenance_window_s", "migrations_per_source_host", "bytes_sent_total",
        "app_timeout_s", "over_app_timeout", "over_app_timeout_share", "events", "horizon_reached", "unfinished",
    ]

    /// Records sorted for output: by VM, then request time (run order is already fixed).
    static func ordered(_ r: RunResult) -> [MigrationRecord] {
        r.records.sorted { ($0.vm, $0.requestTime) < ($1.vm, $1.requestTime) }
    }

    public static func migrations(_ runs: [RunResult]) -> CSVTable {
        var t = CSVTable(header: migrationColumns)
        for run in runs {
            for m in ordered(run) {
                t.append([
                    String(run.runID), String(run.seed), String(m.vm), m.kind.rawValue, m.policy ?? "",
                    String(m.source), CSVFormat.int(m.target), CSVFormat.seconds(m.requestTime),
                    CSVFormat.seconds(m.startTime), CSVFormat.seconds(m.endTime), CSVFormat.seconds(m.queueTime),
                    CSVFormat.seconds(m.totalTime), CSVFormat.seconds(m.downtime), CSVFormat.int(m.rounds),
                    m.refusedReason == nil ? CSVFormat.bytes(m.bytesSent) : "", m.stopReason?.rawValue ?? "",
                    CSVFormat.bool(m.converged), CSVFormat.number(m.throttle), CSVFormat.seconds(m.save),
                    CSVFormat.seconds(m.failover), CSVFormat.seconds(m.restore), CSVFormat.seconds(m.diskCopy),
                    CSVFormat.bytes(m.avhdBytes), CSVFormat.seconds(m.merge), CSVFormat.seconds(m.degraded),
                    CSVFormat.number(m.remoteFaults), m.refusedReason ?? "", m.refusedReason == nil ? CSVFormat.bool(m.aborted) : "",
                    CSVFormat.bool(m.unfinished),
                ])
            }
        }
        return t
    }

    public static func rounds(_ runs: [RunResult]) -> CSVTable {
        var t = CSVTable(header: roundColumns)
        for run in runs {
            let rows = run.rounds.sorted { ($0.vm, $0.stage, $0.round) < ($1.vm, $1.stage, $1.round) }
            for r in rows {
                t.append([
                    String(run.runID), String(run.seed), String(r.vm), r.kind.rawValue, r.stage, String(r.round),
                    CSVFormat.seconds(r.start), CSVFormat.seconds(r.duration), CSVFormat.bytes(r.bytesSent),
                    CSVFormat.number(r.dirtyPagesEnd), CSVFormat.number(r.bandwidthBitsPerSecond), CSVFormat.number(r.throttle),
                ])
            }
        }
        return t
    }

    public static func summary(_ runs: [RunResult]) -> CSVTable {
        var t = CSVTable(header: summaryColumns)
        for run in runs {
            let done = run.records.filter { $0.refusedReason == nil && !$0.aborted && $0.endTime != nil }
            let down = SampleSummary(done.compactMap(\.downtime))
            let total = SampleSummary(done.compactMap(\.totalTime))
            let queue = SampleSummary(done.compactMap(\.queueTime))
            let starts = done.compactMap(\.startTime), ends = done.compactMap(\.endTime)
            let makespan = starts.isEmpty ? nil : ends.max()! - run.records.map(\.requestTime).min()!
            let over = done.filter { ($0.downtime ?? 0) > run.applicationTimeout }.count
            t.append([
                String(run.runID), String(run.seed), run.kind.rawValue, String(run.records.count), String(done.count),
                String(run.records.filter { $0.refusedReason != nil }.count), String(run.records.filter(\.aborted).count),
                String(done.filter { $0.converged == false }.count),
                CSVFormat.seconds(down?.mean), CSVFormat.seconds(down?.median), CSVFormat.seconds(down?.p95),
                CSVFormat.seconds(down?.max), CSVFormat.seconds(down?.ci95),
                CSVFormat.seconds(total?.mean), CSVFormat.seconds(total?.median), CSVFormat.seconds(total?.p95),
                CSVFormat.seconds(total?.max), CSVFormat.seconds(total?.ci95), CSVFormat.seconds(queue?.mean),
                CSVFormat.seconds(makespan), CSVFormat.seconds(run.maintenanceWindow),
                CSVFormat.number(perSourceHost(run.records)), CSVFormat.bytes(run.records.reduce(0) { $0 + $1.bytesSent }),
                CSVFormat.seconds(run.applicationTimeout), String(over),
                CSVFormat.number(done.isEmpty ? nil : Double(over) / Double(done.count)),
                String(run.eventsProcessed), CSVFormat.bool(run.hitHorizon), String(run.records.filter(\.unfinished).count),
            ])
        }
        return t
    }

    /// Mean number of migrations per host that was a source of any.
    static func perSourceHost(_ records: [MigrationRecord]) -> Double? {
        guard !records.isEmpty else { return nil }
        var hosts = Set<Int>()
        for r in records { hosts.insert(r.source) }
        return Double(records.count) / Double(hosts.count)
    }

    public static let linkColumns = ["run_id", "seed", "kind", "time_s", "link", "utilisation"]
    public static let hostColumns = ["run_id", "seed", "kind", "time_s", "host", "memory_used", "cpu_load", "active_migrations"]

    public static func links(_ runs: [RunResult]) -> CSVTable {
        var t = CSVTable(header: linkColumns)
        for run in runs {
            for l in run.linkSamples {
                t.append([String(run.runID), String(run.seed), run.kind.rawValue, CSVFormat.seconds(l.time), l.link,
                          CSVFormat.number(l.utilisation)])
            }
        }
        return t
    }

    public static func hosts(_ runs: [RunResult]) -> CSVTable {
        var t = CSVTable(header: hostColumns)
        for run in runs {
            for h in run.hostSamples {
                t.append([String(run.runID), String(run.seed), run.kind.rawValue, CSVFormat.seconds(h.time), String(h.host),
                          CSVFormat.number(h.memoryUsed), CSVFormat.number(h.cpuLoad), String(h.activeMigrations)])
            }
        }
        return t
    }

    /// Writes `migrations.csv`, `rounds.csv` and `summary.csv` into `directory`, each atomically;
    /// `links.csv` and `hosts.csv` too when `timeSeries` is set.
    public static func write(_ runs: [RunResult], to directory: URL, timeSeries: Bool = false) throws {
        try migrations(runs).write(to: directory.appendingPathComponent("migrations.csv"))
        try rounds(runs).write(to: directory.appendingPathComponent("rounds.csv"))
        try summary(runs).write(to: directory.appendingPathComponent("summary.csv"))
        if timeSeries {
            try links(runs).write(to: directory.appendingPathComponent("links.csv"))
            try hosts(runs).write(to: directory.appendingPathComponent("hosts.csv"))
        }
    }
}
