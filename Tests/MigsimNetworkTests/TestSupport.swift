import XCTest
import MigsimKernel
import MigsimNetwork
import MigsimRandom

/// Asserts `|actual - expected| <= tolerance × max(|expected|, tiny)`.
func assertRelative(_ actual: Double, _ expected: Double, tolerance: Double = 1e-9,
                    _ message: @autoclosure () -> String = "", file: StaticString = #filePath, line: UInt = #line) {
    let scale = max(abs(expected), 1e-300)
    XCTAssert(abs(actual - expected) <= tolerance * scale,
              "\(actual) is not within \(tolerance) (relative) of \(expected) \(message())", file: file, line: line)
}

/// One flow of a static sharing problem: its path (indices into the capacity list) and its cap.
struct FlowSpec {
    var path: [Int]
    var cap: Double = .infinity
}

/// Solves a static problem with ``MaxMinSolver`` through a ``FlowNetwork`` and returns the rates.
func maxMinRates(capacities: [Double], flows: [FlowSpec]) -> [Double] {
    let network = FlowNetwork(solver: MaxMinSolver())
    let resources = capacities.enumerated().map { network.addResource(name: "r\($0.offset)", capacity: $0.element) }
    let ids = flows.enumerated().map { i, f in
        network.startFlow(bytes: 1e12, path: f.path.map { resources[$0] }, cap: f.cap, tag: i, now: .zero)
    }
    return ids.map { network.rate($0) }
}

/// MigsimRandom's SplitMix64 with the helpers the randomized tests use.
struct TestRandom {
    var generator: SplitMix64

    init(state: UInt64) { generator = SplitMix64(seed: state) }

    mutating func next() -> UInt64 { generator.next() }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { generator.unit() }

    /// Uniform in `range`.
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    /// Uniform in `lo..<hi`.
    mutating func double(_ lo: Double, _ hi: Double) -> Double { lo + (hi - lo) * unit() }
}

extension SimTime {
    /// Shorthand for tests: `seconds` exactly representable in nanoseconds.
    static func s(_ seconds: Double) -> SimTime { SimTime(seconds: seconds)! }
}
