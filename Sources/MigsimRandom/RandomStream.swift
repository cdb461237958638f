import CGSL

/// Which GSL generator algorithm backs a stream.
public enum GeneratorKind: String, Sendable, CaseIterable {
    /// Mersenne Twister MT19937 (`gsl_rng_mt19937`); the default.
    case mt19937
    /// Tausworthe taus2 (`gsl_rng_taus2`); smaller state, faster, for hot loops.
    case taus2
}

/// A seeded GSL random number generator, owned by Swift.
///
/// Wraps a `gsl_rng *` allocated with `gsl_rng_alloc` and freed in `deinit`;
/// the pointer never leaves this module.
///
/// **Seeding.** GSL's mt19937 and taus2 use only the low 32 bits of the seed
/// passed to `gsl_rng_set`, and mt19937 maps seed 0 to its default 4357. So the
/// 64-bit mixed key (``StreamKey/mixed``) is folded to 32 bits as
/// `lo32 ^ hi32`, and a fold of 0 is replaced by `0x6A09E667`. Distinct keys can
/// therefore collide with probability about 2^-32 per pair; no key maps to the
/// stream of seed 0 = 4357 except by that chance.
///
/// A stream is a reference type because it is a mutable resource; it is not
/// `Sendable`: give each thread (in practice each simulation) its own streams.
public final class RandomStream {
    @usableFromInline let rng: UnsafeMutablePointer<gsl_rng>
    /// The key this stream was derived from, if any.
    public let key: StreamKey?
    public let kind: GeneratorKind
    /// The 32-bit seed actually passed to `gsl_rng_set`.
    public let gslSeed: UInt32

    /// A stream for `key`.
    public convenience init(_ key: StreamKey, kind: GeneratorKind = .mt19937) {
        self.init(mixedSeed: key.mixed, key: key, kind: kind)
    }

    /// A stream seeded directly from a 64-bit value (folded as described above).
    public convenience init(seed: UInt64, kind: GeneratorKind = .mt19937) {
        self.init(mixedSeed: splitmix64(seed), key: nil, kind: kind)
    }

    private init(mixedSeed: UInt64, key: StreamKey?, kind: GeneratorKind) {
        _ = gslErrorHandlerDisabled
        let type: UnsafePointer<gsl_rng_type>
        switch kind {
        case .mt19937: type = migsim_gsl_rng_mt19937()
        case .taus2: type = migsim_gsl_rng_taus2()
        }
        guard let r = gsl_rng_alloc(type) else { fatalError("gsl_rng_alloc: out of memory") }
        var s = UInt32(truncatingIfNeeded: mixedSeed) ^ UInt32(truncatingIfNeeded: mixedSeed >> 32)
        if s == 0 { s = 0x6A09_E667 }
        gsl_rng_set(r, UInt(s))
        self.rng = r
        self.key = key
        self.kind = kind
        self.gslSeed = s
    }

    /// A stream in this one's current state (`gsl_rng_clone`): it draws what
    /// this one draws next, and the two go on independently of each other.
    /// For looking ahead without consuming the original's numbers.
    public func copy() -> RandomStream { RandomStream(cloning: self) }

    private init(cloning other: RandomStream) {
        guard let r = gsl_rng_clone(other.rng) else { fatalError("gsl_rng_clone: out of memory") }
        self.rng = r
        self.key = other.key
        self.kind = other.kind
        self.gslSeed = other.gslSeed
    }

    deinit { gsl_rng_free(rng) }

    /// A uniform double in [0, 1) (`gsl_rng_uniform`).
    @inlinable public func uniform() -> Double { migsim_gsl_rng_uniform(rng) }

    /// A uniform double in (0, 1) (`gsl_rng_uniform_pos`).
    @inlinable public func uniformPositive() -> Double { gsl_rng_uniform_pos(rng) }

    /// The generator's raw 32-bit output (`gsl_rng_get`); both kinds return
    /// all 32 bits.
    @inlinable public func next32() -> UInt32 { UInt32(truncatingIfNeeded: migsim_gsl_rng_get(rng)) }

    /// A uniform integer in `0..<n` by Lemire's multiply-shift on 32 raw bits.
    ///
    /// The bias is below `n / 2^32`, negligible for page indices (n < 2^28).
    @inlinable public func index(below n: UInt32) -> UInt32 {
        UInt32(truncatingIfNeeded: (UInt64(next32()) &* UInt64(n)) >> 32)
    }

    /// Internal access for distribution sampling inside this module.
    @usableFromInline var raw: UnsafePointer<gsl_rng> { UnsafePointer(rng) }
}

extension RandomStream {
    /// One Poisson draw with mean `mu` (`gsl_ran_poisson`), for model hot paths
    /// that already hold a valid mean. Requires `0 <= mu < 4e9`.
    @inlinable public func poisson(mean mu: Double) -> UInt32 {
        precondition(mu >= 0 && mu < 4e9, "poisson mean \(mu) outside [0, 4e9)")
        return gsl_ran_poisson(raw, mu)
    }

    /// One binomial draw (`gsl_ran_binomial`). Requires `p` in [0, 1].
    @inlinable public func binomial(p: Double, n: UInt32) -> UInt32 {
        precondition(p >= 0 && p <= 1, "binomial p \(p) outside [0, 1]")
        return gsl_ran_binomial(raw, p, n)
    }
}

/// Quantile of Student's t distribution with `dof` degrees of freedom
/// (`gsl_cdf_tdist_Pinv`). Used for confidence intervals.
public func studentTQuantile(_ p: Double, dof: Double) -> Double {
    _ = gslErrorHandlerDisabled
    precondition(p > 0 && p < 1 && dof > 0)
    return gsl_cdf_tdist_Pinv(p, dof)
}
