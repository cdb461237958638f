import CPlatform
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Checks an output directory before any work is done, so a long run never
/// fails at the end for want of a place to write.
enum OutputDirectory {
    static let accepted = "a directory that exists or can be created, and is writable"
    /// Longest path and path component accepted (Linux PATH_MAX and NAME_MAX,
    /// less room for the temporary names migsim puts beside them).
    static let maximumPath = 4000, maximumComponent = 220

    /// Checks `path`'s length and components without touching the disk.
    static func checkShape(_ path: String, option: String) throws {
        func fail(_ problem: String) -> InputError {
            InputError(message: "\(option) \(Echo.value(path)): \(problem); accepted: \(accepted), at most \(maximumPath) bytes "
                       + "and \(maximumComponent) bytes per component")
        }
        guard !path.isEmpty else { throw fail("the path is empty") }
        guard path.utf8.count <= maximumPath else { throw fail("the path is \(path.utf8.count) bytes long") }
        if let long = path.split(separator: "/").first(where: { $0.utf8.count > maximumComponent }) {
            throw fail("the component '\(Echo.value(String(long)))' is \(long.utf8.count) bytes long")
        }
        guard !path.utf8.contains(0) else { throw fail("the path contains a NUL byte") }
    }

    /// Creates the directories of `path` that are missing, in order. If one
    /// cannot be created, removes those it created and throws.
    static func createDirectories(_ path: String, option: String) throws {
        func fail(_ problem: String) -> InputError {
            InputError(message: "\(option) \(Echo.value(path)): \(problem); accepted: \(accepted)")
        }
        var partial = path.hasPrefix("/") ? "/" : ""
        var created: [String] = []
        for component in path.split(separator: "/") {
            if !partial.isEmpty && !partial.hasSuffix("/") { partial += "/" }
            partial += component
            var info = stat()
            if stat(partial, &info) == 0 {
                guard (info.st_mode & S_IFMT) == S_IFDIR else {
                    for d in created.reversed() { rmdir(d) }
                    throw fail("'\(Echo.value(partial))' is a file, not a directory")
                }
            } else if mkdir(partial, 0o755) == 0 {
                created.append(partial)
            } else if errno != EEXIST {
                let reason = String(cString: strerror(errno))
                for d in created.reversed() { rmdir(d) }
                throw fail("cannot create '\(Echo.value(partial))': \(reason)")
            }
        }
    }

    /// Creates `path` (and its parents) if needed and checks that it is a
    /// writable directory; `option` names the option in the error. Nothing
    /// is created when the path is too long, and directories created before
    /// a failure are removed again.
    @discardableResult
    static func prepare(_ path: String, option: String) throws -> URL {
        try checkShape(path, option: option)
        try createDirectories(path, option: option)
        guard access(path, W_OK | X_OK) == 0 else {
            throw InputError(message: "\(option) \(Echo.value(path)): not writable: \(String(cString: strerror(errno))); accepted: \(accepted)")
        }
        return URL(fileURLWithPath: path, isDirectory: true)
    }
}

/// The output directory of `migsim run`, replaced as a whole.
///
/// The files are written into a temporary directory beside OUT
/// (`.<name>.tmp-<pid>`) and renamed into place when all are complete: OUT
/// always holds the files of exactly one run. An existing OUT is swapped out
/// atomically (`renameat2(RENAME_EXCHANGE)`; where the file system cannot,
/// two renames, with the old directory kept under a temporary name between
/// them) and then removed. OUT may exist only if it holds nothing but
/// migsim's own result files; anything else is refused before the run.
struct RunOutputDirectory {
    /// The files `migsim run` writes; an existing OUT may hold only these.
    static let ownFiles: Set<String> = ["migrations.csv", "rounds.csv", "summary.csv", "links.csv", "hosts.csv", "run.json"]

    let path: String
    let parent: String
    let name: String

    /// Checks OUT before the run: the path's shape, that OUT is absent or a
    /// directory of migsim result files only, and that its parent can be
    /// created and written. Removes temporaries of killed earlier runs.
    init(_ out: String, option: String) throws {
        try OutputDirectory.checkShape(out, option: option)
        let url = URL(fileURLWithPath: out).standardizedFileURL
        path = url.path
        parent = url.deletingLastPathComponent().path
        name = url.lastPathComponent
        func fail(_ problem: String) -> InputError {
            InputError(message: "\(option) \(Echo.value(out)): \(problem); accepted: a new directory, or one that holds only "
                       + "migsim run's files (\(Self.ownFiles.sorted().joined(separator: ", "))), which is replaced as a whole")
        }
        guard path != "/", !name.isEmpty, name != "..", name != "." else { throw fail("not a directory that can be replaced") }
        var info = stat()
        if stat(path, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFDIR else { throw fail("a file, not a directory") }
            let entries: [String]
            do { entries = try FileManager.default.contentsOfDirectory(atPath: path) } catch {
                throw fail("cannot list it: \(String(cString: strerror(errno)))")
            }
            // Besides the result files, only per-file temporaries (`.<file>.tmp.<pid>`) of a killed older migsim.
            let foreign = entries.filter { !Self.ownFiles.contains($0) && !($0.hasPrefix(".") && $0.contains(".tmp.")) }
            if !foreign.isEmpty {
                throw fail("it holds \(foreign.count) entr\(foreign.count == 1 ? "y" : "ies") migsim run did not write "
                           + "(\(foreign.sorted().prefix(3).map { Echo.value($0) }.joined(separator: ", "))\(foreign.count > 3 ? ", ..." : ""))")
            }
        }
        try OutputDirectory.prepare(parent, option: option)
        removeLeftovers()
    }

    /// Temporary directories of earlier runs for this OUT whose process is gone.
    func removeLeftovers() {
        let prefix = ".\(name).tmp-", prefixOld = ".\(name).old-"
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? [] {
            let rest: Substring
            if entry.hasPrefix(prefix) { rest = entry.dropFirst(prefix.count) } else if entry.hasPrefix(prefixOld) { rest = entry.dropFirst(prefixOld.count) } else { continue }
            guard let pid = Int32(rest), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(atPath: parent + "/" + entry)
        }
    }

    /// Calls `write` with a fresh temporary directory, then renames it to
    /// OUT. The temporary directory is removed on every failure.
    /// - Throws: the error of `write`, or an ``AtomicDirectoryError`` naming the rename that failed.
    func commit(_ write: (URL) throws -> Void) throws {
        let tmp = parent + "/.\(name).tmp-\(getpid())"
        let fm = FileManager.default
        try? fm.removeItem(atPath: tmp)
        guard mkdir(tmp, 0o755) == 0 else { throw AtomicDirectoryError(path: tmp, reason: String(cString: strerror(errno))) }
        do {
            try write(URL(fileURLWithPath: tmp, isDirectory: true))
            if rename(tmp, path) == 0 { return }   // OUT did not exist (or was an empty directory)
            guard errno == ENOTEMPTY || errno == EEXIST else { throw AtomicDirectoryError(path: path, reason: String(cString: strerror(errno))) }
            if migsim_exchange_paths(tmp, path) == 0 {
                try? fm.removeItem(atPath: tmp)     // now the old OUT
                return
            }
            // No RENAME_EXCHANGE here: move the old OUT aside, then the new one in.
            let old = parent + "/.\(name).old-\(getpid())"
            guard rename(path, old) == 0 else { throw AtomicDirectoryError(path: path, reason: String(cString: strerror(errno))) }
            guard rename(tmp, path) == 0 else {
                let reason = String(cString: strerror(errno))
                _ = rename(old, path)
                throw AtomicDirectoryError(path: path, reason: reason)
            }
            try? fm.removeItem(atPath: old)
        } catch {
            try? fm.removeItem(atPath: tmp)
            throw error
        }
    }
}

/// A directory that could not be moved into place: the path and `strerror`.
struct AtomicDirectoryError: Error, CustomStringConvertible {
    let path: String
    let reason: String
    var description: String { "cannot move the results into \(path): \(reason)" }
}

/// Values echoed back in messages are cut short, so a huge value never
/// floods the terminal: at most 200 characters, then how many were left out.
enum Echo {
    static let limit = 200
    static func value(_ text: String) -> String {
        text.count <= limit ? text : "\(text.prefix(limit))... (\(text.count - limit) more characters)"
    }
}
