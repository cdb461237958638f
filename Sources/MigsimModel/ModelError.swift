/// An invalid model parameter: names the field (and which VM, host or trace
/// interval), the value given and what is accepted.
///
/// The field is typed (``ModelField``); ``path`` spells it as a readable
/// dotted path such as `vms[3].workload.rate`. Scenario files report these
/// under the schema key the field maps to, with the file name in front; the
/// CLI maps them to exit code 2.
public struct ModelError: Error, Equatable, Sendable, CustomStringConvertible {
    public let field: ModelField
    /// The VM, host or trace interval the field belongs to (see ``ModelField``); `nil` for a single field.
    public let index: Int?
    /// The item within that VM: a disk or a workload phase; `nil` otherwise.
    public let item: Int?
    public let value: String
    public let accepted: String

    public init(field: ModelField, index: Int? = nil, item: Int? = nil, value: String, accepted: String) {
        self.field = field
        self.index = index
        self.item = item
        self.value = value
        self.accepted = accepted
    }

    /// Readable dotted path: `vms[3].disks[1]`, `cluster.hosts[0].nic`, `migration.timeout`.
    public var path: String { field.path(index: index, item: item) }

    public var description: String { "'\(path)' = \(value) is invalid; accepted: \(accepted)" }
}

/// Throws a ``ModelError`` unless `ok`. Value and accepted text are built
/// only on failure: validation runs per VM and per disk, and formatting a key
/// such as `vms[12].disks[3]` for every check made a 1,000,000-VM scenario with
/// many disks take minutes to validate.
@usableFromInline func require(_ ok: Bool, _ field: ModelField, at index: Int? = nil, item: Int? = nil,
                               _ value: @autoclosure () -> Any, _ accepted: @autoclosure () -> String) throws {
    if !ok { throw ModelError(field: field, index: index, item: item, value: "\(value())", accepted: accepted()) }
}

/// Byte and rate units used throughout the model (binary sizes, decimal rates).
public enum Units {
    public static let KiB = 1024.0
    public static let MiB = 1024.0 * 1024
    public static let GiB = 1024.0 * 1024 * 1024
    /// Bytes per second in one gigabit per second.
    public static let Gbps = 1e9 / 8
    /// Bytes per second in one megabit per second.
    public static let Mbps = 1e6 / 8
}
