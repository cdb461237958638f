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
/// never keeps a finished run alive. A reference type owned by the engine.
final class UtilisationSampler {
    let interval: Double
    private(set) var links: [LinkSample] = []
    private(set) var hosts: [HostSample] = []

    init(interval: Double) { self.interval = interval }

    /// Takes one sample of every host's NIC directions and memory, then schedules the next.
    func tick(_ sim: ClusterSimulation) {
        let t = sim.now
        let cpu = sim.balancer.map { $0.loads(sim) }
        for h in sim.cluster.hosts.indices {
            links.append(LinkSample(time: t, link: "host\(h).nic.tx", utilisation: sim.network.utilisation(sim.routes.nicTx[h])))
            links.append(LinkSample(time: t, link: "host\(h).nic.rx", utilisation: sim.network.utilisation(sim.routes.nicRx[h])))
            let memory = sim.cluster.hosts[h].memoryBytes
            hosts.append(HostSample(time: t, host: h, memoryUsed: (memory - sim.hosts.freeMemory[h]) / memory, cpuLoad: cpu?[h],
                                    activeMigrations: sim.hosts.active[h]))
        }
        if sim.scheduler.pendingCount > 0 { sim.scheduleLater(interval, priority: EventPriority.sample, .sample) }
    }
}

extension ClusterSimulation {
    /// Records `links.csv` and `hosts.csv` samples every `interval` seconds.
    public func startSampling(interval: Double) throws {
        try require(interval.isFinite && interval > 0, .sampleInterval, interval, "seconds > 0")
        sampler = UtilisationSampler(interval: interval)
        scheduleLater(0, priority: EventPriority.sample, .sample)
    }

    public var linkSamples: [LinkSample] { sampler?.links ?? [] }
    public var hostSamples: [HostSample] { sampler?.hosts ?? [] }
}
