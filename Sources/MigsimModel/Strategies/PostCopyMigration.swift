import Foundation
import MigsimKernel
import MigsimNetwork

/// Post-copy live migration (Hines & Gopalan, VEE 2009).
///
/// Phases: **setup** (as live); **pause** and send the device state;
/// **resume** on the target at once (resume + ARP delays); then **push** all
/// memory in the background while the VM runs on the target and faults on
/// pages that have not arrived. Downtime is the device-state transfer plus
/// resume; `degraded_s` is the time from resume until the last page arrives.
///
/// `remote_faults` is the expected number of pages first accessed (read or
/// written, ``WorkloadSpec/readShare``) on the target before the push
/// delivered them; `fault_service_s` the time to serve one (a round trip plus
/// a page at the push's rate, since requested pages go ahead of the push:
/// QEMU `migrate_send_rp_req_pages`) plus, without `postcopy-preempt`
/// (``Mechanisms/postcopyPreempt``), half a page on average for the page the
/// push is sending when the request arrives; `postcopy_stall_s`
/// their product, the time the vCPUs wait. The push is not slowed by fault
/// service: a faulted page is one the push would have sent anyway.
struct PostCopyMigration: MigrationStrategy {
    enum Phase {
        /// Copying the configuration; the paused VM is created on the target.
        case setup
        /// Paused; sending the device state.
        case sendingDeviceState(pausedAt: SimTime)
        /// Paused; resuming on the target and updating ARP.
        case resuming(pausedAt: SimTime)
        /// Running on the target; pushing every page from the source.
        case pushing(resumedAt: SimTime)
    }

    private var phase = Phase.setup
    private var precopy: Precopy

    init(_ ctx: MigrationContext) { precopy = Precopy(ctx) }

    mutating func start(_ ctx: MigrationContext, _ record: inout MigrationRecord) -> Next {
        record.rounds = 0
        return .wait(ctx.settings.setupDelay)
    }

    mutating func advance(_ event: MigrationEvent, _ ctx: MigrationContext, _ record: inout MigrationRecord) -> Next {
        switch (phase, event) {
        case (.setup, .waited):
            phase = .sendingDeviceState(pausedAt: ctx.now)
            return .transfer(bytes: ctx.spec.deviceStateBytes, over: .network)
        case (.sendingDeviceState(let pausedAt), .transferred):
            phase = .resuming(pausedAt: pausedAt)
            return .wait(ctx.settings.resumeDelay + ctx.settings.arpDelay)
        case (.resuming(let pausedAt), .waited):
            record.downtime = ctx.seconds(since: pausedAt)
            phase = .pushing(resumedAt: ctx.now)
            // Every page once: zero pages as headers when the preset detects them.
            return .transfer(bytes: precopy.allPagesBytes(zeroPageBytes: ctx.settings.mechanisms.zeroPageBytes), over: .network)
        case (.pushing(let resumedAt), .transferred(let done)):
            record.degraded = ctx.seconds(since: resumedAt)
            let start = resumedAt.seconds
            let accesses = precopy.rate.writes(from: start, to: start + done.exactDuration) * ctx.spec.workload.accessesPerWrite
            let set = precopy.model.set
            Self.recordFaults(&record, ctx, remote: set.levelPages, set: set,
                              accesses: accesses, pageSize: precopy.pageSize, push: done)
            return .finish
        default:
            ctx.unexpected(event, in: phase, of: "post-copy")
        }
    }

    /// Records the expected faults while `accesses` page accesses spread over
    /// the push `push`, with `remote` pages (by level of `set`) still on the
    /// source when it began: a remote page with `a` accesses a second, pushed
    /// at a uniform time in the push's duration `T` (push order is independent
    /// of the access pattern), faults with probability `1 - (1 - exp(-aT)) / (aT)`.
    /// Each fault costs a round trip (twice the cluster's one-way round
    /// latency) plus one page at the push's rate: the vCPU stalls that long.
    static func recordFaults(_ record: inout MigrationRecord, _ ctx: MigrationContext, remote: [Double],
                             set: PageSet, accesses: Double, pageSize: Double, push: TransferDone) {
        var faults = 0.0
        for (r, level) in zip(remote, set.levels) where r > 0 && accesses > 0 {
            faults += r * Precopy.writtenBeforeSent(accesses * level.share / Double(level.pages))  // a*T for one page
        }
        let rate = push.exactDuration > 0 ? push.bytes / push.exactDuration : .infinity
        // Without preemption the request waits for the page in flight: half of it on average.
        let inFlight = ctx.settings.mechanisms.postcopyPreempt ? 0 : 0.5 * pageSize / rate
        let service = 2 * ctx.roundLatency + pageSize / rate + inFlight
        record.remoteFaults = faults
        record.faultServiceSeconds = service
        record.postCopyStallSeconds = faults * service
        record.workingSetLocalSeconds = workingSetLocal(remote: remote, set: set, accesses: accesses, push: push.exactDuration)
    }

    /// Expected seconds from resume until every remote page of the working
    /// set is on the target, pushed or faulted in. The working set is the
    /// pages written more often than the average page (the hot set of the
    /// two-level model). A remote page with `a` accesses a second, pushed at a
    /// uniform time in the push's duration `T`, is still remote at `t` with
    /// probability `(1 - t/T) exp(-a t)`, independently of the others, so
    /// `E[max] = integral over [0, T] of 1 - prod over pages of (1 - that)`,
    /// taken by Simpson's rule on 400 intervals. With no accesses it is the
    /// last of n uniform push times, `T n / (n + 1)`.
    static func workingSetLocal(remote: [Double], set: PageSet, accesses: Double, push T: Double) -> Double? {
        let average = 1 / Double(set.pages)
        let hot = zip(remote, set.levels).filter { $0.0 > 0 && $0.1.share / Double($0.1.pages) > average * (1 + 1e-12) }
        guard !hot.isEmpty, T > 0 else { return nil }
        let rates = hot.map { (n: $0.0, a: accesses / T * $0.1.share / Double($0.1.pages)) }  // accesses per second per page
        func allLocal(_ t: Double) -> Double {
            var logP = 0.0
            for l in rates { logP += l.n * log1p(-(1 - t / T) * exp(-l.a * t)) }
            return exp(logP)
        }
        let k = 400, h = T / Double(k)
        var sum = (1 - allLocal(0)) + (1 - allLocal(T))
        for i in 1..<k { sum += (i % 2 == 1 ? 4 : 2) * (1 - allLocal(Double(i) * h)) }
        return sum * h / 3
    }
}
