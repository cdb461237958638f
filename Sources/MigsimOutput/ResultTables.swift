import Foundation
import MigsimModel

/// A record with the run it came from: one row of a results table.
public struct RunRow<Record>: Sendable where Record: Sendable {
    /// Run number within the invocation.
    public let runID: Int
    /// The run's base random seed.
    public let seed: UInt64
    /// The run's migration kind.
    public let kind: MigrationKind
    public let record: Record

    public init(_ run: RunResult, _ record: Record) {
        runID = run.runID
        seed = run.seed
        kind = run.kind
        self.record = record
    }
}

/// The figures of one run that several `summary.csv` columns share, computed once.
public struct RunSummary: Sendable {
    public let run: RunResult
    /// Migrations that completed: neither refused, aborted nor unfinished.
    public let completed: [MigrationRecord]
    /// Downtimes, total times and queueing times of the completed migrations.
    public let downtime: SampleSummary?, totalTime: SampleSummary?, queue: SampleSummary?

    public init(_ run: RunResult) {
        self.run = run
        func done(_ r: MigrationRecord) -> Bool { r.refusedReason == nil && !r.aborted && r.endTime != nil }
        // Shared, not copied, when every migration completed (the usual case).
        completed = run.records.allSatisfy(done) ? run.records : run.records.filter(done)
        downtime = SampleSummary(completed.compactMap(\.downtime))
        totalTime = SampleSummary(completed.compactMap(\.totalTime))
        queue = SampleSummary(completed.compactMap(\.queueTime))
    }

    /// First request to last end of a completed migration (the drain time); `nil` when none started.
    public var makespan: Double? {
        guard completed.contains(where: { $0.startTime != nil }), let end = completed.compactMap(\.endTime).max(),
              let first = run.records.map(\.requestTime).min() else { return nil }
        return end - first
    }

    /// Completed migrations whose downtime exceeded the application timeout.
    public var overAppTimeout: Int { completed.filter { ($0.downtime ?? 0) > run.applicationTimeout }.count }

    /// Mean number of migrations per host that was the source of any; `nil` without migrations.
    public var migrationsPerSourceHost: Double? {
        guard !run.records.isEmpty else { return nil }
        return Double(run.records.count) / Double(Set(run.records.map(\.source)).count)
    }
}

/// migsim's CSV tables, each declared once as an ordered list of columns.
///
/// Each column is one line: name, unit and the expression that computes its
/// cell from the row's record. Column order is stable; the README's Output
/// section documents every column with its unit, and a test checks that it
/// lists exactly these columns, in this order.
public enum ResultTables {
    /// `migrations.csv`: one row per migration request.
    public static let migrationColumns: [CSVColumn<RunRow<MigrationRecord>>] = [
        .integer("run_id") { $0.runID },
        .integer("seed") { $0.seed },
        .integer("vm_id") { $0.record.vm },
        .text("kind") { $0.record.kind.rawValue },
        .text("policy") { $0.record.policy },
        .integer("source_host") { $0.record.source },
        .integer("target_host") { $0.record.target },
        .seconds("request_s") { $0.record.requestTime },
        .seconds("start_s") { $0.record.startTime },
        .seconds("end_s") { $0.record.endTime },
        .seconds("queue_s") { $0.record.queueTime },
        .seconds("total_time_s") { $0.record.totalTime },
        .seconds("downtime_s") { $0.record.downtime },
        .integer("rounds") { $0.record.rounds },
        .bytes("bytes_sent") { $0.record.refusedReason == nil ? $0.record.bytesSent : nil },
        .text("stop_reason") { $0.record.stopReason?.rawValue },
        .bool("converged") { $0.record.converged },
        .number("throttle", unit: "share") { $0.record.throttle },
        .seconds("save_s") { $0.record.save },
        .seconds("failover_s") { $0.record.failover },
        .seconds("restore_s") { $0.record.restore },
        .seconds("disk_copy_s") { $0.record.diskCopy },
        .bytes("avhd_bytes") { $0.record.avhdBytes },
        .seconds("merge_s") { $0.record.merge },
        .seconds("degraded_s") { $0.record.degraded },
        .number("remote_faults", unit: "pages") { $0.record.remoteFaults },
        .text("refused_reason") { $0.record.refusedReason },
        .bool("aborted") { $0.record.refusedReason == nil ? $0.record.aborted : nil },
        .bool("unfinished") { $0.record.unfinished },
        .bytes("zero_page_bytes_saved") { $0.record.zeroPageBytesSaved },
        .bytes("skipped_bytes") { $0.record.skippedBytes },
        .bytes("compression_bytes_saved") { $0.record.compressionBytesSaved },
        .seconds("compression_cpu_s") { $0.record.compressionCPUSeconds },
        .number("stop_copy_bps", unit: "bit/s") { $0.record.stopCopyBitsPerSecond },
        .seconds("fault_service_s") { $0.record.faultServiceSeconds },
        .seconds("postcopy_stall_s") { $0.record.postCopyStallSeconds },
        .seconds("throttle_s") { $0.record.throttleSeconds },
        .seconds("degradation_s") { $0.record.degradation },
        .seconds("working_set_local_s") { $0.record.workingSetLocalSeconds },
        .seconds("dirty_logging_s") { $0.record.dirtyLoggingSeconds },
    ]

    /// `rounds.csv`: one row per pre-copy round (memory, or disk blocks for live storage).
    public static let roundColumns: [CSVColumn<RunRow<RoundRecord>>] = [
        .integer("run_id") { $0.runID },
        .integer("seed") { $0.seed },
        .integer("vm_id") { $0.record.vm },
        .text("kind") { $0.record.kind.rawValue },
        .text("stage") { $0.record.stage },
        .integer("round") { $0.record.round },
        .seconds("start_s") { $0.record.start },
        .seconds("duration_s") { $0.record.duration },
        .bytes("bytes_sent") { $0.record.bytesSent },
        .number("dirty_pages_end", unit: "pages (blocks)") { $0.record.dirtyPagesEnd },
        .number("bandwidth_bps", unit: "bit/s") { $0.record.bandwidthBitsPerSecond },
        .number("throttle", unit: "share") { $0.record.throttle },
        .number("skipped_pages", unit: "pages") { $0.record.skippedPages },
        .bytes("encoded_bytes") { $0.record.encodedBytes },
    ]

    /// `summary.csv`: one row per run (and so per kind).
    public static let summaryColumns: [CSVColumn<RunRow<RunSummary>>] = [
        .integer("run_id") { $0.runID },
        .integer("seed") { $0.seed },
        .text("kind") { $0.kind.rawValue },
        .integer("migrations") { $0.record.run.records.count },
        .integer("completed") { $0.record.completed.count },
        .integer("refused") { $0.record.run.records.filter { $0.refusedReason != nil }.count },
        .integer("aborted") { $0.record.run.records.filter(\.aborted).count },
        .integer("non_converged") { $0.record.completed.filter { $0.converged == false }.count },
        .seconds("downtime_mean_s") { $0.record.downtime?.mean },
        .seconds("downtime_median_s") { $0.record.downtime?.median },
        .seconds("downtime_p95_s") { $0.record.downtime?.p95 },
        .seconds("downtime_max_s") { $0.record.downtime?.max },
        .seconds("downtime_ci95_s") { $0.record.downtime?.ci95 },
        .seconds("total_time_mean_s") { $0.record.totalTime?.mean },
        .seconds("total_time_median_s") { $0.record.totalTime?.median },
        .seconds("total_time_p95_s") { $0.record.totalTime?.p95 },
        .seconds("total_time_max_s") { $0.record.totalTime?.max },
        .seconds("total_time_ci95_s") { $0.record.totalTime?.ci95 },
        .seconds("queue_mean_s") { $0.record.queue?.mean },
        .seconds("makespan_s") { $0.record.makespan },
        .seconds("maintenance_window_s") { $0.record.run.maintenanceWindow },
        .number("migrations_per_source_host") { $0.record.migrationsPerSourceHost },
        .bytes("bytes_sent_total") { $0.record.run.records.reduce(0) { $0 + $1.bytesSent } },
        .seconds("app_timeout_s") { $0.record.run.applicationTimeout },
        .integer("over_app_timeout") { $0.record.overAppTimeout },
        .number("over_app_timeout_share", unit: "share") {
            $0.record.completed.isEmpty ? nil : Double($0.record.overAppTimeout) / Double($0.record.completed.count)
        },
        .integer("events") { $0.record.run.eventsProcessed },
        .bool("horizon_reached") { $0.record.run.hitHorizon },
        .integer("unfinished") { $0.record.run.records.filter(\.unfinished).count },
        .number("energy_hosts_j", unit: "J") { $0.record.run.costs?.hostEnergy },
        .number("migration_cpu_core_s", unit: "core-s") { $0.record.run.costs?.migrationCPUSeconds },
        .number("slatah", unit: "share") { $0.record.run.costs?.slatah },
        .number("pdm", unit: "share") { $0.record.run.costs?.pdm },
        .number("slav", unit: "share") { $0.record.run.costs?.slav },
        .integer("downtime_budget_breaches") { $0.record.run.costs?.budgetBreaches },
        .seconds("degradation_total_s") {
            let d = $0.record.run.records.compactMap(\.degradation)
            return d.isEmpty ? nil : d.reduce(0, +)
        },
        .bytes("shared_nic_bytes") { $0.record.run.costs?.sharedNICBytes },
    ]

    /// `links.csv`: a NIC direction's utilisation at each sampling instant.
    public static let linkColumns: [CSVColumn<RunRow<LinkSample>>] = [
        .integer("run_id") { $0.runID },
        .integer("seed") { $0.seed },
        .text("kind") { $0.kind.rawValue },
        .seconds("time_s") { $0.record.time },
        .text("link") { $0.record.link },
        .number("utilisation", unit: "share") { $0.record.utilisation },
    ]

    /// `hosts.csv`: a host's state at each sampling instant.
    public static let hostColumns: [CSVColumn<RunRow<HostSample>>] = [
        .integer("run_id") { $0.runID },
        .integer("seed") { $0.seed },
        .text("kind") { $0.kind.rawValue },
        .seconds("time_s") { $0.record.time },
        .integer("host") { $0.record.host },
        .number("memory_used", unit: "share") { $0.record.memoryUsed },
        .number("cpu_load") { $0.record.cpuLoad },
        .integer("active_migrations") { $0.record.activeMigrations },
    ]

    /// Records sorted for output: by VM, then request time (run order is already fixed).
    /// Records that are already in that order (migrations that ended in VM
    /// order, as a batch in lockstep does) are not copied.
    static func ordered(_ r: RunResult) -> [MigrationRecord] {
        func before(_ a: MigrationRecord, _ b: MigrationRecord) -> Bool { (a.vm, a.requestTime) < (b.vm, b.requestTime) }
        let records = r.records
        if records.indices.dropFirst().allSatisfy({ !before(records[$0], records[$0 - 1]) }) { return records }
        return records.sorted(by: before)
    }

    /// `migrations.csv` of `runs`: runs in order, each run's records by VM, then request time.
    public static func migrations(_ runs: [RunResult]) -> CSVTable {
        CSVTable(migrationColumns, rows: runs.lazy.flatMap { run in ordered(run).lazy.map { RunRow(run, $0) } })
    }

    /// `rounds.csv` of `runs`: runs in order, each run's rounds by VM, stage, then round number.
    public static func rounds(_ runs: [RunResult]) -> CSVTable {
        CSVTable(roundColumns, rows: runs.lazy.flatMap { run in
            run.rounds.sorted { ($0.vm, $0.stage, $0.round) < ($1.vm, $1.stage, $1.round) }.lazy.map { RunRow(run, $0) }
        })
    }

    /// `summary.csv` of `runs`: one row per run, in order.
    public static func summary(_ runs: [RunResult]) -> CSVTable {
        CSVTable(summaryColumns, rows: runs.lazy.map { RunRow($0, RunSummary($0)) })
    }

    /// `links.csv` of `runs`: runs in order, each run's samples in time order.
    public static func links(_ runs: [RunResult]) -> CSVTable {
        CSVTable(linkColumns, rows: runs.lazy.flatMap { run in run.linkSamples.lazy.map { RunRow(run, $0) } })
    }

    /// `hosts.csv` of `runs`: runs in order, each run's samples in time order.
    public static func hosts(_ runs: [RunResult]) -> CSVTable {
        CSVTable(hostColumns, rows: runs.lazy.flatMap { run in run.hostSamples.lazy.map { RunRow(run, $0) } })
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
