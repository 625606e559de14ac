import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Local paths as the kernel sees them, to tell whether one leads into a directory.
enum LocalPath {
    /// `path` with `..` and symbolic links resolved; the part below the deepest existing
    /// directory is appended as written (git may still add `.git` to it).
    static func resolve(_ path: String) -> String {
        var existing = (path as NSString).standardizingPath
        var rest: [String] = []
        while !existing.isEmpty, existing != "/" {
            if let resolved = realpath(existing, nil) {
                defer { free(resolved) }
                return ([String(cString: resolved)] + rest.reversed()).joined(separator: "/")
            }
            rest.append((existing as NSString).lastPathComponent)
            existing = (existing as NSString).deletingLastPathComponent
        }
        return "/" + rest.reversed().joined(separator: "/")
    }

    /// Whether `path` is `directory` or below it (both already resolved).
    static func isInside(_ path: String, _ directory: String) -> Bool {
        path == directory || path.hasPrefix(directory.hasSuffix("/") ? directory : directory + "/")
    }
}
