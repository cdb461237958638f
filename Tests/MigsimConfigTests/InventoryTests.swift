import Foundation
import MigsimConfig
import MigsimModel
import MigsimOutput
import MigsimRandom
import XCTest

/// Host and VM inventories (`cluster.inventory`, `vms.inventory`): the shipped
/// examples, equality with the cycled short form, racks, keys they override,
/// and a table of bad inventories.
final class InventoryTests: XCTestCase {
    func tempDir() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("migsim-inventory-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: d) }
        return d
    }

    /// Writes `files` (name: text) into a new directory and returns the scenario file's path.
    func write(_ files: [String: String]) throws -> String {
        let dir = try tempDir()
        for (name, text) in files {
            let url = dir.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return dir.appendingPathComponent("s.yaml").path
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testShippedExamplesLoadAndRun() throws {
        let path = Self.repository.appendingPathComponent("data/inventories/drain.yaml").path
        let s = try ScenarioFile.load(path: path).scenario()
        XCTAssertEqual(s.cluster.hosts.count, 6)
        XCTAssertEqual(s.cluster.hosts.map(\.memoryBytes), [256, 256, 256, 512, 512, 512].map { $0 * Units.GiB })
        XCTAssertEqual(s.cluster.hosts.map(\.nicBandwidth), [10, 10, 10, 25, 25, 25].map { $0 * Units.Gbps })
        XCTAssertEqual(s.cluster.hosts[5].cpuVendor, "amd")
        XCTAssertEqual(s.cluster.hosts[5].cpuFamily, 25)
        XCTAssertEqual(s.cluster.hosts[3].diskRead, 500e6)
        XCTAssertEqual(s.cluster.hosts[0].virtualNetworks, ["default", "backup"])
        XCTAssertEqual(s.cluster.rackSize, 3, "rack 0 = hosts 0-2, rack 1 = hosts 3-5")
        XCTAssertEqual(s.cluster.rackUplinkBandwidth, 40 * Units.Gbps)
        XCTAssertEqual(s.vms.count, 8)
        XCTAssertEqual(s.vms.map(\.host), [0, 0, 0, 0, 0, 1, 1, 1])
        XCTAssertEqual(s.vms[1].disks, [40 * Units.GiB, 100 * Units.GiB])
        XCTAssertEqual(s.vms[6].disks, [], "an empty disks cell: no disks")
        XCTAssertEqual(s.vms[1].virtualNetwork, "backup")
        XCTAssertEqual(s.vms[2].memoryInUse, 0.5)
        XCTAssertEqual(s.vms[3].workload.rate.mean, 10_000, "gamma(4, 2500)")
        XCTAssertEqual(s.vms[3].workload.hotSetFraction, 1, "no profile: writes over all pages")
        XCTAssertEqual(s.vms[5].workload.rate.mean, 12_000, "uniform(8000, 16000) replaces the database profile's rate")
        XCTAssertEqual(s.vms[5].workload.hotSetFraction, WorkloadProfile.database.spec.hotSetFraction)
        XCTAssertEqual(s.vms[4].workload.trace?.ends.count, 60, "trace relative to vms.csv")
        XCTAssertNil(s.vms[0].workload.trace)
        for v in s.vms { XCTAssertEqual(v.cpuVendor, s.cluster.hosts[v.host].cpuVendor) }
        let r = try s.run()
        XCTAssertEqual(r.count, 1)
        XCTAssertEqual(r[0].records.count, 5, "host 0's five VMs are drained")
        for m in r[0].records {
            XCTAssertNotEqual(m.target, 5, "host 5 is AMD: no Intel VM may move there")
            XCTAssertNotNil(m.downtime, "VM \(m.vm) completed")
        }
    }

    /// The same hosts and VMs written as inventories and as cycled keys give byte-identical CSV.
    func testInventoriesEqualTheCycledForm() throws {
        // Every other vms.* key applies to inventory VMs as to cycled ones (one function, Assembly.workload, for both).
        let settings = "scenario: {kinds: [live, post-copy, quick]}\nvms.memory_in_use: 0.8\nvms.disks: [20GiB]\nvms.hot_set: 256MiB\n"
            + "vms.hot_write_share: 0.7\nvms.popularity: zipf(1.1)\nvms.read_share: 0.2\nvms.counting: linear\nvms.device_state: 3MiB\n"
        let cycled = try ScenarioFile.parse(settings + """
            cluster: {hosts: 4, host: {memory: 64GiB, cpu_cores: 16, nic: 1Gbps, cpu_vendor: amd, cpu_family: 23}}
            vms: {count: 5, memory: [2GiB, 4GiB], profiles: [web, database, idle]}
            """, source: "c.yaml").scenario()
        let path = try write([
            "s.yaml": settings + "cluster: {inventory: h.csv}\nvms: {inventory: v.csv}\n",
            "h.csv": "id,memory,cpu_cores,nic,cpu_vendor,cpu_family\n" + (0..<4).reversed().map { "\($0),64GiB,16,1Gbps,amd,23\n" }.joined(),
            "v.csv": "id,host,memory,profile\n0,0,2GiB,web\n1,0,4GiB,database\n2,0,2GiB,idle\n3,0,4GiB,web\n4,0,2GiB,database\n",
        ])
        let inventory = try ScenarioFile.load(path: path).scenario()
        let a = try cycled.run(), b = try inventory.run()
        XCTAssertEqual(ResultTables.migrations(a).text, ResultTables.migrations(b).text)
        XCTAssertEqual(ResultTables.rounds(a).text, ResultTables.rounds(b).text)
        XCTAssertEqual(a[0].records.count, 5)
        // And the check can fail: one VM's memory changed.
        let changed = try write([
            "s.yaml": settings + "cluster: {inventory: h.csv}\nvms: {inventory: v.csv}\n",
            "h.csv": "id,memory,cpu_cores,nic,cpu_vendor,cpu_family\n" + (0..<4).map { "\($0),64GiB,16,1Gbps,amd,23\n" }.joined(),
            "v.csv": "id,host,memory,profile\n0,0,2GiB,web\n1,0,4GiB,database\n2,0,2GiB,idle\n3,0,4GiB,web\n4,0,3GiB,database\n",
        ])
        XCTAssertNotEqual(ResultTables.migrations(try ScenarioFile.load(path: changed).scenario().run()).text, ResultTables.migrations(a).text)
    }

    /// Only a hosts file: the cycled VMs get their host's vendor and family; host memory is the file's, not grown.
    func testHostsInventoryWithCycledVMs() throws {
        let path = try write([
            "s.yaml": "cluster: {inventory: h.csv}\nvms: {count: 3, memory: [8GiB]}\n",
            "h.csv": "id,memory,cpu_cores,nic,cpu_vendor,cpu_family\n0,24GiB,8,10Gbps,amd,25\n1,32GiB,8,10Gbps,amd,25\n",
        ])
        let s = try ScenarioFile.load(path: path).scenario()
        XCTAssertEqual(s.cluster.hosts.map(\.memoryBytes), [24 * Units.GiB, 32 * Units.GiB])
        XCTAssertEqual(s.vms.map(\.cpuVendor), ["amd", "amd", "amd"])
        XCTAssertEqual(s.vms.map(\.cpuFamily), [25, 25, 25])
        // A fourth VM over-commits host 0 (32 GiB > 24 GiB): named at vms.count, since the VMs are cycled.
        var c = try ScenarioFile.load(path: path)
        try c.set("vms.count=4")
        XCTAssertThrowsError(try c.scenario()) { e in
            XCTAssertEqual((e as? ConfigError)?.key, "vms.count", "\(e)")
            XCTAssertTrue("\(e)".contains("host 0 is over-committed"), "\(e)")
        }
    }

    /// Only a VMs file: hosts from the cycled keys; `fit` gives every host the fullest host's memory.
    func testVMsInventoryWithCycledHosts() throws {
        let path = try write([
            "s.yaml": "scenario: {action: rolling}\ncluster: {hosts: 3}\nvms: {inventory: v.csv}\n",
            "v.csv": "id,host,memory,dirty_rate\n1,2,4GiB,100\n0,1,2GiB,100\n2,1,2GiB,100\n",
        ])
        let s = try ScenarioFile.load(path: path).scenario()
        XCTAssertEqual(s.cluster.hosts.map(\.memoryBytes), [4, 4, 4].map { $0 * Units.GiB })
        XCTAssertEqual(s.vms.map(\.host), [1, 2, 1], "rows in id order, whatever the file's order")
        XCTAssertEqual(s.vms.map(\.memoryBytes), [2, 4, 2].map { $0 * Units.GiB })
    }

    /// Racks: consecutive blocks of one size (the last may be smaller) become cluster.rack_size.
    func testRacks() throws {
        func hosts(_ racks: [Int], order: [Int]? = nil) -> String {
            "id,memory,cpu_cores,nic,cpu_vendor,cpu_family,rack\n" + (order ?? Array(racks.indices)).map { "\($0),64GiB,8,10Gbps,intel,6,\(racks[$0])\n" }.joined()
        }
        let good: [([Int], Int)] = [([0, 0, 1, 1, 2, 2], 2), ([7, 7, 7, 3, 3, 3, 5], 3), ([4, 4, 4], 3), ([1, 2, 3], 1), ([0, 0, 0, 1, 1], 3)]
        for (racks, size) in good {
            let path = try write(["s.yaml": "cluster: {inventory: h.csv}\nvms: {count: 1, memory: [1GiB]}\n", "h.csv": hosts(racks, order: racks.indices.reversed())])
            XCTAssertEqual(try ScenarioFile.load(path: path).scenario().cluster.rackSize, size, "\(racks)")
        }
        let bad: [([Int], String)] = [([0, 1, 0], "in rack 0 again"), ([0, 0, 1, 2, 2], "rack 1 has 1 hosts, rack 0 has 2"),
                                      ([0, 0, 1, 1, 1], "the last rack 1 has 3 hosts")]
        for (racks, problem) in bad {
            let path = try write(["s.yaml": "cluster: {inventory: h.csv}\nvms: {count: 1, memory: [1GiB]}\n", "h.csv": hosts(racks)])
            XCTAssertThrowsError(try ScenarioFile.load(path: path).scenario(), "\(racks)") { e in
                XCTAssertEqual((e as? ConfigError)?.key, "rack", "\(e)")
                XCTAssertTrue("\(e)".contains(problem) && "\(e)".contains("cluster.rack_size consecutive hosts"), "\(racks): \(e)")
            }
        }
    }

    static let hostsHeader = "id,memory,cpu_cores,nic,cpu_vendor,cpu_family\n"
    static let vmsHeader = "id,host,memory,profile\n"
    static let twoHosts = hostsHeader + "0,64GiB,8,10Gbps,intel,6\n1,64GiB,8,10Gbps,intel,6\n"

    /// (hosts.csv or nil, vms.csv or nil, file named, column or key, line, text in "accepted").
    static let badInventories: [(hosts: String?, vms: String?, file: String, key: String, line: Int?, accepted: String)] = [
        // Empty files, missing and unknown columns, too many rows
        ("", nil, "h.csv", "(header)", nil, "a header naming id, memory"),
        ("# nothing\n\n", nil, "h.csv", "(header)", nil, "then one row per host"),
        (hostsHeader, nil, "h.csv", "(row)", nil, "then one row per host"),
        (nil, "", "v.csv", "(header)", nil, "profile or dirty_rate"),
        (nil, vmsHeader, "v.csv", "(row)", nil, "one row per VM"),
        ("id,memory,cpu_cores,nic,cpu_vendor\n0,64GiB,8,10Gbps,intel\n", nil, "h.csv", "cpu_family", 1, "cpu_family"),
        (twoHosts, "id,host,memory\n0,0,1GiB\n", "v.csv", "profile or dirty_rate", 1, "profile or dirty_rate"),
        ("id,memory,cpu_cores,nic,cpu_vendor,cpu_family,cpu_model\n0,64GiB,8,10Gbps,intel,6,x\n", nil, "h.csv", "cpu_model", 1, "the columns id, memory"),
        (twoHosts, "id,host,memory,profile,profile\n0,0,1GiB,web,web\n", "v.csv", "(header)", 1, "each column name once"),
        (hostsHeader + String(repeating: "0,64GiB,8,10Gbps,intel,6\n", count: 100_001), nil, "h.csv", "(row)", 100_002, "at most 100000 rows"),
        // Ids: duplicate, missing, not a number
        (hostsHeader + "0,64GiB,8,10Gbps,intel,6\n0,64GiB,8,10Gbps,intel,6\n", nil, "h.csv", "id", 3, "each id 0...1 once"),
        (hostsHeader + "0,64GiB,8,10Gbps,intel,6\n2,64GiB,8,10Gbps,intel,6\n", nil, "h.csv", "id", 3, "ids 0...1, each once"),
        (twoHosts, vmsHeader + "0,0,1GiB,web\n1,0,1GiB,web\n1,1,1GiB,web\n", "v.csv", "id", 4, "each id 0...2 once"),
        (twoHosts, vmsHeader + "1,0,1GiB,web\n", "v.csv", "id", 2, "ids 0...0, each once"),
        (twoHosts, vmsHeader + "x,0,1GiB,web\n", "v.csv", "id", 2, "ids 0...0"),
        (twoHosts, vmsHeader + "-1,0,1GiB,web\n", "v.csv", "id", 2, "ids 0...0"),
        // Bad units and values
        (hostsHeader + "0,64Gb,8,10Gbps,intel,6\n", nil, "h.csv", "memory", 2, "a size > 0"),
        (hostsHeader + "0,64GiB,8,10GB,intel,6\n", nil, "h.csv", "nic", 2, "a rate > 0"),
        (hostsHeader + "0,64GiB,8,0Gbps,intel,6\n", nil, "h.csv", "nic", 2, "a rate > 0"),
        (hostsHeader + "0,64GiB,0,10Gbps,intel,6\n", nil, "h.csv", "cpu_cores", 2, "an integer in 1...1000000"),
        (hostsHeader + "0,64GiB,eight,10Gbps,intel,6\n", nil, "h.csv", "cpu_cores", 2, "an integer"),
        (hostsHeader + "0,64GiB,8,10Gbps,,6\n", nil, "h.csv", "cpu_vendor", 2, "1 to 64 letters"),
        (hostsHeader + "0,64GiB,8,10Gbps,intel x,6\n", nil, "h.csv", "cpu_vendor", 2, "1 to 64 letters"),
        (hostsHeader + "0,.nan,8,10Gbps,intel,6\n", nil, "h.csv", "memory", 2, "a size > 0"),
        ("id,memory,cpu_cores,nic,cpu_vendor,cpu_family,disk_read\n0,64GiB,8,10Gbps,intel,6,fast\n", nil, "h.csv", "disk_read", 2, "a rate > 0"),
        ("id,memory,cpu_cores,nic,cpu_vendor,cpu_family,virtual_networks\n0,64GiB,8,10Gbps,intel,6,a;;b\n", nil, "h.csv", "virtual_networks", 2, "separated by ';'"),
        ("id,memory,cpu_cores,nic,cpu_vendor,cpu_family,rack\n0,64GiB,8,10Gbps,intel,6,top\n", nil, "h.csv", "rack", 2, "an integer"),
        (twoHosts, vmsHeader + "0,0,2 GiBs,web\n", "v.csv", "memory", 2, "a size > 0"),
        (twoHosts, vmsHeader + "0,0,-2GiB,web\n", "v.csv", "memory", 2, "a size > 0"),
        (twoHosts, "id,host,memory,profile,disks\n0,0,1GiB,web,40GiB;0\n", "v.csv", "disks", 2, "each a size > 0"),
        (twoHosts, "id,host,memory,profile,disks\n0,0,1GiB,web," + Array(repeating: "1GiB", count: 257).joined(separator: ";") + "\n",
         "v.csv", "disks", 2, "(at most 256)"),
        (twoHosts, "id,host,memory,profile,memory_in_use\n0,0,1GiB,web,1.5\n", "v.csv", "memory_in_use", 2, "a number in (0, 1]"),
        (twoHosts, "id,host,memory,profile,memory_in_use\n0,0,1GiB,web,\n", "v.csv", "memory_in_use", 2, "a number in (0, 1]"),
        // Profiles and rates
        (twoHosts, vmsHeader + "0,0,1GiB,gaming\n", "v.csv", "profile", 2, "idle, web, database, memory-bound"),
        (twoHosts, vmsHeader + "0,0,1GiB,\n", "v.csv", "profile", 2, "a profile (idle, web"),
        (twoHosts, "id,host,memory,dirty_rate\n0,0,1GiB,\"gamma(4, -1)\"\n", "v.csv", "dirty_rate", 2, "gamma scale"),
        (twoHosts, "id,host,memory,dirty_rate\n0,0,1GiB,gamma(4, 625)\n", "v.csv", "(row)", 2, "4 fields, as in the header"),
        (twoHosts, "id,host,memory,dirty_rate\n0,0,1GiB,-5\n", "v.csv", "dirty_rate", 2, "mean >= 0"),
        (twoHosts, "id,host,memory,dirty_rate\n0,0,1GiB,5e307\n", "v.csv", "dirty_rate", 2, "within +-1e+15"),
        (twoHosts, "id,host,memory,dirty_rate\n0,0,1GiB,\"gamma(4, 625)\n", "v.csv", "(row)", 2, "quoted as a whole"),
        (twoHosts, "id,host,memory,dirty_rate\n0,0,1GiB,\"100\"x\n", "v.csv", "(row)", 2, "quoted as a whole"),
        (twoHosts, "id,host,memory,dirty_rate\n0,0,1G\"iB,100\n", "v.csv", "(row)", 2, "quoted as a whole"),
        (twoHosts, "id,host,memory,dirty_rate\n0,0,1GiB,1\u{0}0\n", "v.csv", "(row)", 2, "printable"),
        // Traces relative to the CSV
        (twoHosts, "id,host,memory,profile,trace\n0,0,1GiB,web,missing.csv\n", "v.csv", "trace", 2, "time_s"),
        (twoHosts, "id,host,memory,profile,trace\n0,0,1GiB,web,v.csv\n", "v.csv", "time_s", 1, "time_s"),
        // Hosts: unknown host, VM larger than every host, over-committed host, missing network
        (twoHosts, vmsHeader + "0,2,1GiB,web\n", "v.csv", "host", 2, "a host id in 0...1 (/"),
        (nil, vmsHeader + "0,8,1GiB,web\n", "v.csv", "host", 2, "a host id in 0...7 (cluster.hosts"),
        (twoHosts, vmsHeader + "0,1,1GiB,web\n1,0,65GiB,web\n", "v.csv", "memory", 3, "up to the largest host's memory (64GiB)"),
        (twoHosts, vmsHeader + "0,1,40GiB,web\n1,0,40GiB,web\n2,1,40GiB,web\n", "v.csv", "host", 4, "at most the host's memory"),
        (twoHosts, "id,host,memory,profile,virtual_network\n0,0,1GiB,web,dmz\n", "v.csv", "virtual_network", 2, "a network of its host: default"),
        // The model's own checks, named at the row (and the key that joins in)
        (twoHosts, vmsHeader + "0,0,1KiB,web\n", "v.csv", "vms.page_size", 2, "at most the VM memory"),
    ]

    func testTableOfBadInventories() throws {
        var checked = 0
        for c in Self.badInventories {
            var yaml = ""
            var files: [String: String] = [:]
            if let h = c.hosts { yaml += "cluster: {inventory: h.csv}\n"; files["h.csv"] = h }
            if let v = c.vms { yaml += "vms: {inventory: v.csv}\n"; files["v.csv"] = v }
            files["s.yaml"] = yaml
            let path = try write(files)
            let dir = URL(fileURLWithPath: path).deletingLastPathComponent()
            let label = "\((c.hosts ?? "").prefix(60)) | \((c.vms ?? "").prefix(80))"
            XCTAssertThrowsError(try ScenarioFile.load(path: path).scenario(), label) { e in
                guard let e = e as? ConfigError else { return XCTFail("\(label): not a ConfigError: \(e)") }
                let file = c.key == "time_s" ? "v.csv" : c.file
                XCTAssertEqual(e.source, dir.appendingPathComponent(file).path, "\(label): \(e)")
                XCTAssertEqual(e.key, c.key, "\(label): \(e)")
                XCTAssertEqual(e.line, c.line, "\(label): \(e)")
                XCTAssertTrue(e.accepted.contains(c.accepted), "\(label): accepted '\(c.accepted)' missing: \(e)")
                XCTAssertFalse(e.description.contains("\n"), e.description)
                XCTAssertLessThan(e.description.count, 2_000, label)
                checked += 1
            }
        }
        XCTAssertEqual(checked, Self.badInventories.count)
        print("bad inputs: \(checked) inventory cases rejected with file, line, column and accepted values")
    }

    /// Keys an inventory gives are refused next to it, at the key's own line; the others still apply.
    func testKeysAnInventoryReplacesAreRefused() throws {
        let hostsWithDisks = Self.hostsHeader.dropLast() + ",disk_read,rack\n0,64GiB,8,10Gbps,intel,6,1GB/s,0\n"
        let vmsWithDisks = "id,host,memory,profile,disks,memory_in_use\n0,0,1GiB,web,10GiB,1\n"
        let conflicts: [(yaml: String, key: String)] = [
            ("cluster: {inventory: h.csv, hosts: 2}", "cluster.hosts"),
            ("cluster: {inventory: h.csv, host: {memory: 64GiB}}", "cluster.host.memory"),
            ("cluster: {inventory: h.csv, host: {memory: fit}}", "cluster.host.memory"),
            ("cluster: {inventory: h.csv, host: {nic: 1Gbps}}", "cluster.host.nic"),
            ("cluster: {inventory: h.csv, host: {cpu_cores: 4}}", "cluster.host.cpu_cores"),
            ("cluster: {inventory: h.csv, host: {cpu_vendor: amd}}", "cluster.host.cpu_vendor"),
            ("cluster: {inventory: h.csv, host: {cpu_family: 7}}", "cluster.host.cpu_family"),
            ("cluster: {inventory: h.csv, host: {disk_read: 1GB/s}}", "cluster.host.disk_read"),
            ("cluster: {inventory: h.csv, rack_size: 2}", "cluster.rack_size"),
            ("vms: {inventory: v.csv, count: 3}", "vms.count"),
            ("vms: {inventory: v.csv, host: 1}", "vms.host"),
            ("vms: {inventory: v.csv, memory: [1GiB]}", "vms.memory"),
            ("vms: {inventory: v.csv, profiles: [web]}", "vms.profiles"),
            ("vms: {inventory: v.csv, dirty_rate: 100}", "vms.dirty_rate"),
            ("vms: {inventory: v.csv, dirty_trace: [t.csv]}", "vms.dirty_trace"),
            ("vms: {inventory: v.csv, disks: [1GiB]}", "vms.disks"),
            ("vms: {inventory: v.csv, memory_in_use: 0.5}", "vms.memory_in_use"),
        ]
        for c in conflicts {
            let path = try write(["s.yaml": "seed: 3\n" + c.yaml + "\n", "h.csv": String(hostsWithDisks), "v.csv": vmsWithDisks])
            XCTAssertThrowsError(try ScenarioFile.load(path: path).scenario(), c.yaml) { e in
                let ce = e as? ConfigError
                XCTAssertEqual(ce?.key, c.key, "\(c.yaml): \(e)")
                XCTAssertEqual(ce?.source, path, "\(c.yaml): \(e)")
                XCTAssertEqual(ce?.line, 2, "\(c.yaml): \(e)")
                XCTAssertTrue("\(e)".contains("set together with") && "\(e)".contains("leave \(c.key) out"), "\(c.yaml): \(e)")
                let columnKeys = ["cluster.host.disk_read": "disk_read", "cluster.rack_size": "rack", "vms.disks": "disks", "vms.memory_in_use": "memory_in_use"]
                XCTAssertTrue(ce?.accepted.hasSuffix("or drop " + (columnKeys[c.key].map { "its \($0) column" } ?? (c.key.hasPrefix("vms") ? "vms.inventory" : "cluster.inventory"))) ?? false,
                              "\(c.yaml): \(e)")
            }
        }
        print("bad inputs: \(conflicts.count) keys refused next to an inventory, each at its own line")
        // Without the column, the key applies to every host or VM; keys an inventory never gives always apply.
        let path = try write(["s.yaml": "cluster: {inventory: h.csv, host: {disk_write: 1GB/s, nic_migration_share: 0.5}}\nvms: {inventory: v.csv, device_state: 2MiB, page_size: 2MiB}\n",
                              "h.csv": Self.twoHosts, "v.csv": Self.vmsHeader + "0,0,1GiB,web\n"])
        let s = try ScenarioFile.load(path: path).scenario()
        XCTAssertEqual(s.cluster.hosts.map(\.diskWrite), [1e9, 1e9])
        XCTAssertEqual(s.cluster.hosts.map(\.nicMigrationShare), [0.5, 0.5])
        XCTAssertEqual(s.vms[0].deviceStateBytes, 2 * Units.MiB)
        XCTAssertEqual(s.vms[0].pageSize, 2 * 1024 * 1024)
        // --set conflicts too, named as --set.
        var c = try ScenarioFile.load(path: path)
        try c.set("vms.count=2")
        XCTAssertThrowsError(try c.scenario()) { e in
            XCTAssertEqual((e as? ConfigError)?.source, "--set", "\(e)")
            XCTAssertEqual((e as? ConfigError)?.key, "vms.count", "\(e)")
        }
    }

    /// A missing inventory is named at the key, with the path it looked for; --set paths are relative to the working directory.
    func testMissingInventoryNamesTheKey() throws {
        let path = try write(["s.yaml": "seed: 1\nvms:\n  inventory: nowhere/v.csv\n"])
        XCTAssertThrowsError(try ScenarioFile.load(path: path).scenario()) { e in
            let c = e as? ConfigError
            XCTAssertEqual(c?.key, "vms.inventory", "\(e)")
            XCTAssertEqual(c?.line, 3, "\(e)")
            XCTAssertTrue("\(e)".contains("no such file") && "\(e)".contains("nowhere/v.csv"), "\(e)")
        }
        var c = ScenarioConfig()
        try c.set("cluster.inventory=" + Self.repository.appendingPathComponent("data/inventories/hosts.csv").path)
        XCTAssertEqual(try c.scenario().cluster.hosts.count, 6, "an absolute path")
        XCTAssertThrowsError(try { var d = ScenarioConfig(); try d.set("cluster.inventory=no-such-hosts.csv"); return try d.scenario() }()) { e in
            XCTAssertEqual((e as? ConfigError)?.source, "--set", "\(e)")
            XCTAssertTrue("\(e)".contains(FileManager.default.currentDirectoryPath), "\(e)")
        }
    }
}
