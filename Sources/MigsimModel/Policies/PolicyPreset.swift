/// One of the named stop policies, as a closed set dispatched by `switch`
/// (no existential on the per-round path).
public enum PolicyPreset: Sendable {
    case hyperV(HyperVPolicy)
    case qemu(QEMUPolicy)
    case xenLegacy(XenLegacyPolicy)
    case xen(XenPolicy)
    case vmware(VMwarePolicy)
    case simgrid(SimGridPolicy)
    case nova(NovaPolicy)
    case custom(CustomPolicy)
    /// A stop policy written outside migsim (see `experiments/extending/`):
    /// dispatched through the protocol, with no rate limit, throttling or
    /// mechanisms of its own.
    case user(any StopPolicy)

    /// Accepted preset names, in documentation order.
    public static let names = ["hyperv-2008r2", "hyperv-2012r2", "qemu", "xen-legacy", "xen-2005", "xen", "vmware", "simgrid", "nova", "custom"]

    /// The preset called `name` with its published defaults.
    public init?(name: String) {
        switch name {
        case "hyperv-2008r2": self = .hyperV(.hyperV2008R2)
        case "hyperv-2012r2": self = .hyperV(.hyperV2012R2)
        case "qemu": self = .qemu(QEMUPolicy())
        case "xen-legacy": self = .xenLegacy(.released)
        case "xen-2005": self = .xenLegacy(.paper2005)
        case "xen": self = .xen(XenPolicy())
        case "vmware": self = .vmware(VMwarePolicy())
        case "simgrid": self = .simgrid(SimGridPolicy())
        case "nova": self = .nova(NovaPolicy())
        case "custom": self = .custom(CustomPolicy(maxRounds: 30, thresholdBytes: 1024 * 1024))
        default: return nil
        }
    }

    public var name: String {
        switch self {
        case .hyperV(let p): return p.name
        case .qemu(let p): return p.name
        case .xenLegacy(let p): return p.name
        case .xen(let p): return p.name
        case .vmware(let p): return p.name
        case .simgrid(let p): return p.name
        case .nova(let p): return p.name
        case .custom(let p): return p.name
        case .user(let p): return p.name
        }
    }

    @inlinable public func decide(_ o: RoundObservation) -> StopDecision {
        switch self {
        case .hyperV(let p): return p.decide(o)
        case .qemu(let p): return p.decide(o)
        case .xenLegacy(let p): return p.decide(o)
        case .xen(let p): return p.decide(o)
        case .vmware(let p): return p.decide(o)
        case .simgrid(let p): return p.decide(o)
        case .nova(let p): return p.decide(o)
        case .custom(let p): return p.decide(o)
        case .user(let p): return p.decide(o)
        }
    }

    /// The downtime limit the policy's switch-over test uses after `elapsed`
    /// seconds with `dataGB` of memory and disk, for a continuous switch-over
    /// check; `nil` for policies that decide only at round ends.
    public func switchoverDowntime(elapsed: Double, dataGB: Double) -> Double? {
        switch self {
        case .qemu(let p): return p.downtimeLimit
        case .nova(let p): return p.downtimeLimit(elapsed: elapsed, dataGB: dataGB)
        default: return nil
        }
    }

    /// The per-migration bandwidth limit the real system applies by default.
    ///
    /// QEMU: `max-bandwidth` = `MAX_THROTTLE` (128 << 20) bytes/s
    /// (`migration/options.c`). Xen 2005 build: `START_MBIT_RATE` 100,
    /// `MAX_MBIT_RATE` 500, each round the measured dirtying rate + 50 Mbit/s
    /// when that is higher (`print_stats` in `xc_domain_save.c`, under
    /// `ADAPTIVE_SAVE`). Released Xen has no limiter (`ratewrite` is a plain write).
    public var defaultRateLimit: RateLimit {
        switch self {
        // Nova passes live_migration_bandwidth = 0 ("the hypervisor will choose");
        // migsim takes QEMU's default for it (libvirt's own choice not verified).
        case .qemu, .nova: return .fixed(128 * 1024 * 1024)
        case .xenLegacy(let p) where p.adaptive: return .adaptive(min: 100 * 1e6 / 8, max: 500 * 1e6 / 8, step: 50 * 1e6 / 8)
        default: return .unlimited
        }
    }

    /// The mechanisms the real system applies by default (issue 13).
    ///
    /// - QEMU: stop-and-copy runs with the rate limit disabled
    ///   (`migration/migration.c`, `migration_completion_precopy`:
    ///   `migration_rate_set(RATE_LIMIT_DISABLED)` after the VM stops); a zero
    ///   page costs 9 bytes on the wire (`migration/ram.c`, `save_zero_page`:
    ///   an 8-byte `save_page_header` with `RAM_SAVE_FLAG_ZERO` and one byte).
    /// - Xen (both builds of `xc_domain_save.c`): pages dirtied again since the
    ///   round began are skipped (`to_skip`, peeked from the log-dirty bitmap
    ///   per batch); zero pages are sent whole. The released tool has no rate
    ///   limiter, and its last iteration is written through `outbuf_hardwrite`,
    ///   not `ratewrite` (RELEASE-4.1.0), so stop-and-copy is uncapped; the
    ///   2005 build wrote every iteration through `ratewrite` (RELEASE-3.0.0),
    ///   so its stop-and-copy runs at the adaptive rate.
    /// - Xen migration v2 (`xg_sr_save.c`): no skip bitmap, no rate limiter.
    /// - QEMU: the switch-over test runs on every pass of the migration
    ///   thread (`migration/migration.c`, `migration_iteration_run`: when
    ///   `qemu_savevm_state_pending_estimate` falls below `threshold_size` =
    ///   bandwidth x `downtime-limit`, it syncs the dirty bitmap
    ///   (`qemu_savevm_state_pending_exact`) and completes if the exact
    ///   pending is still below), so a round can end part-way
    ///   (``Mechanisms/continuousSwitchover``).
    /// - Hyper-V, VMware: no published zero-page or skip rule found; every
    ///   page is sent whole (migsim's assumption). SimGrid's plugin has none
    ///   of these mechanisms.
    public var defaultMechanisms: Mechanisms {
        switch self {
        case .qemu, .nova: return Mechanisms(uncappedStopAndCopy: true, zeroPageBytes: 9, continuousSwitchover: true)
        case .xenLegacy(let p): return Mechanisms(uncappedStopAndCopy: !p.adaptive, skipRedirtied: true)
        case .xen: return Mechanisms(uncappedStopAndCopy: true)
        default: return .none
        }
    }

    /// Whether the stop-and-copy transfer, like every pre-copy round, waits for
    /// the cluster's round latency first. SimGrid sends stage 3 as one more
    /// message over the route, latency included (`sendMigrationData` in
    /// SimGrid 3.32 `src/plugins/vm/VmLiveMigration.cpp`); the other presets
    /// keep migsim's original rule (no latency before stop-and-copy).
    public var stopAndCopyPaysLatency: Bool {
        switch self {
        case .simgrid: return true
        default: return false
        }
    }

    /// The vCPU throttling the real system applies by default.
    public var defaultThrottle: ThrottleMode {
        switch self {
        case .vmware: return .sdps(targetRatio: 0.8)
        default: return .none
        }
    }
}

/// Presets are equal when their names are (a plan's rows compare policies by name).
extension PolicyPreset: Equatable {
    public static func == (a: PolicyPreset, b: PolicyPreset) -> Bool { a.name == b.name }
}
