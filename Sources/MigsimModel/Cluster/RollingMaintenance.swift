import MigsimKernel

/// Rolling maintenance (cluster-aware updating): drain hosts one after
/// another, keep each down for its maintenance, bring it back, go on.
///
/// Source: DESIGN.md section 5; seed 000 (host maintenance with live
/// migration). A host's drain ends when every request from it is resolved
/// (migrated, refused or aborted); refused VMs stay on the host.
struct RollingMaintenance {
    let order: [Int]
    let kind: MigrationKind
    let maintenance: Double
    var position = -1
    var current: Int? { position >= 0 && position < order.count ? order[position] : nil }
    var finishedAt: Double?

    /// Starts draining the next host, or finishes.
    mutating func next(_ sim: ClusterSimulation) {
        position += 1
        guard let h = current else {
            finishedAt = sim.now
            return
        }
        sim.hostUp[h] = false
        // In VM-index order, whatever order the host's list is in.
        let onHost = sim.hostVMs[h].sorted()
        for vm in onHost { sim.enqueueNow(MigrationRequest(vm: Int(vm), kind: kind, at: sim.now)) }
        if onHost.isEmpty { drained(sim) }
    }

    mutating func drained(_ sim: ClusterSimulation) {
        sim.scheduleLater(maintenance, .operation)
    }

    mutating func maintenanceDone(_ sim: ClusterSimulation) {
        if let h = current {
            sim.hostUp[h] = true
            sim.hostUpdated[h] = true
        }
        next(sim)
    }
}

extension ClusterSimulation {
    /// Adds a request that is due now and queues it without an event.
    func enqueueNow(_ request: MigrationRequest) {
        requests.append(request)
        requestDue(requests.count - 1)
    }
}
