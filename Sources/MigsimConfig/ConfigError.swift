/// A bad scenario input: the source, the key path, the problem and what is accepted.
///
/// `description` reads `<source>: line N: <key>: <problem>; accepted: <accepted>`
/// (`line N, column C` for YAML syntax errors; no line for `--set` and
/// defaults). The CLI prints it and exits with code 2.
public struct ConfigError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file path, `--set`, another option name, or `<default>`.
    public let source: String
    /// Dotted key path (`cluster.host.nic`), or `(syntax)`, `(file)`, `(top level)`.
    public let key: String
    public let problem: String
    public let accepted: String
    /// 1-based line in the source, when known.
    public let line: Int?
    /// 1-based column, for YAML syntax errors.
    public let column: Int?

    public init(source: String, key: String, problem: String, accepted: String, line: Int? = nil, column: Int? = nil) {
        self.source = source
        self.key = key
        self.problem = problem
        self.accepted = accepted
        self.line = line
        self.column = column
    }

    public var description: String {
        var at = ""
        if let l = line { at = column.map { ": line \(l), column \($0)" } ?? ": line \(l)" }
        return "\(source)\(at): \(key): \(problem); accepted: \(accepted)"
    }
}

/// A problem with one value, before the key and source are known.
struct Problem: Error {
    let message: String
    /// Replaces the key's accepted text (distribution parameters name their own).
    var accepted: String?

    init(_ message: String, accepted: String? = nil) {
        self.message = message
        self.accepted = accepted
    }
}
