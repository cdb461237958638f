/// A per-migration cap on the pre-copy send rate, in bytes per second.
public enum RateLimit: Sendable, Equatable {
    case unlimited
    /// A fixed cap (QEMU `max-bandwidth`, default 128 MiB/s).
    case fixed(Double)
    /// Xen's dynamic rate limit (Clark et al., NSDI 2005, section 5.1): round 1
    /// runs at `min`; each later round at the previous round's dirtying rate
    /// plus `step`, clamped to [`min`, `max`]; stop-and-copy at `max`.
    case adaptive(min: Double, max: Double, step: Double)

    /// Cap for pre-copy round `round` (1-based), given the previous round's
    /// dirtying rate in bytes/s.
    public func cap(round: Int, previousDirtyRate: Double) -> Double {
        switch self {
        case .unlimited: return .infinity
        case .fixed(let c): return c
        case let .adaptive(lo, hi, step):
            if round <= 1 { return lo }
            return Swift.min(hi, Swift.max(lo, previousDirtyRate + step))
        }
    }

    /// Whether `cap` is the top of an adaptive limit (Xen's `RATE_IS_MAX()`).
    /// Fixed caps and no limit never count as "at maximum".
    public func isAtMaximum(_ cap: Double) -> Bool {
        if case .adaptive(_, let hi, _) = self { return cap >= hi }
        return false
    }

    /// Cap for the stop-and-copy transfer.
    public var stopAndCopyCap: Double {
        switch self {
        case .unlimited: return .infinity
        case .fixed(let c): return c
        case .adaptive(_, let hi, _): return hi
        }
    }
}
