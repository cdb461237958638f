import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Checks an output directory before any work is done, so a long run never
/// fails at the end for want of a place to write.
enum OutputDirectory {
    static let accepted = "a directory that exists or can be created, and is writable"

    /// Creates `path` (and its parents) if needed and checks that it is a
    /// writable directory; `option` names the option in the error.
    @discardableResult
    static func prepare(_ path: String, option: String) throws -> URL {
        func fail(_ problem: String) -> InputError {
            InputError(message: "\(option) \(path): \(problem); accepted: \(accepted)")
        }
        guard !path.isEmpty else { throw fail("the path is empty") }
        var partial = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            if !partial.isEmpty && !partial.hasSuffix("/") { partial += "/" }
            partial += component
            var info = stat()
            if stat(partial, &info) == 0 {
                guard (info.st_mode & S_IFMT) == S_IFDIR else { throw fail("'\(partial)' is a file, not a directory") }
            } else if mkdir(partial, 0o755) != 0 && errno != EEXIST {
                throw fail("cannot create '\(partial)': \(String(cString: strerror(errno)))")
            }
        }
        guard access(path, W_OK | X_OK) == 0 else { throw fail("not writable: \(String(cString: strerror(errno)))") }
        return URL(fileURLWithPath: path, isDirectory: true)
    }
}
