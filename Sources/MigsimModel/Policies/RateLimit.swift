/// A per-migration cap on the pre-copy send rate, in bytes per second.
public enum RateLimit: Sendable, Equatable {
    case unlimited
    /// A fixed cap (QEMU `max-bandwidth`, default 128 MiB/s).
    case fixed(Double)
    /// Xen's dynamic rate limit (Clark et al., NSDI 2005, section 5.1; Xen
    /// `xc_domain_save.c` under `ADAPTIVE_SAVE`): round 1 runs at `min`; after
    /// each round, when the dirtying rate measured over it exceeds the current
    /// rate, the rate becomes that dirtying rate plus `step`, at most `max`;
    /// it never falls (`print_stats`).
    case adaptive(min: Double, max: Double, step: Double)

    /// Cap for pre-copy round `round` (1-based), given the cap of the round
    /// before (`previousCap`, unused in round 1) and its dirtying rate, bytes/s.
    public func cap(round: Int, previousCap: Double, previousDirtyRate: Double) -> Double {
        switch self {
        case .unlimited: return .infinity
        case .fixed(let c): return c
        case let .adaptive(lo, hi, step):
            if round <= 1 { return lo }
            return previousDirtyRate > previousCap ? Swift.min(hi, previousDirtyRate + step) : previousCap
        }
    }

    /// Whether `cap` is the top of an adaptive limit (Xen's `RATE_IS_MAX()`).
    /// Fixed caps and no limit never count as "at maximum".
    public func isAtMaximum(_ cap: Double) -> Bool {
        if case .adaptive(_, let hi, _) = self { return cap >= hi }
        return false
    }


}
