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
/// `remote_faults` is the expected number of pages first written on the
/// target before the push delivered them. A page with write rate `a` whose
/// push time is uniform over the push duration `T` (push order is independent
/// of the access pattern) faults with probability `1 - (1 - exp(-aT)) / (aT)`.
/// Only the write process is modelled; reads would add faults.
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
            let writes = precopy.rate.writes(from: start, to: start + done.exactDuration)
            record.remoteFaults = Self.expectedFaults(set: precopy.model.set, writes: writes)
            return .finish
        default:
            ctx.unexpected(event, in: phase, of: "post-copy")
        }
    }

    /// Expected pages faulted on while `writes` writes spread over the push
    /// (pages in use only: a zero page is never written during the push).
    static func expectedFaults(set: PageSet, writes: Double) -> Double {
        func part(_ pages: Int, _ w: Double) -> Double {
            guard pages > 0, w > 0 else { return 0 }
            return Double(pages) * Precopy.writtenBeforeSent(w / Double(pages))  // a*T for one page
        }
        return part(set.hotPages, writes * set.hotShare) + part(set.coldPages, writes * (1 - set.hotShare))
    }
}
