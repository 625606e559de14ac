import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The private `HOME` directories of git runners: `keelson-git-home.<pid>.<uuid>` under the
/// temporary directory, so that a process can tell which ones belong to processes that are gone.
enum PrivateHome {
    static let prefix = "keelson-git-home."

    /// Creates a fresh 0700 home for this process under `temporary`.
    static func make(in temporary: String) throws -> String {
        let path = temporary + "/" + prefix + "\(getpid())." + UUID().uuidString.lowercased()
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return path
    }

    /// Removes the homes under `temporary` whose owning process no longer exists (a killed
    /// controller cannot remove its own); returns what was removed. A home of a live process,
    /// or of another user's, is left alone.
    static func removeStale(in temporary: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: temporary) else { return [] }
        var removed: [String] = []
        for name in names where name.hasPrefix(prefix) {
            let fields = name.dropFirst(prefix.count).split(separator: ".", maxSplits: 1)
            guard fields.count == 2, let pid = pid_t(fields[0]), pid > 0, pid != getpid() else { continue }
            guard kill(pid, 0) == -1, errno == ESRCH else { continue }
            let path = temporary + "/" + name
            if (try? FileManager.default.removeItem(atPath: path)) != nil { removed.append(path) }
        }
        return removed
    }

    /// The path of `name` in a `PATH` directory (or a few standard ones), if it is executable.
    static func findExecutable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + ["/usr/bin", "/bin", "/usr/sbin", "/sbin"]
        return directories.map { $0 + "/" + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
