import MigsimKernel

/// One row of `links.csv`: a NIC direction's utilisation at a sampling instant.
public struct LinkSample: Sendable, Equatable {
    public var time: Double
    /// `host<i>.nic.tx` or `host<i>.nic.rx`.
    public var link: String
    /// Carried payload rate over payload capacity, 0...1.
    public var utilisation: Double
}

/// One row of `hosts.csv`: a host's state at a sampling instant.
public struct HostSample: Sendable, Equatable {
    public var time: Double
    public var host: Int
    /// Memory held by placed VMs and reservations, over host memory.
    public var memoryUsed: Double
    /// CPU demand over cores (empty unless PRO balancing draws demands).
    public var cpuLoad: Double?
    /// Migrations the host takes part in.
    public var activeMigrations: Int
}

/// Periodic sampling of link and host utilisation for the optional time series.
///
/// Samples every `interval` seconds while any other event is pending, so it
/// never keeps a finished run alive.
struct UtilisationSampler {
    let interval: Double
    var links: [LinkSample] = []
    var hosts: [HostSample] = []
}

extension ClusterSimulation {
    /// Records `links.csv` and `hosts.csv` samples every `interval` seconds.
    public func startSampling(interval: Double) throws {
        try require(interval.isFinite && interval > 0, .sampleInterval, interval, "seconds > 0")
        sampler = UtilisationSampler(interval: interval)
        _ = try! scheduler.schedule(after: .zero, priority: 255, .sample)
    }

    func sampleTick() {
        guard var s = sampler else { return }
        // Take the sampler out while appending: a copy left in `sampler` made
        // every append copy all earlier samples (quadratic in samples).
        sampler = nil
        let t = now
        let cpu = balancer.map { $0.loads(self) }
        for h in cluster.hosts.indices {
            s.links.append(LinkSample(time: t, link: "host\(h).nic.tx", utilisation: network.utilisation(nicTx[h])))
            s.links.append(LinkSample(time: t, link: "host\(h).nic.rx", utilisation: network.utilisation(nicRx[h])))
            let used = (cluster.hosts[h].memoryBytes - hostFreeMemory[h]) / cluster.hosts[h].memoryBytes
            s.hosts.append(HostSample(time: t, host: h, memoryUsed: used, cpuLoad: cpu?[h], activeMigrations: hostActive[h]))
        }
        sampler = s
        if scheduler.pendingCount > 0 {
            scheduleLater(s.interval, priority: 255, .sample)
        }
    }

    public var linkSamples: [LinkSample] { sampler?.links ?? [] }
    public var hostSamples: [HostSample] { sampler?.hosts ?? [] }
}
