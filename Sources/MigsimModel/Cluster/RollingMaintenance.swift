import MigsimKernel

/// Rolling maintenance (cluster-aware updating): drain hosts one after
/// another, keep each down for its maintenance, bring it back, go on.
///
/// Source: DESIGN.md section 5; seed 000 (host maintenance with live
/// migration). A host's drain ends when every request from it is resolved
/// (migrated, refused or aborted); refused VMs stay on the host.
///
/// A reference type owned by the engine: the engine tells it when a host's
/// requests are all resolved and when the maintenance timer fires, and it
/// submits the next host's requests back, with nothing copied in between.
final class RollingMaintenance {
    let order: [Int]
    let kind: MigrationKind
    let maintenance: Double
    private var position = -1
    /// The host being drained or maintained.
    var current: Int? { position >= 0 && position < order.count ? order[position] : nil }
    /// When the last host came back, seconds.
    private(set) var finishedAt: Double?

    init(order: [Int], kind: MigrationKind, maintenance: Double) {
        self.order = order
        self.kind = kind
        self.maintenance = maintenance
    }

    /// Starts draining the next host (all its VMs requested at once, in VM
    /// index order), or finishes.
    func next(_ sim: ClusterSimulation) {
        position += 1
        guard let h = current else {
            finishedAt = sim.now
            return
        }
        sim.hosts.up[h] = false
        let onHost = sim.hosts.vmsOn[h].sorted()
        if onHost.isEmpty { return drained(sim) }
        sim.submitNow(onHost.map { MigrationRequest(vm: Int($0), kind: kind, at: sim.now) })
    }

    /// Every request from `host` is resolved; if it is the host being drained, its maintenance begins.
    func resolvedAll(from host: Int, _ sim: ClusterSimulation) {
        if host == current { drained(sim) }
    }

    private func drained(_ sim: ClusterSimulation) {
        sim.scheduleLater(maintenance, .maintenanceDone)
    }

    /// The maintenance of the current host is over: it comes back updated; the next host follows.
    func maintenanceDone(_ sim: ClusterSimulation) {
        if let h = current {
            sim.hosts.up[h] = true
            sim.hosts.markUpdated(h)
        }
        next(sim)
    }
}

extension ClusterSimulation {
    /// Starts a rolling maintenance over `hosts`, in order: drain a host with
    /// `kind`, keep it down for `maintenance` seconds, bring it back (marked
    /// updated, so later drains prefer it as a target), then the next host.
    public func startRollingMaintenance(hosts order: [Int], kind: MigrationKind, maintenance: Double) throws {
        try require(maintenance.isFinite && maintenance >= 0, .scenarioMaintenance, maintenance, "seconds >= 0")
        for h in order { try require(h >= 0 && h < cluster.hosts.count, .rollingHosts, h, "host indices in 0..<\(cluster.hosts.count)") }
        let op = RollingMaintenance(order: order, kind: kind, maintenance: maintenance)
        rolling = op
        op.next(self)
    }

    /// When the last host of a rolling maintenance came back, in seconds.
    public var maintenanceWindowEnd: Double? { rolling?.finishedAt }
}
