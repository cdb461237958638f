import MigsimKernel
import MigsimNetwork
import MigsimRandom

/// One migration kind's protocol, as a value that owns its typed phase.
///
/// A strategy never sees the cluster. The engine (``ClusterSimulation``)
/// calls ``start(_:_:)`` once the migration has its concurrency slots and a
/// target, then ``advance(_:_:_:)`` each time the transfer or wait it asked
/// for is over. Every call returns exactly one ``Next``: the one thing the
/// migration does next. Because a step cannot call back into the engine,
/// nothing it writes can be lost to a re-entrant call.
///
/// Each conforming type lives in a file of its own under `Strategies/` and
/// reads top to bottom as the protocol it models, with its sources.
protocol MigrationStrategy {
    /// The state before the first step.
    init(_ ctx: MigrationContext)
    /// The first step, when the migration starts.
    mutating func start(_ ctx: MigrationContext, _ record: inout MigrationRecord) -> Next
    /// The step after the transfer or the wait asked for last is over.
    mutating func advance(_ event: MigrationEvent, _ ctx: MigrationContext, _ record: inout MigrationRecord) -> Next
}

/// What a migration was waiting for, now over.
enum MigrationEvent {
    /// The transfer asked for by ``Next/transfer(bytes:over:cap:streams:streamCeiling:)`` delivered its bytes.
    case transferred(TransferDone)
    /// The wait asked for by ``Next/wait(_:)`` ended.
    case waited
}

/// A finished transfer: all its bytes arrived.
struct TransferDone {
    /// Bytes moved (all streams).
    let bytes: Double
    /// Seconds from its start until its last stream finished, without
    /// rounding to the nanosecond clock (``FlowCompletion/exactDuration``).
    let exactDuration: Double
}

/// The one thing a migration does next.
enum Next {
    /// Move `bytes` over `route`, at most `cap` bytes/s in all, max-min shared
    /// with every other transfer on the way; as `streams` parallel flows of
    /// equal size (QEMU multifd channels), each also held to `streamCeiling`
    /// bytes/s (a sender thread's CPU).
    case transfer(bytes: Double, over: Route, cap: Double = .infinity, streams: Int = 1, streamCeiling: Double = .infinity)
    /// Let `seconds` of simulated time pass (rounded up to whole nanoseconds).
    case wait(Double)
    /// The VM runs on the target; release the slots.
    case finish
    /// The VM stays on the source; release the slots and the target's memory.
    case abort
}

/// Where a transfer's bytes go between the migration's source and target
/// hosts; the engine turns a route into the resources on its path.
enum Route {
    /// Source NIC out, the racks' uplinks when the racks differ, the core
    /// link when there is one, target NIC in.
    case network
    /// Source disk read, the network, target disk write.
    case diskToDisk
    /// The shared storage's write bandwidth (SAN, CSV).
    case sharedStorageWrite
    /// The shared storage's read bandwidth.
    case sharedStorageRead
    /// The source host's local disk write.
    case sourceDiskWrite
    /// The target host's local disk read.
    case targetDiskRead
    /// The target host's local disk read and write at once (merging a differencing disk).
    case targetDiskReadWrite
}

/// The narrow view a strategy has of the run: the time, its VM and hosts,
/// the settings, random streams of its own, and the round log.
struct MigrationContext {
    /// The current simulated time.
    let now: SimTime
    /// When this migration started (got its slots).
    let startedAt: SimTime
    /// The migrating VM's index.
    let vm: Int
    let source: Int
    let target: Int
    /// Which migration of this VM in this run this is, from 0 (the stream occurrence).
    let occurrence: UInt64
    /// Payload capacity of the network path from source to target (its narrowest resource), bytes/s.
    let pathCapacity: Double
    /// Which of the run's settings this migration uses (0: the scenario's; a plan row may name another policy).
    let variant: Int
    /// The run's shared state. Unowned and unchecked: a context lives for one
    /// step of the simulation that holds the environment, and a counted
    /// reference cost a retain and a release per step.
    unowned(unsafe) let environment: MigrationEnvironment

    init(now: SimTime, startedAt: SimTime, vm: Int, source: Int, target: Int, occurrence: UInt64, pathCapacity: Double,
         variant: Int, environment: MigrationEnvironment) {
        self.now = now
        self.startedAt = startedAt
        self.vm = vm
        self.source = source
        self.target = target
        self.occurrence = occurrence
        self.pathCapacity = pathCapacity
        self.variant = variant
        self.environment = environment
        self.settingsAddress = environment.settingsBox(variant).address
        self.recordsRounds = environment.roundLog.enabled
    }

    var seconds: Double { now.seconds }
    /// The migrating VM's spec, read where it lies (`_read`: a getter copied
    /// all of it, with a retain of each array in it, to read one field).
    var spec: VMSpec { _read { yield environment.vms[vm] } }
    /// This migration's settings, read where they lie (the address of the
    /// environment's ``SettingsBox``): a step reads a few fields, and a copy
    /// of the whole value, or even a counted reference to its box, cost a
    /// retain and a release per step.
    var settings: MigrationSettings { unsafeAddress { settingsAddress } }
    private let settingsAddress: UnsafePointer<MigrationSettings>
    /// Whether rounds are recorded, read when the context is made, so that a
    /// round that records none touches no shared state.
    private let recordsRounds: Bool
    /// Latency before every pre-copy round's transfer, seconds.
    var roundLatency: Double { environment.cluster.roundLatency }

    /// Seconds from `t` to now.
    func seconds(since t: SimTime) -> Double { now.seconds - t.seconds }

    /// This migration's stream for `purpose`: keyed by (seed, run, VM, purpose,
    /// occurrence), so a VM's second migration draws new numbers and no other
    /// entity's numbers move.
    ///
    /// Every stream of a migration (and of its VM's dirty model and write
    /// rate) is a taus2 (L'Ecuyer's maximally equidistributed combined
    /// Tausworthe generator; one of the generators the GSL manual recommends
    /// for simulation, section "Random number generator algorithms"): its
    /// state is 3 words, where an MT19937's 624 words must be seeded and
    /// twisted first, about 5 µs per stream (half of a 100,000-VM rolling
    /// maintenance run, with two streams per migration; README, "Randomness").
    func stream(_ purpose: StreamPurpose) -> RandomStream {
        RandomStream(key(purpose), kind: .taus2)
    }

    func key(_ purpose: StreamPurpose) -> StreamKey {
        StreamKey(seed: environment.seed, run: environment.run, entity: UInt64(vm), purpose: purpose, occurrence: occurrence)
    }

    /// One draw of `distribution` from this migration's stream for `purpose`, floored at 0.
    func draw(_ distribution: Distribution, _ purpose: StreamPurpose) -> Double {
        max(0, distribution.sample(stream(purpose)))
    }

    /// Appends a row to `rounds.csv` (when rounds are recorded).
    /// The row is built only then: most large runs record no rounds.
    @inline(__always) func log(_ round: @autoclosure () -> RoundRecord) {
        if recordsRounds { environment.roundLog.append(round()) }
    }

    /// A step that cannot happen: the engine delivered an event the phase does
    /// not wait for. Always a bug in migsim, never bad input.
    func unexpected(_ event: MigrationEvent, in phase: Any, of kind: String) -> Never {
        preconditionFailure("\(kind) migration of VM \(vm): \(event) in phase \(phase)")
    }
}

/// One variant's settings, at a fixed address for as long as the environment
/// holds the box: every step's context reads them there.
final class SettingsBox {
    let address: UnsafePointer<MigrationSettings>
    var value: MigrationSettings { address.pointee }

    init(_ value: MigrationSettings) {
        let p = UnsafeMutablePointer<MigrationSettings>.allocate(capacity: 1)
        p.initialize(to: value)
        address = UnsafePointer(p)
    }

    deinit {
        let p = UnsafeMutablePointer(mutating: address)
        p.deinitialize(count: 1)
        p.deallocate()
    }
}

/// What every migration of a run shares and never changes: the cluster, the
/// VMs, the settings, the seed, plus the log rounds are appended to.
final class MigrationEnvironment {
    let cluster: ClusterSpec
    let vms: [VMSpec]
    /// The scenario's settings first, then one per other policy a plan names
    /// (that preset with its own rate limit, throttling and mechanisms).
    @exclusivity(unchecked) private var variants: [SettingsBox]
    let seed: UInt64
    let run: UInt64
    /// Rows of `rounds.csv`, kept in place (a struct, not a shared object:
    /// checking whether rounds are recorded cost a retain and a release per round).
    @exclusivity(unchecked) var roundLog = RoundLog()

    init(cluster: ClusterSpec, vms: [VMSpec], settings: MigrationSettings, seed: UInt64, run: UInt64) {
        self.cluster = cluster
        self.vms = vms
        self.variants = [SettingsBox(settings)]
        self.seed = seed
        self.run = run
    }

    @inline(__always) func settings(_ variant: Int) -> MigrationSettings { variants[variant].value }
    @inline(__always) func settingsBox(_ variant: Int) -> SettingsBox { variants[variant] }

    /// Adds the settings for `policy` unless it is the scenario's or already there.
    func addVariant(_ policy: PolicyPreset) {
        guard variant(for: policy) == 0, policy.name != variants[0].value.policy.name else { return }
        var s = variants[0].value
        s.policy = policy
        s.rateLimit = policy.defaultRateLimit
        s.throttle = policy.defaultThrottle
        s.mechanisms = policy.defaultMechanisms
        variants.append(SettingsBox(s))
    }

    /// The settings index of `policy` (0: the scenario's, also for `nil` or a policy not added).
    func variant(for policy: PolicyPreset?) -> Int {
        guard let p = policy else { return 0 }
        return variants.firstIndex { $0.value.policy.name == p.name } ?? 0
    }
}

/// The rows of `rounds.csv` collected during a run.
struct RoundLog {
    /// Whether to keep rows (off for very large runs).
    var enabled = true
    private(set) var rows: [RoundRecord] = []
    @inline(__always) mutating func append(_ r: @autoclosure () -> RoundRecord) { if enabled { rows.append(r()) } }
}

/// A migration's strategy and typed state: one case per kind, dispatched by
/// `switch` (a closed set; no existential on the per-round path), each
/// state in its own ``StrategyBox``.
enum MigrationState {
    case live(StrategyBox<LiveMigration>)
    case postCopy(StrategyBox<PostCopyMigration>)
    case quick(StrategyBox<QuickMigration>)
    case storage(StrategyBox<StorageMigration>)
    case liveStorage(StrategyBox<LiveStorageMigration>)
    case offline(StrategyBox<OfflineMigration>)
    case failoverRestart(StrategyBox<FailoverRestart>)

    init(_ kind: MigrationKind, _ ctx: MigrationContext) {
        switch kind {
        case .live: self = .live(StrategyBox(LiveMigration(ctx)))
        case .postCopy: self = .postCopy(StrategyBox(PostCopyMigration(ctx)))
        case .quick: self = .quick(StrategyBox(QuickMigration(ctx)))
        case .storage: self = .storage(StrategyBox(StorageMigration(ctx)))
        case .liveStorage: self = .liveStorage(StrategyBox(LiveStorageMigration(ctx)))
        case .offline: self = .offline(StrategyBox(OfflineMigration(ctx)))
        case .failoverRestart: self = .failoverRestart(StrategyBox(FailoverRestart(ctx)))
        }
    }

    /// Runs the strategy's first step (`event == nil`) or its next one.
    func step(_ event: MigrationEvent?, _ ctx: MigrationContext, _ record: inout MigrationRecord) -> Next {
        switch self {
        case .live(let b): return Self.step(&b.value, event, ctx, &record)
        case .postCopy(let b): return Self.step(&b.value, event, ctx, &record)
        case .quick(let b): return Self.step(&b.value, event, ctx, &record)
        case .storage(let b): return Self.step(&b.value, event, ctx, &record)
        case .liveStorage(let b): return Self.step(&b.value, event, ctx, &record)
        case .offline(let b): return Self.step(&b.value, event, ctx, &record)
        case .failoverRestart(let b): return Self.step(&b.value, event, ctx, &record)
        }
    }

    @inline(__always)
    private static func step<S: MigrationStrategy>(_ s: inout S, _ event: MigrationEvent?, _ ctx: MigrationContext,
                                                   _ record: inout MigrationRecord) -> Next {
        if let event { return s.advance(event, ctx, &record) }
        return s.start(ctx, &record)
    }
}

/// One migration's strategy state, held by reference so that a step mutates
/// it where it lies: an enum payload held by value was copied out and back
/// on every step (a move of a few hundred bytes and a retain and release of
/// each array in it; 12 % of a 20,000-migration run).
///
/// Only ``MigrationState/step(_:_:_:)`` reaches `value`, and a step cannot
/// reach back into another migration's box, so the exclusivity checks are
/// left out, as for the kernel's and the network's state.
final class StrategyBox<S: MigrationStrategy> {
    @exclusivity(unchecked) var value: S

    init(_ value: S) { self.value = value }
}
