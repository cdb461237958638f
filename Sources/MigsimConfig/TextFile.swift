import Foundation

/// Reads a small input file (trace, curve, inventory) whole, as UTF-8 text.
///
/// One place for the checks every such file gets before it is parsed: it
/// exists, is not a directory, is at most `maximumBytes`, can be read, and is
/// UTF-8. Each failure is a ``ConfigError`` naming the file with key `(file)`.
enum TextFile {
    /// The text of the file at `path`; `what` names the file kind in the size message.
    static func read(path: String, maximumBytes: Int, what: String, accepted: String) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ConfigError(source: path, key: "(file)", problem: "no such file", accepted: accepted)
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size <= maximumBytes else {
            throw ConfigError(source: path, key: "(file)", problem: "\(size) bytes", accepted: "\(what) of at most \(maximumBytes) bytes")
        }
        guard !isDirectory.boolValue, let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(source: path, key: "(file)", problem: isDirectory.boolValue ? "a directory" : "cannot read the file",
                              accepted: accepted)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(source: path, key: "(file)", problem: "not UTF-8 text", accepted: accepted)
        }
        return text
    }
}
