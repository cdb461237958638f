/// The model's checks of a cluster, its VMs and the run settings, in one place.
///
/// ``ClusterSimulation`` runs ``check(cluster:vms:settings:limits:weights:)``
/// before it builds any resource, and ``Scenario/validate()`` runs it (plus
/// the action's own checks) without building a simulation, so a scenario file
/// is validated without the cost of constructing one.
///
/// Checks run in a fixed order and the first failure is thrown: the cluster,
/// the migration settings, the concurrency limits, each VM in index order
/// (its own parameters, then its disks' block count), the placement weights,
/// then each host's memory against the VMs that start on it.
public enum ModelValidation {
    /// Throws the first ``ModelError`` among the checks above; returns if all pass.
    ///
    /// Cost: O(hosts + VMs + disks); no key text is formatted unless a check fails.
    public static func check(cluster: ClusterSpec, vms: [VMSpec], settings: MigrationSettings, limits: ConcurrencyLimits,
                             weights: PlacementWeights) throws {
        try cluster.validate()
        try settings.validate()
        try require(limits.perHost > 0, .concurrencyPerHost, limits.perHost, "an integer > 0")
        try require(limits.perCluster > 0, .concurrencyPerCluster, limits.perCluster, "an integer > 0")
        try require(limits.perPair > 0, .concurrencyPerPair, limits.perPair, "an integer > 0")
        // Loops over indices read the VMs where they lie: a for-in loop
        // copied each spec (a retain of each string and array in it).
        for i in vms.indices {
            try vms[i].validate(index: i, hosts: cluster.hosts.count)
            // Live-storage tracks dirty blocks like pages: a block count must fit the page model.
            let diskBytes = vms[i].diskBytes
            try require(diskBytes.isFinite && diskBytes / settings.blockSize < 4e9, .vmDiskBlocks, at: i, vms[i].disks,
                        "disks of fewer than 4e9 blocks of migration.block_size (\(settings.blockSize) bytes) in all")
            if let z = settings.mechanisms.zeroPageBytes {
                // A zero-page record no larger than the page it replaces.
                let pageSize = vms[i].pageSize
                try require(z <= Double(pageSize), .migrationZeroPages, z, "send, or a header of at most the page size (\(pageSize) bytes)")
            }
        }
        try weights.validate()
        // Every VM's host index is valid here (checked above).
        var free = cluster.hosts.map(\.memoryBytes)
        for i in vms.indices { free[vms[i].host] -= vms[i].memoryBytes }
        for (h, f) in free.enumerated() where f < 0 {
            throw ModelError(field: .hostMemory, index: h, value: "\(cluster.hosts[h].memoryBytes)",
                             accepted: "at least the memory of the VMs placed on it (\(cluster.hosts[h].memoryBytes - f) bytes)")
        }
    }
}

extension Scenario {
    /// Checks every parameter a run reads, without building a simulation.
    ///
    /// The model's checks (``ModelValidation/check(cluster:vms:settings:limits:weights:)``)
    /// come first, then the action's: the drained or failed host exists, a
    /// drain compares at least one kind, rolling maintenance lasts a finite
    /// time >= 0, the balancing parameters are in range, and the time-series
    /// interval (if any) is > 0.
    public func validate() throws {
        try ModelValidation.check(cluster: cluster, vms: vms, settings: settings, limits: limits, weights: placement)
        try validateAction()
        if let i = sampleInterval {
            try require(i.isFinite && i > 0, .sampleInterval, i, "seconds > 0")
        }
    }

    /// The action's own checks (see ``validate()``); ``run(runID:maxEvents:)``
    /// makes them before its first run, each simulation then checks the model.
    func validateAction() throws {
        switch action {
        case .drain(let host):
            try require(host >= 0 && host < cluster.hosts.count, .scenarioHost, host, "a host index in 0..<\(cluster.hosts.count)")
            try require(!kinds.isEmpty, .scenarioKinds, "[]", "one or more of \(MigrationKind.allCases.map(\.rawValue))")
        case .hostFailure(let host):
            try require(host >= 0 && host < cluster.hosts.count, .scenarioHost, host, "a host index in 0..<\(cluster.hosts.count)")
        case .rolling(let maintenance):
            try require(maintenance.isFinite && maintenance >= 0, .scenarioMaintenance, maintenance, "seconds >= 0")
        case .balance(let spec):
            try spec.validate()
        case .evacuate(let hosts):
            try require(!hosts.isEmpty, .scenarioHosts, "[]", "one or more host indices")
            for h in hosts { try require(h >= 0 && h < cluster.hosts.count, .scenarioHosts, h, "host indices in 0..<\(cluster.hosts.count)") }
            try require(Set(hosts).count == hosts.count, .scenarioHosts, hosts, "each host once")
            try require(hosts.count < cluster.hosts.count, .scenarioHosts, hosts, "fewer hosts than the cluster has (the VMs need somewhere to go)")
            try require(!kinds.isEmpty, .scenarioKinds, "[]", "one or more of \(MigrationKind.allCases.map(\.rawValue))")
        case .plan:
            try require(!kinds.isEmpty, .scenarioKinds, "[]", "one or more of \(MigrationKind.allCases.map(\.rawValue))")
        }
    }
}
