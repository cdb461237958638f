import Foundation
import MigsimModel
import MigsimRandom

/// Host and VM inventories (`cluster.inventory`, `vms.inventory`): CSV files
/// with one row per host or VM, read instead of the cycled short form
/// (`cluster.hosts` and `cluster.host.*`; `vms.count`, `vms.memory`, ...).
///
/// `hosts.csv`: `id` (0..n-1, each once, any order), `memory` (a size),
/// `cpu_cores`, `nic` (a rate), `cpu_vendor`, `cpu_family`; optional `rack`
/// (an integer), `disk_read`, `disk_write` (rates) and `virtual_networks`
/// (`;`-separated names, default `default`).
///
/// `vms.csv`: `id`, `host`, `memory`, and `profile` (a built-in profile)
/// or `dirty_rate` (a distribution in scenario syntax, quoted when it holds
/// a comma) or both (the rate replaces the profile's); optional `disks`
/// (`;`-separated sizes, empty for none), `trace` (a dirty-rate trace,
/// relative to the CSV), `virtual_network` (default `default`) and
/// `memory_in_use`. A VM's CPU vendor and family are its host's.
///
/// Racks: ``ClusterSpec/rackSize`` models racks as blocks of consecutive
/// host indices of one size (the last may be smaller), so the `rack` column
/// must describe exactly that: hosts sorted by id fall into consecutive runs
/// of equal rack labels, each label in one run, every run but the last of
/// the same length.
///
/// Every error names the CSV file, the line, the column and what is accepted.
struct Inventory: Sendable {
    struct Host: Sendable {
        var line: Int
        var spec: HostSpec
        var rack: Int?
    }
    struct VM: Sendable {
        var line: Int
        var host: Int
        var memory: Double
        var profile: WorkloadProfile?
        var rate: Distribution?
        var disks: [Double]?
        var trace: DirtyTrace?
        var virtualNetwork: String?
        var memoryInUse: Double?
    }

    /// The hosts file as named (resolved path) and its hosts by id.
    var hostsFile: String?
    var hosts: [Host]?
    /// Hosts per rack from the `rack` column; `nil` without it.
    var rackSize: Int?
    var vmsFile: String?
    var vms: [VM]?

    // MARK: Columns

    static let hostRequired = ["id", "memory", "cpu_cores", "nic", "cpu_vendor", "cpu_family"]
    static let hostOptional = ["rack", "disk_read", "disk_write", "virtual_networks"]
    static let vmRequired = ["id", "host", "memory"]
    static let vmOptional = ["profile", "dirty_rate", "disks", "trace", "virtual_network", "memory_in_use"]

    /// The scenario keys an inventory gives a value for: always, and only when
    /// it has the column. Setting one of these keys next to the inventory is
    /// refused, so a value is never silently ignored.
    static let hostKeys = ["cluster.hosts", "cluster.host.memory", "cluster.host.cpu_cores", "cluster.host.nic",
                           "cluster.host.cpu_vendor", "cluster.host.cpu_family"]
    static let hostColumnKeys = ["rack": "cluster.rack_size", "disk_read": "cluster.host.disk_read", "disk_write": "cluster.host.disk_write"]
    static let vmKeys = ["vms.count", "vms.host", "vms.memory", "vms.profiles", "vms.dirty_rate", "vms.dirty_trace"]
    static let vmColumnKeys = ["disks": "vms.disks", "memory_in_use": "vms.memory_in_use"]

    static let hostAccepted = "a CSV file with a header naming " + hostRequired.joined(separator: ", ")
        + " (optional: " + hostOptional.joined(separator: ", ") + "), then one row per host (at most 100000)"
    static let vmAccepted = "a CSV file with a header naming " + vmRequired.joined(separator: ", ")
        + " and profile or dirty_rate (optional: disks, trace, virtual_network, memory_in_use), then one row per VM (at most 1000000)"

    /// The largest inventories: as `cluster.hosts` and `vms.count` allow.
    static let maximumHosts = 100_000
    static let maximumVMs = 1_000_000

    // MARK: Reading

    /// Reads a hosts file. `template` gives the values of the optional columns' keys.
    static func loadHosts(path: String, template: HostSpec) throws -> (hosts: [Host], rackSize: Int?, columns: [String]) {
        let csv = try CSVRecords.load(path: path, accepted: hostAccepted, maximumRows: maximumHosts)
        let col = try columns(csv, source: path, required: hostRequired, optional: hostOptional, accepted: hostAccepted)
        var byID = [Host?](repeating: nil, count: csv.records.count)
        for r in csv.records {
            let cell = Cells(record: r, index: col, source: path)
            let id = try cell.id(count: csv.records.count, what: "host")
            if let first = byID[id] {
                throw cell.fail("id", "host \(id) appears twice (first on line \(first.line))", "each id 0...\(csv.records.count - 1) once")
            }
            var h = template
            h.name = "host\(id)"
            h.memoryBytes = try cell.value("memory", V.size(.positive))
            h.cpuCores = try cell.value("cpu_cores", V.int(1...1_000_000))
            h.nicBandwidth = try cell.value("nic", V.rate(.positive))
            h.cpuVendor = try cell.value("cpu_vendor", V.label)
            h.cpuFamily = try cell.value("cpu_family", V.int(0...1_000_000))
            if col["disk_read"] != nil { h.diskRead = try cell.value("disk_read", V.rate(.positive)) }
            if col["disk_write"] != nil { h.diskWrite = try cell.value("disk_write", V.rate(.positive)) }
            if col["virtual_networks"] != nil, let nets = try cell.list("virtual_networks", V.label, maximum: 1024) {
                guard !nets.isEmpty else { throw cell.fail("virtual_networks", "no network named", "names separated by ';', or an empty cell for default") }
                h.virtualNetworks = nets
            }
            let rack = col["rack"] != nil ? try cell.value("rack", V.int(0...1_000_000)) : nil
            byID[id] = Host(line: r.line, spec: h, rack: rack)
        }
        let hosts = byID.compactMap { $0 }
        return (hosts, col["rack"] != nil ? try rackSize(hosts, source: path) : nil, csv.header)
    }

    /// The one rack size the `rack` column describes (see the type's comment).
    static func rackSize(_ hosts: [Host], source: String) throws -> Int {
        var runs: [(rack: Int, count: Int)] = []
        var seen: [Int: Int] = [:]
        let accepted = "racks of consecutive host ids, all of one size but the last, which may be smaller (migsim models racks as cluster.rack_size consecutive hosts)"
        for (i, h) in hosts.enumerated() {
            let r = h.rack ?? 0
            if let last = runs.last, last.rack == r {
                runs[runs.count - 1].count += 1
                continue
            }
            if let first = seen[r] {
                throw ConfigError(source: source, key: "rack", problem: "host \(i) is in rack \(r) again after host \(first) and other racks between",
                                  accepted: accepted, line: h.line)
            }
            if runs.count >= 2, runs[runs.count - 1].count != runs[0].count {
                throw ConfigError(source: source, key: "rack", problem: "rack \(runs[runs.count - 1].rack) has \(runs[runs.count - 1].count) hosts, rack \(runs[0].rack) has \(runs[0].count)",
                                  accepted: accepted, line: h.line)
            }
            seen[r] = i
            runs.append((r, 1))
        }
        if runs.count >= 2, let last = runs.last, last.count > runs[0].count {
            throw ConfigError(source: source, key: "rack", problem: "the last rack \(last.rack) has \(last.count) hosts, more than rack \(runs[0].rack)'s \(runs[0].count)",
                              accepted: accepted, line: hosts.last?.line)
        }
        return runs[0].count
    }

    /// Reads a VMs file. Traces are read relative to the file, each once.
    static func loadVMs(path: String, pageSize: Double) throws -> (vms: [VM], columns: [String]) {
        let csv = try CSVRecords.load(path: path, accepted: vmAccepted, maximumRows: maximumVMs)
        let col = try columns(csv, source: path, required: vmRequired, optional: vmOptional, accepted: vmAccepted)
        guard col["profile"] != nil || col["dirty_rate"] != nil else {
            throw ConfigError(source: path, key: "profile or dirty_rate", problem: "neither column in the header", accepted: vmAccepted,
                              line: csv.headerLine)
        }
        let base = URL(fileURLWithPath: path).deletingLastPathComponent()
        var traces: [String: DirtyTrace] = [:]
        let rate = DistributionSyntax.type(.plain, what: "page writes/s", nonNegativeMean: true)
        let profile = V.cases(WorkloadProfile.allCases)
        var byID = [VM?](repeating: nil, count: csv.records.count)
        for r in csv.records {
            let cell = Cells(record: r, index: col, source: path)
            let id = try cell.id(count: csv.records.count, what: "VM")
            if let first = byID[id] {
                throw cell.fail("id", "VM \(id) appears twice (first on line \(first.line))", "each id 0...\(csv.records.count - 1) once")
            }
            var vm = VM(line: r.line, host: try cell.value("host", V.int(0...99_999)), memory: try cell.value("memory", V.size(.positive)))
            vm.profile = try cell.optional("profile", profile)
            vm.rate = try cell.optional("dirty_rate", rate)
            guard vm.profile != nil || vm.rate != nil else {
                throw cell.fail(col["profile"] != nil ? "profile" : "dirty_rate", "the row gives neither a profile nor a dirty_rate",
                                "a profile (\(WorkloadProfile.allCases.map(\.rawValue).joined(separator: ", "))) or a dirty_rate distribution")
            }
            if col["disks"] != nil { vm.disks = try cell.list("disks", V.size(.positive), maximum: Schema.maximumDisks) ?? [] }
            if col["memory_in_use"] != nil { vm.memoryInUse = try cell.value("memory_in_use", V.number(.share)) }
            vm.virtualNetwork = try cell.optional("virtual_network", V.label)
            if let p = try cell.optional("trace", V.path) {
                let full = p.hasPrefix("/") ? p : base.appendingPathComponent(p).standardizedFileURL.path
                if let t = traces[full] {
                    vm.trace = t
                } else {
                    do {
                        let t = try TraceFile.load(path: full, pageSize: pageSize)
                        traces[full] = t
                        vm.trace = t
                    } catch let c as ConfigError where c.key == "(file)" {
                        throw cell.fail("trace", "'\(p.prefix(80))': \(c.problem) (looked for \(full))", c.accepted)
                    }
                }
            }
            byID[id] = vm
        }
        return (byID.compactMap { $0 }, csv.header)
    }

    /// Column positions; refuses missing required and unknown columns.
    static func columns(_ csv: CSVRecords, source: String, required: [String], optional: [String], accepted: String) throws -> [String: Int] {
        let index = csv.columnIndex
        if let missing = required.first(where: { index[$0] == nil }) {
            throw ConfigError(source: source, key: missing, problem: "no \(missing) column in the header", accepted: accepted, line: csv.headerLine)
        }
        if let unknown = csv.header.first(where: { !required.contains($0) && !optional.contains($0) }) {
            throw ConfigError(source: source, key: String(unknown.prefix(40)), problem: "an unknown column",
                              accepted: "the columns " + (required + optional).joined(separator: ", "), line: csv.headerLine)
        }
        return index
    }

    /// One row's cells, read by column name with the schema's value types.
    struct Cells {
        let record: CSVRecords.Record
        let index: [String: Int]
        let source: String

        func fail(_ column: String, _ problem: String, _ accepted: String) -> ConfigError {
            ConfigError(source: source, key: column, problem: problem, accepted: accepted, line: record.line)
        }
        func text(_ column: String) -> String? { index[column].map { record.fields[$0] } }

        /// A cell parsed with `type`; an empty or bad cell names the column.
        func value<T>(_ column: String, _ type: ValueType<T>) throws -> T {
            let t = text(column) ?? ""
            guard !t.isEmpty else { throw fail(column, "the cell is empty", type.accepted) }
            do { return try type.parse(t).0 } catch let p as Problem { throw fail(column, p.message, p.accepted ?? type.accepted) }
        }
        /// `nil` for a missing column or an empty cell.
        func optional<T>(_ column: String, _ type: ValueType<T>) throws -> T? {
            guard let t = text(column), !t.isEmpty else { return nil }
            return try value(column, type)
        }
        /// `;`-separated items; `nil` for a missing column, `[]` for an empty cell.
        func list<T>(_ column: String, _ item: ValueType<T>, maximum: Int) throws -> [T]? {
            guard let t = text(column) else { return nil }
            guard !t.isEmpty else { return [] }
            let parts = t.split(separator: ";", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            let accepted = "items separated by ';' (at most \(maximum)), each \(item.accepted)"
            guard parts.count <= maximum else { throw fail(column, "\(parts.count) items", accepted) }
            return try parts.enumerated().map { n, p in
                do { return try item.parse(p).0 } catch let e as Problem { throw fail(column, "item \(n + 1): \(e.message)", accepted) }
            }
        }
        /// The row's id: an integer in 0..<count.
        func id(count: Int, what: String) throws -> Int {
            let t = text("id") ?? ""
            let accepted = "ids 0...\(count - 1), each once (one per \(what) row, in any order)"
            guard let id = Int(t) else { throw fail("id", "'\(t.prefix(40))' is not an integer", accepted) }
            guard id >= 0, id < count else {
                throw fail("id", "\(what) \(id) with \(count) rows (some id below \(count) is missing)", accepted)
            }
            return id
        }
    }

    // MARK: Layout

    /// The cluster and VMs of draft `d` with the inventories in place of the cycled keys.
    func layout(_ d: Draft, fail: Assembly.Fail) throws -> (ClusterSpec, [VMSpec]) {
        var cluster = d.cluster
        let hostCount = hosts?.count ?? d.hostCount
        // Host memory without a hosts file: cluster.host.memory, or fit to the fullest host.
        var memory = [Double](repeating: 0, count: hostCount)
        if let hosts {
            memory = hosts.map(\.spec.memoryBytes)
        } else if let vms {
            var load = memory
            for v in vms where v.host < hostCount { load[v.host] += v.memory }
            let fit = d.hostMemory ?? (load.max() ?? 0)
            memory = [Double](repeating: fit, count: hostCount)
        }
        var specs = hosts?.map(\.spec) ?? (0..<hostCount).map { i in
            var h = d.host
            h.name = "host\(i)"
            h.memoryBytes = memory[i]
            return h
        }
        var out: [VMSpec]
        if let vms {
            out = try vmSpecs(vms, d, hosts: specs)
        } else {
            // Host memory comes from the inventory (checked below), so lay the VMs out as for fit.
            var cycled = d
            cycled.hostMemory = nil
            out = try Assembly.cycledLayout(cycled, fail: fail).1
            for i in out.indices where out[i].host < specs.count {
                out[i].cpuVendor = specs[out[i].host].cpuVendor
                out[i].cpuFamily = specs[out[i].host].cpuFamily
            }
        }
        try checkMemory(out, memory: memory, fail: fail)
        for i in specs.indices { specs[i].memoryBytes = memory[i] }
        cluster.hosts = specs
        cluster.sharedStorage = d.sharedStorage ? d.storage : nil
        cluster.rackSize = rackSize ?? d.rackSize ?? 0
        do { try cluster.validate() } catch let e as ModelError {
            throw error(for: e) ?? fail(Schema.key(for: e.field), "\(e.path) = \(e.value) is invalid", e.accepted)
        }
        return (cluster, out)
    }

    /// The VMs of the file, with every other `vms.*` key applied as the cycled form applies it.
    func vmSpecs(_ vms: [VM], _ d: Draft, hosts: [HostSpec]) throws -> [VMSpec] {
        let source = vmsFile ?? "vms.csv"
        var out: [VMSpec] = []
        out.reserveCapacity(vms.count)
        for (i, v) in vms.enumerated() {
            guard v.host < hosts.count else {
                throw ConfigError(source: source, key: "host", problem: "host \(v.host) is not in the cluster of \(hosts.count) hosts",
                                  accepted: "a host id in 0...\(hosts.count - 1) (\(hostsFile ?? "cluster.hosts"))", line: v.line)
            }
            let h = hosts[v.host]
            // Without a profile: the row's rate over all pages (hot set 1, write share 1) unless the keys say otherwise.
            var base = try v.profile?.spec ?? WorkloadSpec(rate: .constant(0))
            if let r = v.rate { base.rate = r }
            if let t = v.trace { base.trace = t }
            var s = Assembly.vm(host: v.host, memory: v.memory,
                                workload: Assembly.workload(base, vm: i, ownRate: v.rate != nil || v.trace != nil, d), d)
            if let m = v.memoryInUse { s.memoryInUse = m }
            if let disks = v.disks { s.disks = disks }
            s.virtualNetwork = v.virtualNetwork ?? "default"
            s.cpuVendor = h.cpuVendor
            s.cpuFamily = h.cpuFamily
            guard h.virtualNetworks.contains(s.virtualNetwork) else {
                throw ConfigError(source: source, key: "virtual_network", problem: "host \(v.host) has no virtual network '\(s.virtualNetwork)'",
                                  accepted: "a network of its host: \(h.virtualNetworks.joined(separator: ";"))", line: v.line)
            }
            do { try s.validate(index: i, hosts: hosts.count) } catch let e as ModelError {
                if let c = error(for: e) { throw c }
                throw ConfigError(source: source, key: Schema.key(for: e.field), problem: "VM \(i): \(e.value) is invalid", accepted: e.accepted,
                                  line: v.line)
            }
            out.append(s)
        }
        return out
    }

    /// Every VM fits some host, and no host starts with more than its memory.
    func checkMemory(_ vms: [VMSpec], memory: [Double], fail: Assembly.Fail) throws {
        let largest = memory.max() ?? 0
        var load = [Double](repeating: 0, count: memory.count)
        let vmLines = self.vms?.map(\.line)
        for (i, v) in vms.enumerated() {
            let line = vmLines?[i]
            func report(_ column: String, _ problem: String, _ accepted: String) -> ConfigError {
                if let vmsFile, let line { return ConfigError(source: vmsFile, key: column, problem: problem, accepted: accepted, line: line) }
                return fail("vms.count", "\(problem) (VM \(i))", accepted)
            }
            if v.memoryBytes > largest {
                throw report("memory", "VM \(i) of \(Quantity.bytes(v.memoryBytes)) is larger than every host",
                             "sizes up to the largest host's memory (\(Quantity.bytes(largest)))")
            }
            load[v.host] += v.memoryBytes
            if load[v.host] > memory[v.host] {
                let at = hosts.map { " (\(hostsFile ?? "hosts.csv") line \($0[v.host].line))" } ?? ""
                throw report("host", "host \(v.host) is over-committed: its VMs up to VM \(i) need \(Quantity.bytes(load[v.host])), it has \(Quantity.bytes(memory[v.host]))\(at)",
                             "VMs whose memory on each host adds up to at most the host's memory")
            }
        }
    }

    /// A model error about an inventory row, as an error naming its file, line and column; `nil` for other fields.
    func error(for e: ModelError) -> ConfigError? {
        guard let i = e.index else { return nil }
        let vmColumns: [ModelField: String] = [.vmHost: "host", .vmMemory: "memory", .vmMemoryInUse: "memory_in_use", .vmDisk: "disks",
                                               .vmDiskBlocks: "disks", .vmWorkloadRate: "dirty_rate"]
        let hostColumns: [ModelField: String] = [.hostMemory: "memory", .hostNIC: "nic", .hostDiskRead: "disk_read",
                                                 .hostDiskWrite: "disk_write", .hostCPUCores: "cpu_cores"]
        if let c = vmColumns[e.field], let vmsFile, let vms, vms.indices.contains(i) {
            return ConfigError(source: vmsFile, key: c, problem: "VM \(i): \(e.value) is invalid", accepted: e.accepted, line: vms[i].line)
        }
        if let c = hostColumns[e.field], let hostsFile, let hosts, hosts.indices.contains(i) {
            return ConfigError(source: hostsFile, key: c, problem: "host \(i): \(e.value) is invalid", accepted: e.accepted, line: hosts[i].line)
        }
        return nil
    }
}

extension ScenarioConfig {
    /// Reads `cluster.inventory` and `vms.inventory` into the draft (paths
    /// relative to the file that names them), after refusing every key set
    /// next to an inventory that gives the same values.
    func loadInventories(_ draft: inout Draft) throws {
        guard draft.hostInventory != nil || draft.vmInventory != nil else { return }
        var inventory = Inventory()
        if let p = draft.hostInventory {
            let (path, entry) = (resolve(p, key: "cluster.inventory"), entries["cluster.inventory"])
            let (hosts, racks, columns) = try named(entry, "cluster.inventory", p, path) { try Inventory.loadHosts(path: path, template: draft.host) }
            try refuse(Inventory.hostKeys, columns: Inventory.hostColumnKeys.filter { columns.contains($0.key) }, with: "cluster.inventory", entry: entry)
            inventory.hostsFile = path
            inventory.hosts = hosts
            inventory.rackSize = racks
            draft.hostCount = hosts.count
        }
        if let p = draft.vmInventory {
            let (path, entry) = (resolve(p, key: "vms.inventory"), entries["vms.inventory"])
            let (vms, columns) = try named(entry, "vms.inventory", p, path) { try Inventory.loadVMs(path: path, pageSize: Double(draft.pageSize)) }
            try refuse(Inventory.vmKeys, columns: Inventory.vmColumnKeys.filter { columns.contains($0.key) }, with: "vms.inventory", entry: entry)
            inventory.vmsFile = path
            inventory.vms = vms
            draft.vmCount = vms.count
        }
        draft.inventory = inventory
    }

    /// A file that cannot be read at all, reported at the key that names it (as for `vms.dirty_trace`).
    func named<T>(_ entry: Entry?, _ key: String, _ written: String, _ path: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let c as ConfigError where c.key == "(file)" && c.source == path {
            throw ConfigError(source: entry?.source ?? source, key: key, problem: "'\(written.prefix(80))': \(c.problem) (looked for \(path))",
                              accepted: c.accepted, line: entry?.line)
        }
    }

    /// Refuses the first key set explicitly (in a file, `--set` or a sweep) of `keys`
    /// (which the inventory always gives) and of `columns` (column: key, for the columns it has).
    func refuse(_ keys: [String], columns: [String: String], with inventoryKey: String, entry: Entry?) throws {
        let column = Dictionary(columns.map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        for k in (keys + columns.values).sorted(by: { (Schema.index[$0] ?? 0) < (Schema.index[$1] ?? 0) }) {
            guard let e = entries[k] else { continue }
            let named = entry.map { " (\($0.source)\($0.line.map { " line \($0)" } ?? ""))" } ?? ""
            let drop = column[k].map { "its \($0) column" } ?? inventoryKey
            throw ConfigError(source: e.source, key: k, problem: "set together with \(inventoryKey)\(named), whose file gives this value",
                              accepted: "one of them: leave \(k) out, or drop \(drop)", line: e.line)
        }
    }
}
