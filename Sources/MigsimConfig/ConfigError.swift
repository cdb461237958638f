/// A bad scenario input: names the source (file, `--set`), the key path, the
/// problem and what is accepted. The CLI prints it and exits with code 2.
public struct ConfigError: Error, CustomStringConvertible, Equatable, Sendable {
    public let source: String
    public let key: String
    public let problem: String
    public let accepted: String
    /// 1-based line in the source, when known.
    public let line: Int?

    public init(source: String, key: String, problem: String, accepted: String, line: Int? = nil) {
        self.source = source
        self.key = key
        self.problem = problem
        self.accepted = accepted
        self.line = line
    }

    public var description: String {
        let at = line.map { ":\($0)" } ?? ""
        return "\(source)\(at): \(key): \(problem); accepted: \(accepted)"
    }
}
