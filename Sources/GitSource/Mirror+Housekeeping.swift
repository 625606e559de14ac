import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Work trees are pruned (the newest few kept, idle ones removed) and a repository that grows
/// past `GitCachePolicy.maximumRepositoryBytes` is removed whole.
extension Mirror {
    /// Removes the work trees beyond the `maximumCheckouts` most recently used and those unused
    /// for `checkoutIdleTime`; `current`, just handed out, and leased ones stay.
    func pruneCheckouts(keeping current: String) async {
        if !checkoutsScanned {
            checkoutsScanned = true
            for name in (try? FileManager.default.contentsOfDirectory(atPath: checkouts)) ?? [] where lastUsed[name] == nil {
                let modified = (try? FileManager.default.attributesOfItem(atPath: checkouts + "/" + name))?[.modificationDate] as? Date
                lastUsed[name] = modified ?? .distantPast
            }
        }
        let idle = Double(policy.checkoutIdleTime.components.seconds) + Double(policy.checkoutIdleTime.components.attoseconds) / 1e18
        let now = Date()
        let newestFirst = lastUsed.sorted { $0.value > $1.value }
        var removed: [String] = []
        for (index, entry) in newestFirst.enumerated() where entry.key != current && leases[entry.key] == nil {
            guard index >= policy.maximumCheckouts || now.timeIntervalSince(entry.value) > idle else { continue }
            try? FileManager.default.removeItem(atPath: checkouts + "/" + entry.key)
            lastUsed[entry.key] = nil
            verifiedCheckouts.remove(entry.key)
            removed.append(entry.key)
        }
        guard !removed.isEmpty else { return }
        _ = try? await runner.run(GitInvocation(["worktree", "prune"], in: directory))
        logger.debug("removed work trees", metadata: ["keelson.count": "\(removed.count)"])
    }

    /// Throws `.tooLarge` when the mirror (after a fetch) or the work tree at `workTree` (after a
    /// checkout) holds more than `maximumRepositoryBytes`, after removing it (an oversized
    /// mirror takes its work trees along): nothing from an oversized repository is used or kept.
    func enforceSizeLimit(_ remote: GitRemote, workTree: String? = nil) async throws(GitError) {
        guard let limit = policy.maximumRepositoryBytes else { return }
        let measured = workTree ?? directory
        let size = DiskUsage.bytes(under: measured)
        guard size > limit else { return }
        if let workTree {
            try? FileManager.default.removeItem(atPath: workTree)
            lastUsed[(workTree as NSString).lastPathComponent] = nil
            _ = try? await runner.run(GitInvocation(["worktree", "prune"], in: directory))
        } else {
            try? FileManager.default.removeItem(atPath: checkouts)
            try? FileManager.default.removeItem(atPath: directory)
            knownCommits.removeAll()
            verifiedCheckouts.removeAll()
            lastUsed.removeAll()
            listings.removeAll()
            lockCheckDue = true
        }
        let what = workTree == nil ? "repository" : "work tree"
        logger.warning("removed a \(what) over the size limit", metadata: ["keelson.repo": "\(remote)", "keelson.bytes": "\(size)"])
        throw GitError(
            .tooLarge, "the \(what) holds \(DiskUsage.describe(size)), more than the limit of \(DiskUsage.describe(limit)); nothing from it is used",
            repository: remote.description)
    }
}

/// How many bytes files take on disk.
enum DiskUsage {
    /// The sizes of the regular files under `path` added up; symbolic links are not followed.
    static func bytes(under path: String) -> Int64 {
        guard let stream = opendir(path) else { return 0 }
        defer { closedir(stream) }
        var total: Int64 = 0
        while let entry = readdir(stream) {
            // Read the name in place: a dirent may be shorter than `dirent`, so copying it could
            // read past the end of the directory buffer.
            let name = withUnsafeMutablePointer(to: &entry.pointee.d_name) {
                String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
            }
            if name == "." || name == ".." { continue }
            let child = path + "/" + name
            var info = stat()
            guard lstat(child, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR: total += bytes(under: child)
            case S_IFREG: total += Int64(info.st_size)
            default: break
            }
        }
        return total
    }

    /// `bytes` in MiB (KiB below one MiB), for messages.
    static func describe(_ bytes: Int64) -> String {
        bytes >= 1 << 20 ? "\(bytes >> 20) MiB" : "\(bytes >> 10) KiB"
    }
}
