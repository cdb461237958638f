import Foundation
import MigsimModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads migration plans (`scenario.plan`): CSV rows of time, VM, target and
/// optionally kind and policy, replayed by `ClusterSimulation.startPlan(_:kind:)` (MigsimModel).
///
/// ```
/// # comment lines and blank lines are skipped
/// time_s,vm,target,kind,policy
/// 0,3,auto,,
/// 0,7,5,live,qemu
/// 60,3,2,post-copy,
/// ```
///
/// `time_s`: seconds, finite, >= 0, never decreasing; `vm`: a VM index;
/// `target`: a host index or `auto` (migsim's placement); `kind` (optional
/// column, empty = the run's kind): a migration kind the VM can do; `policy`
/// (optional, empty = the scenario's): a stop-policy preset. The whole file
/// is checked when the scenario is loaded, reading one line at a time; during
/// the run it is read again one row ahead, so memory does not grow with the
/// rows replayed. Every error names the file, the line, the column and what
/// is accepted.
public struct PlanFile: MigrationPlanSource {
    /// The file's path (resolved).
    public let path: String
    public let policies: [PolicyPreset]
    /// Rows in the file.
    public let rowCount: Int
    public var label: String { path }

    /// At most this many rows (10 per accepted VM at the VM limit).
    public static let maximumRows = 10_000_000

    static let accepted = "a CSV file with a header time_s,vm,target (optionally kind, policy), then one row per migration"

    /// What a plan is checked against.
    public struct Cluster: Sendable {
        /// The host each VM starts on.
        public var vmHosts: [Int]
        public var hostCount: Int
        public var sharedStorage: Bool
        /// Whether each VM has a virtual disk (storage, live-storage and offline copy disks).
        public var vmHasDisks: [Bool]

        public init(vmHosts: [Int], hostCount: Int, sharedStorage: Bool, vmHasDisks: [Bool]) {
            self.vmHosts = vmHosts
            self.hostCount = hostCount
            self.sharedStorage = sharedStorage
            self.vmHasDisks = vmHasDisks
        }
    }

    /// Reads and checks the plan at `path` against `cluster`.
    public static func load(path: String, cluster: Cluster) throws -> PlanFile {
        var reader = try Reader(path: path)
        var policies: [PolicyPreset] = []
        // Where each VM will be, assuming every planned migration succeeds (nil: placed by migsim).
        var planned: [Int?] = cluster.vmHosts.map { $0 }
        var rows = 0
        while let row = try reader.nextChecked(cluster: cluster) {
            rows += 1
            guard rows <= maximumRows else {
                throw reader.fail("(file)", "more than \(maximumRows) rows", "at most \(maximumRows) rows")
            }
            if let t = row.target, let now = planned[row.vm], t == now {
                throw reader.fail("target", "VM \(row.vm) is planned to be on host \(t) already",
                                  "a host other than the VM's (host \(now) after the rows before), or auto")
            }
            planned[row.vm] = row.target
            if let p = row.policy, !policies.contains(p) { policies.append(p) }
        }
        return PlanFile(path: path, policies: policies, rowCount: rows)
    }

    public func open() throws -> any PlanReader { try Reader(path: path) }

    /// A line-at-a-time reader of a plan file.
    struct Reader: PlanReader {
        let source: String
        private let file: FileBox
        private var line = 0
        private var columns: (time: Int, vm: Int, target: Int, kind: Int?, policy: Int?)?
        private var lastTime = 0.0

        init(path: String) throws {
            source = path
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                  let f = fopen(path, "r") else {
                throw ConfigError(source: path, key: "(file)", problem: isDirectory.boolValue ? "a directory" : "no such file or cannot read it",
                                  accepted: PlanFile.accepted)
            }
            file = FileBox(f)
        }

        func fail(_ key: String, _ problem: String, _ accepted: String) -> ConfigError {
            ConfigError(source: source, key: key, problem: problem, accepted: accepted, line: line == 0 ? nil : line)
        }

        /// The next non-blank, non-comment line, split on commas and trimmed.
        private mutating func nextFields() throws -> [String]? {
            while let text = file.readLine() {
                line += 1
                let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
                if t.isEmpty || t.hasPrefix("#") { continue }
                guard !t.contains(where: { $0.asciiValue.map { $0 < 32 } ?? false }), !t.contains("\"") else {
                    throw fail("(row)", "quotes or control characters", "plain comma-separated fields")
                }
                return t.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            }
            return nil
        }

        mutating func next() throws -> PlanRow? { try nextChecked(cluster: nil) }

        /// The next row, checked against `cluster` when given.
        mutating func nextChecked(cluster: Cluster?) throws -> PlanRow? {
            if columns == nil {
                guard let header = try nextFields() else { throw fail("(file)", "no header", PlanFile.accepted) }
                func index(_ name: String) -> Int? { header.firstIndex(of: name) }
                guard let t = index("time_s"), let v = index("vm"), let g = index("target") else {
                    throw fail("(header)", "'\(header.joined(separator: ","))' lacks time_s, vm or target", PlanFile.accepted)
                }
                guard Set(header).count == header.count else { throw fail("(header)", "a column named twice", "each column once") }
                columns = (t, v, g, index("kind"), index("policy"))
            }
            guard let c = columns, let f = try nextFields() else { return nil }
            let width = [c.time, c.vm, c.target, c.kind ?? 0, c.policy ?? 0].max()! + 1
            guard f.count >= width else { throw fail("(row)", "\(f.count) fields", "a value for every column of the header") }
            guard let time = Double(f[c.time]), time.isFinite, time >= 0, time < 9.2e9 else {
                throw fail("time_s", "'\(f[c.time])'", "seconds >= 0 (a finite number below 9.2e9)")
            }
            guard time >= lastTime else {
                throw fail("time_s", "\(f[c.time]) is before the row above (\(lastTime))", "times that never decrease")
            }
            lastTime = time
            let vmCount = cluster?.vmHosts.count ?? Int.max
            guard let vm = Int(f[c.vm]), vm >= 0, vm < vmCount else {
                throw fail("vm", "'\(f[c.vm])'", cluster.map { "a VM index in 0...\($0.vmHosts.count - 1)" } ?? "a VM index")
            }
            var target: Int?
            if f[c.target] != "auto" {
                let hosts = cluster?.hostCount ?? Int.max
                guard let t = Int(f[c.target]), t >= 0, t < hosts else {
                    throw fail("target", "'\(f[c.target])'", "auto, or a host index" + (cluster.map { " in 0...\($0.hostCount - 1)" } ?? ""))
                }
                target = t
            }
            var kind: MigrationKind?
            if let k = c.kind, !f[k].isEmpty {
                let kinds = MigrationKind.allCases.filter { $0 != .failoverRestart }
                guard let m = MigrationKind(rawValue: f[k]), m != .failoverRestart else {
                    throw fail("kind", "'\(f[k])'", "empty (the run's kind) or one of \(kinds.map(\.rawValue).joined(separator: ", "))")
                }
                if let cl = cluster {
                    if m == .quick && !cl.sharedStorage {
                        throw fail("kind", "quick migration without shared storage (cluster.shared_storage: false)", "a kind this cluster can do")
                    }
                    if [.storage, .liveStorage, .offline].contains(m) && !cl.vmHasDisks[vm] {
                        throw fail("kind", "\(m.rawValue) for VM \(vm), which has no disk (vms.disks)", "a kind the VM can do")
                    }
                }
                kind = m
            }
            var policy: PolicyPreset?
            if let p = c.policy, !f[p].isEmpty {
                guard let preset = PolicyPreset(name: f[p]) else {
                    throw fail("policy", "'\(f[p])'", "empty (the scenario's) or one of \(PolicyPreset.names.joined(separator: ", "))")
                }
                policy = preset
            }
            return PlanRow(time: time, vm: vm, target: target, kind: kind, policy: policy)
        }
    }
}

/// Owns a C `FILE *` and closes it when the last reader copy goes away.
final class FileBox {
    private let file: UnsafeMutablePointer<FILE>
    private var buffer: UnsafeMutablePointer<CChar>?
    private var capacity = 0

    init(_ file: UnsafeMutablePointer<FILE>) { self.file = file }
    deinit {
        fclose(file)
        free(buffer)
    }

    /// The next line without its terminator (`getline`), or `nil` at the end.
    func readLine() -> String? {
        let n = getline(&buffer, &capacity, file)
        guard n >= 0, let b = buffer else { return nil }
        return String(decoding: UnsafeRawBufferPointer(start: b, count: n), as: UTF8.self)
    }
}
