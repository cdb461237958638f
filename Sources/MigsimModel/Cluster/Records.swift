/// A `Double?` held in 8 bytes instead of 16, NaN standing for `nil`: a
/// record has about twenty optional figures, and at a million migrations the
/// records (one in flight, one finished) are most of a run's memory. No
/// figure is ever NaN (debug builds check), so nothing is lost.
@propertyWrapper
public struct PackedDouble: Sendable, Equatable {
    @usableFromInline var raw: Double

    @inlinable public init() { raw = .nan }
    @inlinable public init(wrappedValue: Double?) { self.init(); self.wrappedValue = wrappedValue }

    @inlinable public var wrappedValue: Double? {
        get { raw.isNaN ? nil : raw }
        set {
            assert(newValue.map { !$0.isNaN } ?? true, "a record figure is NaN")
            raw = newValue ?? .nan
        }
    }

    @inlinable public static func == (a: PackedDouble, b: PackedDouble) -> Bool { a.wrappedValue == b.wrappedValue }
}

/// One row of `migrations.csv`: the outcome of one migration request.
///
/// Optional fields are phase figures that do not apply to every kind; they
/// are written as empty cells, never as 0.
public struct MigrationRecord: Sendable, Equatable {
    public var vm: Int
    public var kind: MigrationKind
    public var policy: String?
    public var source: Int
    public var target: Int?
    public var requestTime: Double
    @PackedDouble public var startTime: Double?
    @PackedDouble public var endTime: Double?
    /// Seconds the VM's service was down (paused, off, or not yet restarted).
    @PackedDouble public var downtime: Double?
    public var rounds: Int?
    /// Bytes that crossed the network or storage for this migration.
    public var bytesSent: Double = 0
    public var stopReason: StopReason?
    /// Highest vCPU throttle applied, 0...0.99.
    @PackedDouble public var throttle: Double?
    @PackedDouble public var save: Double?
    @PackedDouble public var failover: Double?
    @PackedDouble public var restore: Double?
    @PackedDouble public var diskCopy: Double?
    @PackedDouble public var avhdBytes: Double?
    @PackedDouble public var merge: Double?
    /// Post-copy: seconds after resume until the last page arrived.
    @PackedDouble public var degraded: Double?
    /// Post-copy: pages first touched on the target before they arrived.
    @PackedDouble public var remoteFaults: Double?
    /// Post-copy: seconds to serve one fault: a round trip plus one page at the push's rate.
    @PackedDouble public var faultServiceSeconds: Double?
    /// Post-copy: seconds the vCPUs wait on remote faults (faults x service time).
    @PackedDouble public var postCopyStallSeconds: Double?
    /// Post-copy: expected seconds from resume until the working set (pages
    /// written more often than average) is all on the target.
    @PackedDouble public var workingSetLocalSeconds: Double?
    /// Live: bytes zero pages did not cost (sent as headers); `nil` when they are sent whole.
    @PackedDouble public var zeroPageBytesSaved: Double?
    /// Live: bytes of pages skipped because they were written again before
    /// their round reached them; `nil` when skipping is off.
    @PackedDouble public var skippedBytes: Double?
    /// Live: page bytes compression kept off the wire; `nil` without compression.
    @PackedDouble public var compressionBytesSaved: Double?
    /// Live: CPU seconds the sender spent compressing; `nil` without compression.
    @PackedDouble public var compressionCPUSeconds: Double?
    /// Live: stop-and-copy's achieved wire rate, bits/s.
    @PackedDouble public var stopCopyBitsPerSecond: Double?
    /// Live: vCPU seconds lost to throttling (auto-converge, SDPS): each
    /// round's throttle times its length, summed.
    @PackedDouble public var throttleSeconds: Double?
    /// Live, live-storage: equivalent seconds of service lost to dirty-page
    /// tracking during the memory pre-copy rounds
    /// (``MigrationSettings/dirtyLoggingOverhead`` x the share of each round
    /// the vCPUs were not throttled x its length, summed); `nil` when the
    /// overhead is 0 or the kind tracks no pages.
    @PackedDouble public var dirtyLoggingSeconds: Double?
    /// Bytes this migration moved over the network (routes that cross the
    /// source's NIC out and the target's NIC in); finished transfers only.
    /// Shared storage and local-disk transfers are not counted.
    public var networkBytes: Double = 0
    public var refusedReason: String?
    public var aborted = false
    /// The run ended (its horizon, or transfers that would end beyond the
    /// representable time) while this request was queued or in flight; the
    /// end and the phases not reached are empty, `bytesSent` counts finished
    /// transfers only.
    public var unfinished = false

    public init(vm: Int, kind: MigrationKind, source: Int, requestTime: Double) {
        self.vm = vm
        self.kind = kind
        self.source = source
        self.requestTime = requestTime
    }

    public var queueTime: Double? { startTime.map { $0 - requestTime } }
    public var totalTime: Double? {
        guard let s = startTime, let e = endTime else { return nil }
        return e - s
    }
    public var converged: Bool? { stopReason?.converged }
    /// Equivalent seconds of service lost to the migration beyond downtime:
    /// vCPU throttling, post-copy fault stalls and dirty-logging overhead
    /// (issue 17); `nil` when none applies.
    public var degradation: Double? {
        guard throttleSeconds != nil || postCopyStallSeconds != nil || dirtyLoggingSeconds != nil else { return nil }
        return (throttleSeconds ?? 0) + (postCopyStallSeconds ?? 0) + (dirtyLoggingSeconds ?? 0)
    }
}

/// One row of `rounds.csv`: one pre-copy round (memory, or disk blocks for live storage).
public struct RoundRecord: Sendable, Equatable {
    public var vm: Int
    public var kind: MigrationKind
    /// `memory` or `disk`.
    public var stage: String
    public var round: Int
    public var start: Double
    public var duration: Double
    public var bytesSent: Double
    /// Pages (or blocks) dirtied during the round.
    public var dirtyPagesEnd: Double
    /// Throttle in force during the round.
    public var throttle: Double
    /// Pages skipped because they were written again before the round reached them; `nil` when skipping is off.
    public var skippedPages: Double?
    /// Bytes on the wire after compression; `nil` without compression.
    public var encodedBytes: Double?

    public init(vm: Int, kind: MigrationKind, stage: String, round: Int, start: Double, duration: Double, bytesSent: Double,
                dirtyPagesEnd: Double, throttle: Double, skippedPages: Double? = nil, encodedBytes: Double? = nil) {
        self.vm = vm
        self.kind = kind
        self.stage = stage
        self.round = round
        self.start = start
        self.duration = duration
        self.bytesSent = bytesSent
        self.dirtyPagesEnd = dirtyPagesEnd
        self.throttle = throttle
        self.skippedPages = skippedPages
        self.encodedBytes = encodedBytes
    }

    /// Achieved payload rate, bits/s.
    public var bandwidthBitsPerSecond: Double { duration > 0 ? bytesSent * 8 / duration : 0 }
}
