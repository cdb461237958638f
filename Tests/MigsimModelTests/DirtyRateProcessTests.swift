import MigsimModel
import MigsimRandom
import XCTest

/// The time-varying write rate: phases and the on/off switch.
final class DirtyRateProcessTests: XCTestCase {
    func testConstantRateIntegral() {
        var p = DirtyRateProcess(spec: WorkloadSpec(rate: try! .constant(1000)), seed: 1, run: 0, vm: 0)
        XCTAssertEqual(p.writes(from: 2, to: 5.5), 3500, accuracy: 1e-9)
    }

    func testPhasesAreCyclic() throws {
        // 10 s at 100 writes/s, then 5 s at 1000 writes/s, repeating (cycle 15 s).
        let spec = WorkloadSpec(rate: try .constant(0), phases: [
            WorkloadPhase(duration: 10, rate: try .constant(100)),
            WorkloadPhase(duration: 5, rate: try .constant(1000)),
        ])
        var fixed = spec
        fixed.cycleOffset = .fixed(0)  // the cycle from its start (the default starts each VM at a random point)
        var p = DirtyRateProcess(spec: fixed, seed: 1, run: 0, vm: 0)
        XCTAssertEqual(p.writes(from: 0, to: 10), 1000, accuracy: 1e-9)
        XCTAssertEqual(p.writes(from: 10, to: 15), 5000, accuracy: 1e-9)
        // 8..17: 2 s at 100, 5 s at 1000, 2 s at 100 (next cycle).
        XCTAssertEqual(p.writes(from: 8, to: 17), 200 + 5000 + 200, accuracy: 1e-6)
        // A whole number of cycles: 10 cycles of 6000 writes.
        XCTAssertEqual(p.writes(from: 30, to: 180), 60_000, accuracy: 1e-6)
    }

    func testOnOffLongRunMeanMatchesStationaryShare() throws {
        // On 2 s, off 6 s on average: the long-run rate is 1000 * 2/8 = 250 writes/s.
        let spec = WorkloadSpec(rate: try .constant(1000), onOff: OnOffSpec(meanOn: 2, meanOff: 6, offFactor: 0))
        var total = 0.0
        var p = DirtyRateProcess(spec: spec, seed: 5, run: 0, vm: 3)
        let horizon = 200_000.0
        var t = 0.0
        while t < horizon {
            total += p.writes(from: t, to: t + 7.3)
            t += 7.3
        }
        // ~25,000 on/off cycles: the relative standard error is below 1 %.
        XCTAssertEqual(total / t, 250, accuracy: 250 * 0.03)
    }

    func testRateIsDrawnPerVMFromItsOwnStream() throws {
        let spec = WorkloadSpec(rate: try .exponential(mean: 1000))
        let a = DirtyRateProcess(spec: spec, seed: 9, run: 0, vm: 4).baseRate
        let b = DirtyRateProcess(spec: spec, seed: 9, run: 0, vm: 4).baseRate
        let c = DirtyRateProcess(spec: spec, seed: 9, run: 0, vm: 5).baseRate
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
    }
}
