import MigsimModel

/// The iterative pre-copy series in closed form, for one VM on an otherwise
/// idle link: round 1 sends the memory, every later round sends what the
/// round before left dirty, and the scenario's own stop policy ends it.
///
/// This is the skeleton the analytic predictors share (Liu et al., HPDC 2011,
/// section 3; Akoush et al., MASCOTS 2010, section IV): no events, no noise,
/// no sharing, one expression per round. What differs between them is
/// ``DirtyVolume``: how many pages a round of length `t` leaves dirty.
struct PrecopySeries {
    /// How many distinct pages a round of `seconds` leaves dirty.
    enum DirtyVolume {
        /// The mean write rate times the round's length, at most the pages
        /// in use: every write dirties a new page (Akoush's AVG model; Liu's
        /// `V_i = D T_(i-1)`).
        case averageRate
        /// The expected distinct pages the workload's writes touch in the
        /// round, from its page popularity (`PageSet.expectedDistinct`): a
        /// dirty-page curve in place of Akoush's measured histogram (HIST).
        case distinctPages
    }

    /// Memory, page size and pages in use of the VM.
    let memoryBytes: Double, pageSize: Double, usedPages: Double, pages: Double
    /// Mean page writes per second, and the pages they fall on.
    let writesPerSecond: Double
    let pageSet: PageSet
    /// Link rate for migration traffic (NIC x share x protocol efficiency), bytes/s.
    let linkRate: Double
    let settings: MigrationSettings
    let deviceStateBytes: Double
    /// Liu et al.'s form: round 1 sends every page whole and the dirty
    /// volume is not capped by the pages in use (a pure geometric series).
    var wholeMemory = false

    /// VM `index` of `scenario` and its path to the next host.
    init(_ scenario: Scenario, vm index: Int = 0) throws {
        guard scenario.vms.indices.contains(index), scenario.cluster.hosts.count >= 2 else {
            throw ModelErrorText("the closed-form predictors need a VM and two hosts")
        }
        let vm = scenario.vms[index]
        // The closed forms take one constant mean write rate.
        guard vm.workload.phases.isEmpty, vm.workload.trace == nil, vm.workload.onOff == nil else {
            throw ModelErrorText("vms.dirty_rate: VM \(index) has phases, a trace or on/off periods; accepted: a constant or distributed "
                                 + "rate (the closed forms take one mean write rate)")
        }
        guard let mean = vm.workload.rate.mean, mean.isFinite else {
            throw ModelErrorText("vms.dirty_rate: VM \(index)'s rate has no finite mean; accepted: a distribution with a finite mean")
        }
        memoryBytes = vm.memoryBytes
        pageSize = Double(vm.pageSize)
        pages = (vm.memoryBytes / pageSize).rounded(.down)
        usedPages = max(1, (pages * vm.memoryInUse).rounded())
        writesPerSecond = mean
        pageSet = vm.workload.pageSet(pages: Int(pages), inUse: Int(usedPages), pageSize: vm.pageSize)
        let hosts = scenario.cluster.hosts
        let nic = min(hosts[vm.host].nicBandwidth * hosts[vm.host].nicMigrationShare,
                      hosts[(vm.host + 1) % hosts.count].nicBandwidth * hosts[(vm.host + 1) % hosts.count].nicMigrationShare)
        linkRate = nic * scenario.cluster.protocolEfficiency
        settings = scenario.settings
        deviceStateBytes = vm.deviceStateBytes
    }

    /// The highest pre-copy rate: the link, or the top of the rate limit.
    var topRate: Double {
        switch settings.rateLimit {
        case .unlimited: linkRate
        case .fixed(let c): min(linkRate, c)
        case .adaptive(_, let hi, _): min(linkRate, hi)
        }
    }

    func dirtyPages(after seconds: Double, _ volume: DirtyVolume) -> Double {
        switch volume {
        case .averageRate: wholeMemory ? writesPerSecond * seconds : min(writesPerSecond * seconds, usedPages)
        case .distinctPages: pageSet.expectedDistinct(writes: writesPerSecond * seconds)
        }
    }

    /// Rounds, bytes, total time and downtime under `volume`.
    func predict(_ volume: DirtyVolume) -> Prediction {
        let mech = settings.mechanisms
        // Round 1: used pages whole, zero pages as headers when the system sends headers.
        var roundBytes = wholeMemory ? pages * pageSize : usedPages * pageSize + (pages - usedPages) * (mech.zeroPageBytes ?? pageSize)
        var cap = settings.rateLimit.cap(round: 1, previousCap: 0, previousDirtyRate: 0)
        var elapsed = settings.setupDelay, total = 0.0, previous = 0.0, firstRate = 0.0
        var rounds: [Double] = []
        var dirty = 0.0
        for round in 1...settings.roundGuard {
            let rate = min(linkRate, cap)
            let seconds = roundBytes / rate
            if round == 1 { firstRate = rate }
            elapsed += seconds
            total += roundBytes
            rounds.append(roundBytes)
            dirty = dirtyPages(after: seconds, volume)
            let o = RoundObservation(round: round, memoryBytes: memoryBytes, pageSize: pageSize, roundBytes: roundBytes,
                                     roundDuration: seconds, dirtyPages: dirty, totalSentBytes: total, elapsed: elapsed,
                                     firstRoundBandwidth: firstRate, previousRoundBytes: previous,
                                     rateAtMaximum: settings.rateLimit.isAtMaximum(cap))
            if case .stop = settings.policy.decide(o) { break }
            if elapsed >= settings.timeout { break }
            cap = settings.rateLimit.cap(round: round + 1, previousCap: cap, previousDirtyRate: dirty * pageSize / seconds)
            previous = roundBytes
            roundBytes = dirty * pageSize
        }
        let stopRate = mech.uncappedStopAndCopy ? linkRate : min(linkRate, cap)
        let final = dirty * pageSize + deviceStateBytes
        let downtime = final / stopRate + settings.resumeDelay + settings.arpDelay
        return Prediction(downtime: downtime, totalTime: elapsed + downtime, rounds: rounds.count, bytesSent: total + final,
                          roundBytes: rounds)
    }
}

/// A plain error message for an input the closed forms cannot take.
struct ModelErrorText: Error, CustomStringConvertible {
    let description: String
    init(_ text: String) { description = text }
}
