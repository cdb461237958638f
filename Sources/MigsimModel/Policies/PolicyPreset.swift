/// One of the named stop policies, as a closed set dispatched by `switch`
/// (no existential on the per-round path).
public enum PolicyPreset: Sendable {
    case hyperV(HyperVPolicy)
    case qemu(QEMUPolicy)
    case xenLegacy(XenLegacyPolicy)
    case xen(XenPolicy)
    case vmware(VMwarePolicy)
    case simgrid(SimGridPolicy)
    case custom(CustomPolicy)

    /// Accepted preset names, in documentation order.
    public static let names = ["hyperv-2008r2", "hyperv-2012r2", "qemu", "xen-legacy", "xen", "vmware", "simgrid", "custom"]

    /// The preset called `name` with its published defaults.
    public init?(name: String) {
        switch name {
        case "hyperv-2008r2": self = .hyperV(.hyperV2008R2)
        case "hyperv-2012r2": self = .hyperV(.hyperV2012R2)
        case "qemu": self = .qemu(QEMUPolicy())
        case "xen-legacy": self = .xenLegacy(XenLegacyPolicy())
        case "xen": self = .xen(XenPolicy())
        case "vmware": self = .vmware(VMwarePolicy())
        case "simgrid": self = .simgrid(SimGridPolicy())
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
        case .custom(let p): return p.name
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
        case .custom(let p): return p.decide(o)
        }
    }

    /// The per-migration bandwidth limit the real system applies by default.
    public var defaultRateLimit: RateLimit {
        switch self {
        case .qemu: return .fixed(128 * 1024 * 1024)
        case .xenLegacy: return .adaptive(min: 100 * 1e6 / 8, max: 500 * 1e6 / 8, step: 50 * 1e6 / 8)
        default: return .unlimited
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
