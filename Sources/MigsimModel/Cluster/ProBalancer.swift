import MigsimKernel
import MigsimRandom

/// Parameters of PRO-tip dynamic balancing (SCVMM Performance and Resource
/// Optimization; seed 003: "CPU above 60 %").
public struct BalancingSpec: Sendable, Equatable {
    /// Seconds between load checks; VM CPU demands are redrawn at each check.
    public var interval: Double = 60
    /// A host is overloaded above this CPU load (share of its cores).
    public var threshold: Double = 0.6
    /// Consecutive overloaded checks before acting ("sustained").
    public var sustainedChecks: Int = 2
    /// Hysteresis: a target must stay at or below this load after the move.
    public var targetCeiling: Double = 0.5
    /// A VM that migrated is left alone for this many seconds.
    public var cooldown: Double = 900
    public var kind: MigrationKind = .live

    public init() {}

    func validate() throws {
        try require(interval.isFinite && interval > 0, .balancingInterval, interval, "seconds > 0")
        try require(threshold.isFinite && threshold > 0, .balancingThreshold, threshold, "a load share > 0")
        try require(sustainedChecks >= 1, .balancingSustainedChecks, sustainedChecks, "an integer >= 1")
        try require(targetCeiling.isFinite && targetCeiling > 0 && targetCeiling <= threshold, .balancingTargetCeiling,
                    targetCeiling, "a load share in (0, threshold]")
        try require(cooldown.isFinite && cooldown >= 0, .balancingCooldown, cooldown, "seconds >= 0")
    }
}

/// PRO balancing: when a host's CPU load stays above the threshold for
/// `sustainedChecks` checks, live-migrate its busiest movable VM to the
/// least-loaded compatible host that stays under `targetCeiling` afterwards.
///
/// Three rules keep VMs from ping-ponging: the gap between threshold and
/// ceiling, the per-VM cooldown, and a VM never goes straight back to the host
/// it last left. One migration per overloaded host per check. The checks
/// never end by themselves: the scenario's horizon ends the run.
///
/// A reference type owned by the engine, which tells it when a VM's
/// migration ended or was refused; its checks submit requests back.
final class ProBalancer {
    let spec: BalancingSpec
    private var overCount: [Int]
    private var lastMigrated: [Double]
    /// Whether a VM has a request in flight (set at request, cleared when it ends or is refused).
    private(set) var migrating: [Bool]
    /// The host each VM last left (-1: none).
    private var lastSource: [Int]
    private var demand: [Double]
    private let streams: [RandomStream]
    /// (time, highest host load) at every check, for reports and tests.
    private(set) var peaks: [(Double, Double)] = []

    init(sim: ClusterSimulation, spec: BalancingSpec) {
        self.spec = spec
        overCount = Array(repeating: 0, count: sim.cluster.hosts.count)
        lastMigrated = Array(repeating: -.infinity, count: sim.vms.count)
        migrating = Array(repeating: false, count: sim.vms.count)
        lastSource = Array(repeating: -1, count: sim.vms.count)
        demand = Array(repeating: 0, count: sim.vms.count)
        streams = sim.vms.indices.map {
            RandomStream(StreamKey(seed: sim.seed, run: sim.run, entity: UInt64($0), purpose: "cpu-demand"), kind: .taus2)
        }
    }

    /// A VM's migration ended (moved or aborted).
    func migrated(vm: Int, at t: Double) {
        migrating[vm] = false
        lastMigrated[vm] = t
    }

    /// A VM's request was refused: it may be considered again at the next check.
    func refused(vm: Int) { migrating[vm] = false }

    /// CPU load per host: the demands drawn at the last check, plus the cores
    /// migrations keep busy on it now, over cores (PRO sees migration's own load).
    func loads(_ sim: ClusterSimulation) -> [Double] {
        var load = sim.hosts.migrationCPU
        for v in sim.vms.indices { load[sim.hosts.vmHost[v]] += demand[v] }
        for h in load.indices { load[h] /= Double(sim.cluster.hosts[h].cpuCores) }
        return load
    }

    /// Redraws every VM's demand and requests at most one move per overloaded host.
    func check(_ sim: ClusterSimulation) {
        for v in sim.vms.indices { demand[v] = max(0, sim.vms[v].cpuDemand.sample(streams[v])) }
        var load = loads(sim)
        peaks.append((sim.now, load.max() ?? 0))
        for h in load.indices {
            guard load[h] > spec.threshold else { overCount[h] = 0; continue }
            overCount[h] += 1
            guard overCount[h] >= spec.sustainedChecks else { continue }
            // Busiest movable VM first; ties to the lower index.
            let candidates = sim.hosts.vmsOn[h].map(Int.init).filter {
                !migrating[$0] && sim.now - lastMigrated[$0] >= spec.cooldown
            }.sorted { (demand[$0], -$0) > (demand[$1], -$1) }
            for v in candidates {
                let d = demand[v]
                var best = -1
                for t in load.indices where t != h && t != lastSource[v] && sim.incompatibility(vm: v, host: t) == nil {
                    let after = load[t] + d / Double(sim.cluster.hosts[t].cpuCores)
                    guard after <= spec.targetCeiling else { continue }
                    if best < 0 || load[t] < load[best] { best = t }
                }
                guard best >= 0 else { continue }
                load[h] -= d / Double(sim.cluster.hosts[h].cpuCores)
                load[best] += d / Double(sim.cluster.hosts[best].cpuCores)
                migrating[v] = true
                lastSource[v] = h
                overCount[h] = 0
                // At once, so the next host's choice sees this move's memory reservation.
                sim.submitNow([MigrationRequest(vm: v, kind: spec.kind, target: best, at: sim.now)])
                break
            }
        }
    }
}

extension ClusterSimulation {
    /// Starts PRO balancing checks every `spec.interval` seconds from now.
    public func startBalancing(_ spec: BalancingSpec) throws {
        try spec.validate()
        balancer = ProBalancer(sim: self, spec: spec)
        scheduleLater(0, .balance)
    }

    func balanceCheck() {
        guard let b = balancer else { return }
        b.check(self)
        scheduleLater(b.spec.interval, .balance)
    }

    /// (time, highest host CPU load) at every balancing check.
    public var balancingPeaks: [(time: Double, load: Double)] { balancer?.peaks.map { ($0.0, $0.1) } ?? [] }
}
