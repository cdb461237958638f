/// Host power against CPU utilisation: the wall power at 0 %, 10 %, ..., 100 %
/// load, linear in between (SPECpower_ssj2008 style, as CloudSim's
/// `PowerModelSpecPower` interpolates it).
public struct PowerModel: Sendable, Equatable {
    public var name: String
    /// Watts at 0, 10, ..., 100 % utilisation (11 values, non-decreasing).
    public var watts: [Double]

    public init(name: String, watts: [Double]) {
        self.name = name
        self.watts = watts
    }

    /// Linear between idle and peak.
    public static func linear(idle: Double, peak: Double) -> PowerModel {
        PowerModel(name: "linear", watts: (0...10).map { idle + (peak - idle) * Double($0) / 10 })
    }

    /// IBM System x3550 (2 x Xeon X5675, 12 cores): SPECpower_ssj2008 result
    /// power_ssj2008-20110406-00368, as tabulated in CloudSim's
    /// `PowerModelSpecPowerIbmX3550XeonX5675` (Beloglazov and Buyya, CCPE 2012).
    public static let ibmX3550XeonX5675 = PowerModel(name: "ibm-x3550-xeon-x5675",
                                                     watts: [58.4, 98, 109, 118, 128, 140, 153, 170, 189, 205, 222])
    /// HP ProLiant ML110 G5 (Xeon 3075, 2 cores): result power_ssj2008-20110124-00339;
    /// CloudSim `PowerModelSpecPowerHpProLiantMl110G5Xeon3075`.
    public static let hpML110G5Xeon3075 = PowerModel(name: "hp-ml110-g5-xeon-3075",
                                                     watts: [93.7, 97, 101, 105, 110, 116, 121, 125, 129, 133, 135])
    /// HP ProLiant ML110 G3 (Pentium D930, 2 cores): result power_ssj2008-20110127-00342;
    /// CloudSim `PowerModelSpecPowerHpProLiantMl110G3PentiumD930`.
    public static let hpML110G3PentiumD930 = PowerModel(name: "hp-ml110-g3-pentium-d930",
                                                        watts: [105, 112, 118, 125, 131, 137, 147, 153, 157, 164, 169])

    public static let builtIn = [ibmX3550XeonX5675, hpML110G5Xeon3075, hpML110G3PentiumD930]

    /// Watts at utilisation `u` (clamped to 0...1).
    public func watts(at u: Double) -> Double {
        let x = min(1, max(0, u)) * 10
        let i = min(9, Int(x))
        return watts[i] + (watts[i + 1] - watts[i]) * (x - Double(i))
    }

    func validate() throws {
        try require(watts.count == 11 && watts.allSatisfy { $0.isFinite && $0 >= 0 } && zip(watts, watts.dropFirst()).allSatisfy { $0 <= $1 },
                    .energyHostModel, watts, "11 finite, non-decreasing watt values at 0, 10, ..., 100 % load")
    }
}

/// The span of simulated time the energy and SLA figures cover.
public enum CostWindow: String, Sendable, CaseIterable {
    /// From 0 to the run's last event (the end of its last migration or check).
    case lastEvent = "last-event"
    /// From 0 to the scenario's horizon: the cluster keeps running, and
    /// drawing power, after its last migration (a consolidation held for a day).
    case horizon
}

/// What migration costs beyond downtime are counted with (issue 17).
public struct CostSettings: Sendable, Equatable {
    /// Every host's power curve.
    public var power = PowerModel.ibmX3550XeonX5675
    /// Hosts with no VM (and no migration) are switched off and draw nothing.
    public var switchOffEmpty = false
    /// Cores a host keeps for migration while it takes part in at least one
    /// network migration, per Gbit/s of its migration NIC, with a floor of
    /// ``migrationMinimumCores``; shared by all its migrations. vSphere 5.1
    /// reserves "10% of a CPU core" per 1 GbE of vMotion link speed "with a
    /// minimum desired CPU reservation of 30%", "100% of a single core" at
    /// 10 GbE, and "the reservation is shared across all vMotions happening
    /// on the host" (Frank Denneman, "Calculating the bandwidth usage and
    /// duration of a vMotion process", 2012-12-04). That is a reservation,
    /// not a measured use: counting it as CPU load (energy, SLATAH, PRO), and
    /// for every system and every kind that copies over the network (not quick
    /// migration or a failover restart), is migsim's assumption.
    public var migrationCoresPerGbps = 0.1
    /// The floor of a host's migration reservation, cores (vSphere 5.1's 30 %, same source).
    public var migrationMinimumCores = 0.3

    /// A host's migration reservation for a migration NIC of `nicBandwidth` bytes/s (0 when switched off).
    public func migrationReservation(nicBandwidth: Double) -> Double {
        migrationCoresPerGbps > 0 ? max(migrationMinimumCores, migrationCoresPerGbps * nicBandwidth / Units.Gbps) : 0
    }
    /// Share of a VM's CPU demand lost while it migrates, for PDM: CloudSim's
    /// power-aware consolidation assumes 10 % (Beloglazov and Buyya, CCPE 2012, section 5).
    public var migrationDegradationShare = 0.1
    /// Availability each VM is promised over ``availabilityPeriod`` (0.9995 =
    /// 99.95 %, the example of issue 17; migsim's default).
    public var availability = 0.9995
    /// The period the availability is promised over, seconds (30 days).
    public var availabilityPeriod = 30 * 86_400.0
    /// What energy, SLATAH and PDM are integrated over.
    public var window = CostWindow.lastEvent

    public init() {}

    /// Downtime each VM may have within the period, seconds.
    public var downtimeBudget: Double { (1 - availability) * availabilityPeriod }

    func validate() throws {
        try power.validate()
        try require(migrationCoresPerGbps.isFinite && migrationCoresPerGbps >= 0, .energyMigrationCPU, migrationCoresPerGbps,
                    "cores per Gbit/s >= 0")
        try require(migrationDegradationShare.isFinite && migrationDegradationShare >= 0 && migrationDegradationShare <= 1,
                    .slaPDMShare, migrationDegradationShare, "a share in [0, 1]")
        try require(availability.isFinite && availability > 0 && availability <= 1, .slaAvailability, availability, "a share in (0, 1]")
        try require(availabilityPeriod.isFinite && availabilityPeriod > 0, .slaPeriod, availabilityPeriod, "seconds > 0")
    }
}

/// SLA and energy figures of one run (`summary.csv`).
public struct CostFigures: Sendable, Equatable {
    /// Energy drawn by all hosts over the run, joules.
    public var hostEnergy: Double
    /// SLATAH: the mean over hosts that ran VMs of the share of that time
    /// they were at 100 % CPU (demand >= cores) (Beloglazov and Buyya, CCPE 2012).
    public var slatah: Double?
    /// PDM: the mean over VMs of CPU lost to migration over CPU requested.
    public var pdm: Double?
    /// SLAV = SLATAH x PDM.
    public var slav: Double? { slatah.flatMap { s in pdm.map { s * $0 } } }
    /// VMs whose downtime in the run exceeded the downtime budget.
    public var budgetBreaches: Int
    /// Core-seconds the migrations kept busy on sources and targets.
    public var migrationCPUSeconds: Double = 0
    /// Bytes the migrations moved through host NICs that also carry VM
    /// traffic (``HostSpec/nicMigrationShare`` < 1): each network byte once
    /// at its source's NIC out and once at its target's NIC in, where that
    /// NIC is shared. An upper bound on the VM traffic the migrations
    /// displaced: migsim has no VM traffic model, so it cannot say whether VM
    /// traffic wanted that capacity at the time.
    public var sharedNICBytes: Double = 0
}

/// Integrates host power and host saturation over the run, incrementally:
/// each host change costs O(1) (running totals advanced to the change's time).
/// Its state skips run-time exclusivity checks, as the engine's does: only
/// its own methods reach it, one at a time, on one thread.
final class CostAccounting {
    let settings: CostSettings
    @exclusivity(unchecked) private var last = 0.0
    @exclusivity(unchecked) private var energy = 0.0
    /// Per host: its power now, whether it runs VMs, whether it is saturated.
    @exclusivity(unchecked) private var power: [Double], active: [Bool], saturated: [Bool]
    @exclusivity(unchecked) private var activeTime: [Double], saturatedTime: [Double], since: [Double]
    @exclusivity(unchecked) private var totalPower = 0.0
    /// Cores busy with migration now (all hosts), and their integral; hosts busy.
    @exclusivity(unchecked) private var migrationCores = 0.0, migrationCoreSeconds = 0.0, busyHosts = 0
    /// Cores per host.
    private let cores: [Double]
    /// Migration cores of each host as last seen.
    @exclusivity(unchecked) private var hostMigrationCores: [Double]

    init(settings: CostSettings, hosts: HostTable, cluster: ClusterSpec) {
        self.settings = settings
        let n = cluster.hosts.count
        cores = cluster.hosts.map { Double($0.cpuCores) }
        power = Array(repeating: 0, count: n)
        active = Array(repeating: false, count: n)
        saturated = Array(repeating: false, count: n)
        activeTime = Array(repeating: 0, count: n)
        saturatedTime = Array(repeating: 0, count: n)
        since = Array(repeating: 0, count: n)
        hostMigrationCores = Array(repeating: 0, count: n)
        for h in 0..<n { update(h, at: 0, hosts: hosts, cluster: cluster) }
    }

    /// Host `h` changed at `t` (a VM arrived or left, a migration began or ended).
    func update(_ h: Int, at t: Double, hosts: HostTable, cluster: ClusterSpec) {
        energy += totalPower * (t - last)
        migrationCoreSeconds += migrationCores * (t - last)
        last = t
        // Each host holds 0 or its reservation, so count the busy hosts and
        // reset the running sum exactly when none is (no rounding residue).
        let now = hosts.migrationCPU[h]
        if (now > 0) != (hostMigrationCores[h] > 0) { busyHosts += now > 0 ? 1 : -1 }
        migrationCores = busyHosts == 0 ? 0 : migrationCores + now - hostMigrationCores[h]
        hostMigrationCores[h] = now
        if active[h] { activeTime[h] += t - since[h] }
        if saturated[h] { saturatedTime[h] += t - since[h] }
        since[h] = t
        let demand = hosts.cpuDemand[h] + hosts.migrationCPU[h]
        active[h] = !hosts.vmsOn[h].isEmpty
        saturated[h] = active[h] && demand >= cores[h]
        let on = active[h] || hosts.active[h] > 0 || !settings.switchOffEmpty
        let p = on ? settings.power.watts(at: demand / cores[h]) : 0
        totalPower += p - power[h]
        power[h] = p
    }

    /// The figures at the end of the run at `t`; `migrated` lists each
    /// finished migration's (VM, seconds migrating), `downtime` each VM's
    /// total downtime, by VM index (0 for none).
    func figures(at t: Double, vms: [VMSpec], migrated: [(vm: Int, seconds: Double)], downtime: [Double]) -> CostFigures {
        var e = energy + totalPower * (t - last)
        if !e.isFinite { e = energy }
        var share = 0.0, hostsActive = 0
        for h in activeTime.indices {
            let a = activeTime[h] + (active[h] ? t - since[h] : 0)
            let s = saturatedTime[h] + (saturated[h] ? t - since[h] : 0)
            if a > 0 { share += s / a; hostsActive += 1 }
        }
        // PDM: per VM, CPU lost (share x demand x seconds migrating) over CPU requested (demand x run length).
        var lost = [Double](repeating: 0, count: vms.count)
        for m in migrated { lost[m.vm] += settings.migrationDegradationShare * m.seconds }
        var pdmSum = 0.0, counted = 0
        for v in vms.indices where (vms[v].cpuDemand.mean ?? 0) > 0 && t > 0 {
            pdmSum += lost[v] / t  // demand cancels: (share x d x s) / (d x t)
            counted += 1
        }
        var breaches = 0
        for d in downtime where d > settings.downtimeBudget { breaches += 1 }
        return CostFigures(hostEnergy: e, slatah: hostsActive > 0 ? share / Double(hostsActive) : nil,
                           pdm: counted > 0 ? pdmSum / Double(counted) : nil, budgetBreaches: breaches,
                           migrationCPUSeconds: migrationCoreSeconds + migrationCores * max(0, t - last))
    }
}
