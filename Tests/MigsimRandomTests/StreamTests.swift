import MigsimRandom
import XCTest

/// Stream identity: one stream per (seed, run, entity, purpose), unaffected by
/// any other stream.
final class StreamTests: XCTestCase {
    func draws(_ stream: RandomStream, _ n: Int = 64) -> [UInt32] { (0..<n).map { _ in stream.next32() } }
    func draws(_ key: StreamKey, kind: GeneratorKind = .mt19937) -> [UInt32] { draws(RandomStream(key, kind: kind)) }

    /// Adding streams for other entities (ns-3: adding objects) leaves entity 3's numbers unchanged.
    func testEntityStreamUnaffectedByOtherStreams() throws {
        let key = StreamKey(seed: 42, run: 1, entity: 3, purpose: "arrivals")
        let exponential = try Distribution.exponential(mean: 1)
        // Raw words and distribution samples, alternating.
        func take(_ s: RandomStream, interleaving others: [RandomStream] = []) -> [Double] {
            (0..<200).map { i in
                for o in others where i < 50 { _ = exponential.sample(o) }
                return i.isMultiple(of: 2) ? Double(s.next32()) : exponential.sample(s)
            }
        }
        let alone = take(RandomStream(key))

        var others: [RandomStream] = []
        for entity in 0..<100 as Range<UInt64> where entity != 3 {
            let o = RandomStream(StreamKey(seed: 42, run: 1, entity: entity, purpose: "arrivals"))
            for _ in 0..<Int(entity) { _ = o.next32() }
            others.append(o)
        }
        XCTAssertEqual(take(RandomStream(key), interleaving: others), alone)
        XCTAssertNotEqual(take(others[3]), alone, "test premise: entity 4's stream differs")
    }

    func testSameKeyGivesIdenticalStreams() {
        let key = StreamKey(seed: 9, run: 2, entity: 5, purpose: "pages")
        for kind in GeneratorKind.allCases {
            XCTAssertEqual(draws(key, kind: kind), draws(key, kind: kind))
            XCTAssertEqual(RandomStream(key, kind: kind).gslSeed, RandomStream(key, kind: kind).gslSeed)
        }
        XCTAssertEqual(draws(RandomStream(seed: 77)), draws(RandomStream(seed: 77)))
        XCTAssertNil(RandomStream(seed: 77).key)
        XCTAssertEqual(StreamKey(seed: 1, purpose: "x"), StreamKey(seed: 1, run: 0, entity: 0, purpose: StreamPurpose("x")))
    }

    /// A copy draws what its original draws next, and drawing from one does
    /// not move the other.
    func testCopyDrawsWhatTheOriginalDrawsNext() {
        for kind in GeneratorKind.allCases {
            let s = RandomStream(StreamKey(seed: 9, purpose: "copy"), kind: kind)
            _ = draws(s, 10)
            let c = s.copy()
            let ahead = draws(c, 100)
            XCTAssertEqual(draws(s, 100), ahead, "\(kind)")
            XCTAssertNotEqual(draws(c, 100), ahead, "the copy went on by itself")
            XCTAssertEqual(c.gslSeed, s.gslSeed)
        }
    }

    func testEveryKeyFieldSelectsADifferentStream() {
        let base = StreamKey(seed: 9, run: 2, entity: 5, purpose: "pages")
        var variants = [base]
        var k = base
        k.seed = 10; variants.append(k)
        k = base; k.run = 3; variants.append(k)
        k = base; k.entity = 6; variants.append(k)
        k = base; k.purpose = "page"; variants.append(k)
        k = base; k.purpose = "Pages"; variants.append(k)
        // Fields are not interchangeable: swapping run and entity gives another stream.
        variants.append(StreamKey(seed: 9, run: 5, entity: 2, purpose: "pages"))
        let streams = variants.map { draws($0) }
        XCTAssertEqual(Set(streams).count, streams.count, "two distinct keys gave the same stream")
        XCTAssertEqual(Set(variants.map(\.mixed)).count, variants.count)
        // The two generator kinds differ for one key.
        XCTAssertNotEqual(draws(base, kind: .mt19937), draws(base, kind: .taus2))
    }

    /// GSL's mt19937 maps seed 0 to 4357; the mixing keeps those keys apart.
    func testSeedZeroAndDefaultSeedDoNotAlias() {
        for kind in GeneratorKind.allCases {
            let zero = RandomStream(StreamKey(seed: 0, purpose: "p"), kind: kind)
            let mtDefault = RandomStream(StreamKey(seed: 4357, purpose: "p"), kind: kind)
            XCTAssertNotEqual(zero.gslSeed, mtDefault.gslSeed)
            XCTAssertNotEqual(draws(zero), draws(mtDefault))
        }
        XCTAssertNotEqual(draws(RandomStream(seed: 0)), draws(RandomStream(seed: 4357)))
    }

    /// The documented mixing and 32-bit fold; never seed 0.
    func testSeedMixingAndFold() {
        // Known answers: SplitMix64's first output for state 0, and FNV-1a 64 test vectors.
        XCTAssertEqual(splitmix64(0), 0xE220_A839_7B1D_CDAF)
        XCTAssertEqual(StreamPurpose("").code, 0xCBF2_9CE4_8422_2325)
        XCTAssertEqual(StreamPurpose("a").code, 0xAF63_DC4C_8601_EC8C)
        XCTAssertEqual(StreamPurpose("foobar").code, 0x8594_4171_F739_67E8)

        var rng = SplitMix64(seed: 5)
        var seeds = Set<UInt32>()
        for i in 0..<20_000 {
            let key = StreamKey(seed: UInt64(i % 100), run: UInt64(i / 100), entity: rng.next() % 1_000,
                                purpose: StreamPurpose("p\(i % 7)"))
            var h = splitmix64(key.seed)
            h = splitmix64(h ^ key.run)
            h = splitmix64(h ^ key.entity)
            h = splitmix64(h ^ key.purpose.code)
            XCTAssertEqual(key.mixed, h)
            let stream = RandomStream(key)
            let fold = UInt32(truncatingIfNeeded: h) ^ UInt32(truncatingIfNeeded: h >> 32)
            XCTAssertNotEqual(stream.gslSeed, 0)
            XCTAssertEqual(stream.gslSeed, fold == 0 ? 0x6A09_E667 : fold)
            seeds.insert(stream.gslSeed)
        }
        XCTAssertGreaterThan(seeds.count, 19_000, "folded seeds collide far more than 2^-32 per pair would")
        for seed: UInt64 in [0, 1, 4357, .max] {
            XCTAssertNotEqual(RandomStream(seed: seed).gslSeed, 0)
            let h = splitmix64(seed), fold = UInt32(truncatingIfNeeded: h) ^ UInt32(truncatingIfNeeded: h >> 32)
            XCTAssertEqual(RandomStream(seed: seed).gslSeed, fold)
        }
    }
}

/// SplitMix64 as a plain generator, to draw test keys reproducibly.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        defer { state &+= 0x9E37_79B9_7F4A_7C15 }
        return splitmix64(state)
    }
}
