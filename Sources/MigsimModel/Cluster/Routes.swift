import MigsimNetwork

/// The bandwidth resources of a cluster and the paths transfers take through them.
///
/// One resource per host and direction (NIC out and in, disk read and
/// write), the shared storage's read and write, an optional core link and
/// optional top-of-rack uplinks. Capacities are payload rates: NIC, core and
/// uplink line rates times the protocol efficiency.
struct Routes {
    let nicTx: [ResourceID], nicRx: [ResourceID]
    let diskRead: [ResourceID], diskWrite: [ResourceID]
    let sanRead: ResourceID?, sanWrite: ResourceID?
    let core: ResourceID?
    /// Top-of-rack uplinks per rack, out and in (empty without a rack layer).
    let rackOut: [ResourceID], rackIn: [ResourceID]
    let rackSize: Int

    init<S>(cluster: ClusterSpec, network: FlowNetwork<S>) {
        let eff = cluster.protocolEfficiency
        var tx: [ResourceID] = [], rx: [ResourceID] = [], dr: [ResourceID] = [], dw: [ResourceID] = []
        for h in cluster.hosts {
            let nic = h.nicBandwidth * h.nicMigrationShare * eff
            tx.append(network.addResource(name: "\(h.name).nic.tx", capacity: nic))
            rx.append(network.addResource(name: "\(h.name).nic.rx", capacity: nic))
            dr.append(network.addResource(name: "\(h.name).disk.read", capacity: h.diskRead))
            dw.append(network.addResource(name: "\(h.name).disk.write", capacity: h.diskWrite))
        }
        (nicTx, nicRx, diskRead, diskWrite) = (tx, rx, dr, dw)
        if let s = cluster.sharedStorage {
            sanRead = network.addResource(name: "san.read", capacity: s.readBandwidth)
            sanWrite = network.addResource(name: "san.write", capacity: s.writeBandwidth)
        } else {
            (sanRead, sanWrite) = (nil, nil)
        }
        core = cluster.coreBandwidth.map { network.addResource(name: "core", capacity: $0 * eff) }
        var out: [ResourceID] = [], inn: [ResourceID] = []
        if let r = cluster.rackUplinkBandwidth {
            let racks = (cluster.hosts.count + cluster.rackSize - 1) / cluster.rackSize
            for k in 0..<racks {
                out.append(network.addResource(name: "rack\(k).uplink.out", capacity: r * eff))
                inn.append(network.addResource(name: "rack\(k).uplink.in", capacity: r * eff))
            }
        }
        (rackOut, rackIn, rackSize) = (out, inn, cluster.rackSize)
    }

    /// The resources a transfer over `route` from host `a` to host `b` crosses,
    /// in path order. Quick migration, the only user of shared storage, is
    /// refused before it starts on a cluster without it.
    func path(_ route: Route, from a: Int, to b: Int) -> FlowPath {
        var p = FlowPath()
        switch route {
        case .network: appendNetwork(a, b, to: &p)
        case .diskToDisk:
            p.append(diskRead[a])
            appendNetwork(a, b, to: &p)
            p.append(diskWrite[b])
        case .sharedStorageWrite: p.append(sanWrite!)
        case .sharedStorageRead: p.append(sanRead!)
        case .sourceDiskWrite: p.append(diskWrite[a])
        case .targetDiskRead: p.append(diskRead[b])
        case .targetDiskReadWrite:
            p.append(diskRead[b])
            p.append(diskWrite[b])
        }
        return p
    }

    /// The payload capacity of the network path from `a` to `b`: its narrowest
    /// resource (the resources of ``path(_:from:to:)`` for `.network`, without building the path).
    func networkCapacity<S>(from a: Int, to b: Int, _ network: FlowNetwork<S>) -> Double {
        var c = min(network.capacity(nicTx[a]), network.capacity(nicRx[b]))
        if let k = core { c = min(c, network.capacity(k)) }
        if !rackOut.isEmpty && a / rackSize != b / rackSize {
            c = min(c, network.capacity(rackOut[a / rackSize]), network.capacity(rackIn[b / rackSize]))
        }
        return c
    }

    /// NIC out, the source rack's uplink out and the target rack's uplink in
    /// (when the racks differ), the core (if any), NIC in.
    /// Built in place: a path is built for every transfer, so no array.
    private func appendNetwork(_ a: Int, _ b: Int, to p: inout FlowPath) {
        p.append(nicTx[a])
        let crossRack = !rackOut.isEmpty && a / rackSize != b / rackSize
        if crossRack { p.append(rackOut[a / rackSize]) }
        if let c = core { p.append(c) }
        if crossRack { p.append(rackIn[b / rackSize]) }
        p.append(nicRx[b])
    }
}
