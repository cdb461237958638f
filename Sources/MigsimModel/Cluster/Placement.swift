/// The outcome of choosing a target host.
enum PlacementChoice: Equatable {
    case host(Int)
    /// Suitable hosts exist but none has a free migration slot now.
    case busy
    /// No host can take the VM; the reason goes to `refused_reason`.
    case refused(String)
}

extension ClusterSimulation {
    /// Why `host` cannot run `vm`, or `nil` if it can (ignoring slots).
    ///
    /// Checks, in order: the host is up, the VM's virtual network exists there,
    /// the CPU vendor matches, the CPU family matches unless processor
    /// compatibility mode is on, and free memory (counting reservations)
    /// covers the VM (DESIGN.md section 5; seeds 001 and 004).
    func incompatibility(vm: Int, host: Int) -> String? {
        let v = vms[vm], h = cluster.hosts[host]
        if !hostUp[host] { return "host-unavailable" }
        if !h.virtualNetworks.contains(v.virtualNetwork) { return "virtual-network" }
        if h.cpuVendor != v.cpuVendor { return "cpu-vendor" }
        if h.cpuFamily != v.cpuFamily && !v.processorCompatibility { return "cpu-family" }
        if hostFreeMemory[host] < v.memoryBytes { return "memory" }
        return nil
    }

    /// The host rating: free memory share, then fewer active migrations, then
    /// the lower index (SCVMM's star rating, reduced to what the model tracks).
    func rating(_ host: Int) -> Double {
        hostFreeMemory[host] / cluster.hosts[host].memoryBytes - 0.01 * Double(hostActive[host])
    }

    func placement(vm: Int, source: Int, requested: Int?) -> PlacementChoice {
        if let t = requested {
            if t == source { return .refused("same-host") }
            if let why = incompatibility(vm: vm, host: t) { return .refused(why) }
            return hostActive[t] < limits.perHost ? .host(t) : .busy
        }
        var best = -1, bestRating = -Double.infinity
        var anySuitable = false
        var firstReason: String?
        for h in 0..<cluster.hosts.count where h != source {
            if let why = incompatibility(vm: vm, host: h) {
                if firstReason == nil || why != "host-unavailable" && firstReason == "host-unavailable" { firstReason = why }
                continue
            }
            anySuitable = true
            guard hostActive[h] < limits.perHost else { continue }
            let r = rating(h)
            if r > bestRating { best = h; bestRating = r }
        }
        if best >= 0 { return .host(best) }
        return anySuitable ? .busy : .refused(firstReason ?? "no-other-host")
    }
}
