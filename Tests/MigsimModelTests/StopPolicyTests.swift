import MigsimModel
import XCTest

/// Each stop rule fires in a case built to trigger it.
final class StopPolicyTests: XCTestCase {
    func run(_ vm: VMSpec, _ settings: MigrationSettings, link: Double = 1.25e8) throws -> MigrationRecord {
        let sim = try Fixture.migrate([vm], cluster: Fixture.cluster(link: link), settings: settings)
        return try XCTUnwrap(sim.records.first)
    }

    func testIdleVMFinishesInOneRound() throws {
        for name in PolicyPreset.names {
            let r = try run(Fixture.vm(memory: Units.GiB, rate: 0), Fixture.settings(PolicyPreset(name: name)!))
            if name.hasPrefix("xen-") {
                // xc_domain_save tests the round just sent: round 1 sent every
                // page, so it goes on; round 2 sends 0 pages (< 50) and stops.
                XCTAssertEqual(r.rounds, 2, name)
                XCTAssertEqual(r.stopReason, .fewDirtyPages, name)
            } else {
                XCTAssertEqual(r.rounds, 1, name)
                XCTAssertEqual(r.stopReason, .noDirtyPages, name)
            }
            XCTAssertEqual(r.converged, true)
        }
    }

    func testHyperVTinyRemainder() throws {
        // 1 GiB over 1 Gbit/s: round 1 takes 8.6 s; 10 pages/s leaves 86 pages = 344 KiB,
        // round 2 takes 2.8 ms and leaves < 1 page.
        let r = try run(Fixture.vm(memory: Units.GiB, rate: 10), Fixture.settings())
        XCTAssertEqual(r.stopReason, .remainderBelowThreshold)
        XCTAssertEqual(r.rounds, 2)
    }

    func testHyperVPassCaps() throws {
        // lambda = 0.9: never below 256 KiB within the cap.
        let rate = 0.9 * 1.25e8 / 4096
        let a = try run(Fixture.vm(memory: Units.GiB, rate: rate), Fixture.settings(.hyperV(.hyperV2008R2)))
        XCTAssertEqual(a.stopReason, .maxRounds)
        XCTAssertEqual(a.rounds, 10)
        XCTAssertEqual(a.converged, false)
        let b = try run(Fixture.vm(memory: Units.GiB, rate: rate), Fixture.settings(.hyperV(.hyperV2012R2)))
        XCTAssertEqual(b.stopReason, .maxRounds)
        XCTAssertEqual(b.rounds, 5)
    }

    func testQEMUDowntimeTarget() throws {
        let r = try run(Fixture.vm(memory: Units.GiB, rate: 5_000), Fixture.settings(.qemu(QEMUPolicy())))
        XCTAssertEqual(r.stopReason, .downtimeTarget)
        // The final copy fits 300 ms at the measured rate.
        XCTAssertLessThanOrEqual(r.downtime!, 0.3 + 1e-9)
    }

    func testXenFewDirtyPagesAndRoundCap() throws {
        let few = try run(Fixture.vm(memory: Units.GiB, rate: 2), Fixture.settings(.xen(XenPolicy())))
        XCTAssertEqual(few.stopReason, .fewDirtyPages)
        let capped = try run(Fixture.vm(memory: Units.GiB, rate: 20_000), Fixture.settings(.xen(XenPolicy())))
        XCTAssertEqual(capped.stopReason, .maxRounds)
        XCTAssertEqual(capped.rounds, 5)
    }

    func testXenLegacyTotalDataLimit() throws {
        // lambda = 0.95: after k rounds M(1-0.95^k)/0.05 > 3M first at k = 4
        // (0.95^4 = 0.8145), long before 29 iterations.
        let rate = 0.95 * 1.25e8 / 4096
        let r = try run(Fixture.vm(memory: Units.GiB, rate: rate), Fixture.settings(.xenLegacy(XenLegacyPolicy())))
        XCTAssertEqual(r.stopReason, .totalDataLimit)
        XCTAssertEqual(r.rounds, 4)
    }

    func testXenLegacyIterationCap() throws {
        var p = XenLegacyPolicy()
        p.maxFactor = 1000
        let rate = 0.95 * 1.25e8 / 4096
        let r = try run(Fixture.vm(memory: Units.GiB, rate: rate), Fixture.settings(.xenLegacy(p)))
        XCTAssertEqual(r.stopReason, .maxRounds)
        XCTAssertEqual(r.rounds, 29)
    }

    func testXenLegacyRuleForSendingThatGrowsAtMaximumRate() throws {
        // The rule alone: only when the round ran at the top of the adaptive
        // limit and sent more than the round before it (the 2005 build only).
        let p = XenLegacyPolicy.paper2005
        XCTAssertFalse(XenLegacyPolicy.released.adaptive)
        func obs(_ bytes: Double, previous: Double, atMax: Bool, round: Int = 5) -> RoundObservation {
            RoundObservation(round: round, memoryBytes: Units.GiB, pageSize: 4096, roundBytes: bytes, roundDuration: 0.2,
                             dirtyPages: 3000, totalSentBytes: 1.2 * Units.GiB, elapsed: 90, firstRoundBandwidth: 12.5e6,
                             previousRoundBytes: previous, rateAtMaximum: atMax)
        }
        XCTAssertEqual(p.decide(obs(12.1e6, previous: 12e6, atMax: true)), .stop(.sentGrewAtMaxRate))
        XCTAssertEqual(p.decide(obs(12e6, previous: 12e6, atMax: true)), .continueRounds)
        XCTAssertEqual(p.decide(obs(12.1e6, previous: 12e6, atMax: false)), .continueRounds)
        XCTAssertEqual(p.decide(obs(Units.GiB, previous: 0, atMax: true, round: 1)), .continueRounds)
        XCTAssertFalse(StopReason.sentGrewAtMaxRate.converged)
        // Which caps count as "at maximum".
        let xen = RateLimit.adaptive(min: 12.5e6, max: 62.5e6, step: 6.25e6)
        XCTAssertTrue(xen.isAtMaximum(xen.cap(round: 9, previousCap: 50e6, previousDirtyRate: 1e9)))
        XCTAssertFalse(xen.isAtMaximum(xen.cap(round: 1, previousCap: .infinity, previousDirtyRate: 1e9)))
        XCTAssertEqual(xen.cap(round: 1, previousCap: .infinity, previousDirtyRate: 1e9), 12.5e6)
        XCTAssertFalse(xen.isAtMaximum(xen.cap(round: 3, previousCap: 12.5e6, previousDirtyRate: 20e6)))
        XCTAssertEqual(xen.cap(round: 3, previousCap: 12.5e6, previousDirtyRate: 20e6), 26.25e6, "dirty rate + 50 Mbit/s")
        // print_stats only raises the rate: a slower round keeps it.
        XCTAssertEqual(xen.cap(round: 4, previousCap: 40e6, previousDirtyRate: 10e6), 40e6)
        XCTAssertFalse(RateLimit.fixed(62.5e6).isAtMaximum(62.5e6))
        XCTAssertFalse(RateLimit.unlimited.isAtMaximum(.infinity))
    }

    func testXenLegacyEndsWhenAWritableWorkingSetOutrunsTheTopRate() throws {
        // A 10 MB hot set written 200,000 times/s stays fully dirty, so each
        // round sends about what the one before sent; binomial noise makes one
        // round send more. The adaptive limit starts at its top (min = max =
        // 500 Mbit/s), so RATE_IS_MAX() holds from round 1. (With Xen's
        // 100 Mbit/s start the rate rises only when a round's dirtying rate
        // exceeds it, which a saturated hot set never does by much.)
        var s = Fixture.settings(.xenLegacy(.paper2005), fidelity: .statistical)
        s.rateLimit = .adaptive(min: 500e6 / 8, max: 500e6 / 8, step: 50e6 / 8)
        let vm = Fixture.vm(memory: 800 * Units.MiB, rate: 200_000, counting: .poisson, hotFraction: 0.0125, hotShare: 0.998)
        let sim = try Fixture.migrate([vm], cluster: Fixture.cluster(link: 1.25e8), settings: s)
        let r = try XCTUnwrap(sim.records.first)
        XCTAssertEqual(r.stopReason, .sentGrewAtMaxRate)
        XCTAssertLessThan(r.rounds!, 29)
        let rounds = sim.rounds
        let last = try XCTUnwrap(rounds.last), before = rounds[rounds.count - 2]
        XCTAssertGreaterThan(last.bytesSent, before.bytesSent)
        // The last round ran at the 500 Mbit/s cap (no latency in the fixture).
        XCTAssertEqual(last.bytesSent / last.duration, 500e6 / 8, accuracy: 500e6 / 8 * 1e-6)
        // With a fixed 500 Mbit/s cap the rate is never "at maximum": the rule stays off.
        s.rateLimit = .fixed(500e6 / 8)
        let fixed = try Fixture.migrate([vm], cluster: Fixture.cluster(link: 1.25e8), settings: s)
        XCTAssertNotEqual(fixed.records.first?.stopReason, .sentGrewAtMaxRate)
    }

    func testVMwareSDPSForcesConvergence() throws {
        // Dirtying outpaces sending (lambda 1.5 over a 100 MB/s hot set): without
        // throttling the remainder never fits 500 ms; SDPS slows the vCPUs.
        var s = Fixture.settings(.vmware(VMwarePolicy()))
        s.throttle = PolicyPreset.vmware(VMwarePolicy()).defaultThrottle
        let vm = Fixture.vm(memory: 4 * Units.GiB, rate: 1.5 * 1.25e8 / 4096, counting: .poisson)
        let r = try run(vm, s)
        XCTAssertEqual(r.stopReason, .downtimeTarget)
        XCTAssertGreaterThan(r.throttle!, 0.3)
        XCTAssertLessThanOrEqual(r.downtime!, 0.5 + 1e-9)
    }

    func testSimGridThresholdFromLastRound() throws {
        let r = try run(Fixture.vm(memory: Units.GiB, rate: 3_000), Fixture.settings(.simgrid(SimGridPolicy())))
        XCTAssertEqual(r.stopReason, .remainderBelowThreshold)
        XCTAssertLessThanOrEqual(r.downtime!, 0.03 + 1e-9)
    }

    func testCustomPolicyParts() throws {
        let rate = 0.9 * 1.25e8 / 4096
        let vm = Fixture.vm(memory: Units.GiB, rate: rate)
        let byRounds = try run(vm, Fixture.settings(.custom(CustomPolicy(maxRounds: 3))))
        XCTAssertEqual(byRounds.stopReason, .maxRounds)
        XCTAssertEqual(byRounds.rounds, 3)
        let byData = try run(vm, Fixture.settings(.custom(CustomPolicy(totalDataFactor: 2))))
        XCTAssertEqual(byData.stopReason, .totalDataLimit)
        let byBytes = try run(vm, Fixture.settings(.custom(CustomPolicy(thresholdBytes: 0.5 * Units.GiB))))
        XCTAssertEqual(byBytes.stopReason, .remainderBelowThreshold)
        XCTAssertEqual(byBytes.rounds, 7)  // 0.9^7 = 0.478 <= 0.5
        let byDowntime = try run(vm, Fixture.settings(.custom(CustomPolicy(downtimeTarget: 4))))
        XCTAssertEqual(byDowntime.stopReason, .downtimeTarget)
    }

    /// QEMU's threshold is the wire rate x the downtime limit: a round that
    /// sent 100 MB of pages as 50 MB of compressed bytes in 1 s stops only when
    /// at most 15 MB (not 30 MB) is pending, 300 ms at 50 MB/s.
    func testQEMUThresholdUsesTheWireRate() {
        let p = QEMUPolicy(downtimeLimit: 0.3)
        func observe(pendingMB: Double) -> RoundObservation {
            RoundObservation(round: 3, memoryBytes: 4e9, pageSize: 4096, roundBytes: 100e6, roundDuration: 1,
                             dirtyPages: pendingMB * 1e6 / 4096, totalSentBytes: 5e9, elapsed: 40, firstRoundBandwidth: 1e8,
                             wireBytes: 50e6)
        }
        XCTAssertEqual(p.decide(observe(pendingMB: 20)), .continueRounds)
        XCTAssertEqual(p.decide(observe(pendingMB: 14)), .stop(.downtimeTarget))
        XCTAssertEqual(observe(pendingMB: 1).wireBandwidth, 50e6)
        XCTAssertEqual(observe(pendingMB: 1).bandwidth, 100e6)
    }

    func testTimeoutOutcomes() throws {
        // A VM that never converges under QEMU (no cap); 60 s timeout.
        let vm = Fixture.vm(memory: Units.GiB, rate: 2 * 1.25e8 / 4096, counting: .poisson, hotFraction: 0.5)
        for (outcome, reason) in [(TimeoutOutcome.force, StopReason.timeoutForced), (.abort, .timeoutAborted),
                                  (.postCopy, .timeoutPostCopy)] {
            var s = Fixture.settings(.qemu(QEMUPolicy()))
            s.timeout = 60
            s.timeoutOutcome = outcome
            let r = try run(vm, s)
            XCTAssertEqual(r.stopReason, reason)
            XCTAssertEqual(r.converged, false)
            XCTAssertGreaterThanOrEqual(r.endTime!, 60)
            switch outcome {
            case .abort:
                XCTAssertTrue(r.aborted)
                XCTAssertEqual(r.downtime, 0)
            case .postCopy:
                XCTAssertNotNil(r.degraded)
                XCTAssertLessThan(r.downtime!, 0.01)
            case .force:
                // Writes at 2R into a hot set of H pages: a round that sends
                // x*H pages lasts x*H*4096/R and dirties H(1 - exp(-2x)) pages,
                // so the pending share settles at the fixed point x = 1 - exp(-2x).
                var x = 0.5
                for _ in 0..<200 { x = 1 - exp(-2 * x) }
                XCTAssertEqual(r.downtime!, x * 0.5 * Units.GiB / 1.25e8, accuracy: 0.01)
            }
        }
    }

    func testRoundGuardStopsPoliciesWithoutCap() throws {
        var s = Fixture.settings(.qemu(QEMUPolicy()))
        s.roundGuard = 7
        let vm = Fixture.vm(memory: Units.GiB, rate: 2 * 1.25e8 / 4096, counting: .poisson, hotFraction: 0.5)
        let r = try run(vm, s)
        XCTAssertEqual(r.stopReason, .roundGuard)
        XCTAssertEqual(r.rounds, 7)
    }

    func testMMuncherNonConvergenceTerminates() throws {
        // Clark et al., NSDI 2005: 512 MB VM writing a 256 MB region, 500 Mbit/s.
        // The whole region is re-dirtied every round, so xen-legacy ends on its
        // 3 x RAM rule and stop-and-copy sends ~256 MB: ~4.3 s at 500 Mbit/s
        // (Clark et al. measured about 3.5 s).
        var s = Fixture.settings(.xenLegacy(XenLegacyPolicy()))
        s.rateLimit = .fixed(500e6 / 8)
        let vm = Fixture.vm(memory: 512 * Units.MiB, rate: 200_000, counting: .poisson, hotFraction: 0.5)
        let r = try run(vm, s, link: 1.25e8)
        XCTAssertEqual(r.stopReason, .totalDataLimit)
        XCTAssertEqual(r.converged, false)
        XCTAssertEqual(r.downtime!, 256 * Units.MiB / (500e6 / 8), accuracy: 0.2)
    }

    func testAutoConvergeRaisesThrottle() throws {
        var s = Fixture.settings(.qemu(QEMUPolicy()))
        s.throttle = .qemuAutoConverge
        let vm = Fixture.vm(memory: 2 * Units.GiB, rate: 1.2 * 1.25e8 / 4096, counting: .poisson)
        let r = try run(vm, s)
        XCTAssertEqual(r.stopReason, .downtimeTarget)
        // 20 % after two high checks, then +10 % per two more.
        XCTAssertGreaterThanOrEqual(r.throttle!, 0.2)
        let steps = (r.throttle! - 0.2) / 0.1
        XCTAssertEqual(steps, steps.rounded(), accuracy: 1e-9)
    }
}
