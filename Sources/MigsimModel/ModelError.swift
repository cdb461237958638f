/// An invalid model parameter: names the key, the value given and what is accepted.
///
/// Scenario files and the command line report these with the file name in front;
/// the CLI maps them to exit code 2.
public struct ModelError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Dotted key path of the offending parameter, e.g. `vm.workload.hot_set_fraction`.
    public let key: String
    public let value: String
    public let accepted: String

    public init(key: String, value: String, accepted: String) {
        self.key = key
        self.value = value
        self.accepted = accepted
    }

    public var description: String { "'\(key)' = \(value) is invalid; accepted: \(accepted)" }
}

/// Throws a ``ModelError`` unless `ok`. Key, value and accepted text are built
/// only on failure: validation runs per VM and per disk, and formatting a key
/// such as `vms[12].disks[3]` for every check made a 1,000,000-VM scenario with
/// many disks take minutes to validate.
@usableFromInline func require(_ ok: Bool, _ key: @autoclosure () -> String, _ value: @autoclosure () -> Any,
                               _ accepted: @autoclosure () -> String) throws {
    if !ok { throw ModelError(key: key(), value: "\(value())", accepted: accepted()) }
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
