/// What a random stream is used for; part of every stream's key.
///
/// Purposes are named by strings so that adding a purpose never renumbers
/// another. The name is hashed with 64-bit FNV-1a, which (unlike Swift's
/// `Hasher`) is stable across processes and machines.
public struct StreamPurpose: Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let name: String
    /// FNV-1a 64 of the UTF-8 bytes of `name`.
    public let code: UInt64

    public init(_ name: String) {
        self.name = name
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in name.utf8 {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01B3
        }
        self.code = h
    }
    public init(stringLiteral value: String) { self.init(value) }
    public var description: String { name }
}

/// The identity of one random stream: (base seed, run, entity, purpose, occurrence).
///
/// Every random number in a simulation comes from a stream named by such a
/// key, never from the order in which events or workers run. Two keys that
/// differ in any field give unrelated streams, so adding a VM (a new entity)
/// leaves every other VM's numbers unchanged (ns-3's seed + run + stream).
/// `occurrence` numbers the uses of one (entity, purpose) pair: a VM's
/// second migration draws its LUN failover from occurrence 1, not again
/// from occurrence 0.
///
/// **Mixing function.** The 64-bit stream seed is
/// ```
/// h = splitmix64(seed)
/// h = splitmix64(h ^ run)
/// h = splitmix64(h ^ entity)
/// h = splitmix64(h ^ fnv1a64(purpose))
/// h = splitmix64(h ^ occurrence)      only when occurrence != 0
/// ```
/// where `splitmix64(x)` is Steele, Lea and Flood's SplitMix64 finaliser of
/// `x + 0x9E3779B97F4A7C15`. Occurrence 0 skips the last step, so a first
/// use keeps the stream its four-field key had before occurrences existed.
/// See ``RandomStream`` for how the seed reaches GSL.
public struct StreamKey: Hashable, Sendable, CustomStringConvertible {
    public var seed: UInt64
    public var run: UInt64
    public var entity: UInt64
    public var purpose: StreamPurpose
    /// Which use of (entity, purpose) this is, from 0.
    public var occurrence: UInt64

    public init(seed: UInt64, run: UInt64 = 0, entity: UInt64 = 0, purpose: StreamPurpose, occurrence: UInt64 = 0) {
        self.seed = seed
        self.run = run
        self.entity = entity
        self.purpose = purpose
        self.occurrence = occurrence
    }

    /// The mixed 64-bit seed of this stream (see the type's documentation).
    public var mixed: UInt64 {
        var h = splitmix64(seed)
        h = splitmix64(h ^ run)
        h = splitmix64(h ^ entity)
        h = splitmix64(h ^ purpose.code)
        return occurrence == 0 ? h : splitmix64(h ^ occurrence)
    }

    public var description: String {
        "(seed \(seed), run \(run), entity \(entity), \(purpose)" + (occurrence == 0 ? ")" : ", occurrence \(occurrence))")
    }
}

/// SplitMix64's output function applied to `x + golden gamma`.
@inlinable public func splitmix64(_ x: UInt64) -> UInt64 {
    var z = x &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

/// SplitMix64 as a tiny seeded generator, for benchmarks and randomized tests.
///
/// Not for simulations: model randomness comes from GSL streams keyed by
/// ``StreamKey``. This one exists so that benchmark loops cost a few
/// instructions per number and a failing test seed fails again.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64

    @inlinable public init(seed: UInt64) { state = seed }

    /// The next 64 bits: ``splitmix64(_:)`` of the state, which then advances by the golden gamma.
    @inlinable public mutating func next() -> UInt64 {
        defer { state &+= 0x9E37_79B9_7F4A_7C15 }
        return splitmix64(state)
    }

    /// Uniform in [0, 1) with 53 random bits.
    @inlinable public mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }
}
