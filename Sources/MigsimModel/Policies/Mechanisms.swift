import MigsimRandom

/// The real systems' pre-copy mechanisms, each switchable per scenario
/// (issue 13). Every preset has its own defaults (``PolicyPreset/defaultMechanisms``),
/// with the source of each rule named there.
public struct Mechanisms: Sendable {
    /// Stop-and-copy sends at what the path allows, not at the pre-copy rate cap.
    public var uncappedStopAndCopy: Bool
    /// Bytes on the wire for a page never written (all zero), or `nil` when
    /// such pages are sent whole. The never-written pages are the
    /// `1 - memory_in_use` share of memory.
    public var zeroPageBytes: Double?
    /// A round skips the pages dirtied again since it began, before it reaches
    /// them: they are sent by the next round anyway (Xen `to_skip`, peeked
    /// before each 1,024-page batch). Page by page in page-exact fidelity
    /// (`SkipWalk`), in expectation in the others.
    public var skipRedirtied: Bool
    /// Compression (or delta encoding) of page data; `nil` = none.
    public var compression: Compression?
    /// Parallel streams one migration's pages go over (QEMU multifd channels;
    /// `multifd-channels` defaults to 2 when the `multifd` capability is on,
    /// `migration/options.c` `DEFAULT_MIGRATE_MULTIFD_CHANNELS`; the capability
    /// itself is off by default, so presets use 1). Each stream is a flow of
    /// its own in the max-min sharing, so a migration with k streams gets k
    /// shares of a contended link.
    public var channels: Int
    /// Bytes/s one stream can carry at most (a sender thread's CPU); infinity = no ceiling.
    public var streamCeiling: Double
    /// The stop rule is checked while a round is sent, not only at its end:
    /// pre-copy switches over as soon as the round's unsent pages plus the
    /// pages dirtied since it began fit the policy's downtime limit (QEMU
    /// `migration_iteration_run`, every pass of the migration thread).
    public var continuousSwitchover: Bool
    /// Post-copy page requests go over a channel of their own and preempt
    /// the background push (QEMU's `postcopy-preempt` capability, off by
    /// default). Without it a requested page waits for the page being pushed
    /// to finish: QEMU serves queued requests before the next dirty page
    /// (`unqueue_page`), "however ... when sending a precopy huge page, a
    /// postcopy request needs to wait until the whole huge page that is
    /// sending to finish" (commit "migration: Add postcopy-preempt
    /// capability", Peter Xu, 2022).
    public var postcopyPreempt = false

    public init(uncappedStopAndCopy: Bool = false, zeroPageBytes: Double? = nil, skipRedirtied: Bool = false,
                compression: Compression? = nil, channels: Int = 1, streamCeiling: Double = .infinity,
                continuousSwitchover: Bool = false) {
        self.continuousSwitchover = continuousSwitchover
        self.uncappedStopAndCopy = uncappedStopAndCopy
        self.zeroPageBytes = zeroPageBytes
        self.skipRedirtied = skipRedirtied
        self.compression = compression
        self.channels = channels
        self.streamCeiling = streamCeiling
    }

    /// Every mechanism off: migsim's original pre-copy (each page sent whole,
    /// every dirty page re-sent, stop-and-copy at the pre-copy cap).
    public static let none = Mechanisms()

    func validate() throws {
        if let z = zeroPageBytes {
            try require(z.isFinite && z >= 0, .migrationZeroPages, z, "header bytes >= 0, or send")
        }
        if let c = compression { try c.validate() }
        try require(channels >= 1 && channels <= 256, .migrationChannels, channels, "an integer in 1...256")
        try require(streamCeiling > 0 && !streamCeiling.isNaN, .migrationChannelCeiling, streamCeiling, "a rate > 0, or none")
    }
}

/// Compression of the pages a migration sends: the wire carries `ratio` x the
/// raw bytes, and the sender compresses at most `cores` x
/// `bytesPerCoreSecond` raw bytes per second, so on a fast link compression
/// can make a migration slower.
public struct Compression: Sendable {
    /// The encoder, for reports.
    public var method: String
    /// Wire bytes per raw byte, in (0, 1]; drawn once per migration.
    public var ratio: Distribution
    /// Raw bytes one core compresses per second.
    public var bytesPerCoreSecond: Double
    /// Cores the sender may use for it.
    public var cores: Double
    /// First pre-copy round compressed (2 for delta encoding, which needs a
    /// copy sent before); stop-and-copy pages are compressed too.
    public var fromRound: Int
    /// QEMU XBZRLE's cache, bytes, when this is XBZRLE delta encoding; then
    /// ``ratio`` is the wire share of a page that hits the cache, and only
    /// hits are encoded (``Compression/xbzrle(cacheBytes:deltaShare:)``).
    public var xbzrleCacheBytes: Double? = nil

    public init(method: String, ratio: Distribution, bytesPerCoreSecond: Double, cores: Double, fromRound: Int = 1) {
        self.method = method
        self.ratio = ratio
        self.bytesPerCoreSecond = bytesPerCoreSecond
        self.cores = cores
        self.fromRound = fromRound
    }

    /// QEMU's XBZRLE delta encoding (`migration/ram.c`, `save_xbzrle_page`):
    /// a page re-sent while its previous copy is in the cache (direct-mapped
    /// by page address, `migration/page_cache.c`; default size 64 MiB,
    /// `DEFAULT_MIGRATE_XBZRLE_CACHE_SIZE`) goes as an encoded delta of
    /// `deltaShare` x a page; a miss goes whole and enters the cache. The
    /// cache fills from the second pass on (`xbzrle_started` after the first
    /// pass), so hits start in round 3. Encoding runs in the migration thread
    /// at 2 GB/s, the low end of "a sustained bandwidth of 2-2.5 GB/s for
    /// typical workloads" (QEMU `docs/xbzrle.txt`). `deltaShare` depends on
    /// how many bytes of a page a write changes; no published figure was
    /// found, so it has no default.
    public static func xbzrle(cacheBytes: Double, deltaShare: Double) throws -> Compression {
        var c = Compression(method: "xbzrle", ratio: try .constant(deltaShare), bytesPerCoreSecond: 2e9, cores: 1, fromRound: 2)
        c.xbzrleCacheBytes = cacheBytes
        return c
    }

    /// The highest raw rate the sender's CPUs allow, bytes/s.
    public var rawRateCeiling: Double { bytesPerCoreSecond * cores }

    func validate() throws {
        try require(bytesPerCoreSecond.isFinite && bytesPerCoreSecond > 0, .migrationCompression, bytesPerCoreSecond,
                    "a rate > 0")
        try require(cores.isFinite && cores > 0, .migrationCompression, cores, "a number of cores > 0")
        try require(fromRound >= 1, .migrationCompression, fromRound, "a first round >= 1")
        if let x = xbzrleCacheBytes { try require(x.isFinite && x >= 4096, .migrationCompression, x, "a cache of at least one page") }
        if let m = ratio.mean { try require(m > 0 && m <= 1, .migrationCompression, m, "a mean in (0, 1]") }
    }
}
