import Foundation

extension Mirror {
    /// The branch the remote's `HEAD` points at (`ls-remote --symref`), which counts as an access
    /// check like any other read of the remote.
    func defaultBranch(_ remote: GitRemote) async throws(GitError) -> String {
        _ = try checkedAccess(remote)
        let listed = try await noteAccess(remote, started: ContinuousClock.now) { () async throws(GitError) in
            try await runner.check(GitInvocation(["ls-remote", "--symref", "--", remote.url.value, "HEAD"], remote: remote))
        }
        guard let branch = Self.symbolicHead(listed.stdout) else {
            throw GitError(
                .notFound, "the remote does not say which branch its HEAD is (its default branch); name a branch", repository: remote.description)
        }
        return branch
    }

    /// The branch of a `ref: refs/heads/<branch><TAB>HEAD` line.
    static func symbolicHead(_ text: String) -> String? {
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "\t", maxSplits: 1)
            guard parts.count == 2, parts[1] == "HEAD", parts[0].hasPrefix("ref: refs/heads/") else { continue }
            let branch = String(parts[0].dropFirst("ref: refs/heads/".count))
            return branch.isEmpty ? nil : branch
        }
        return nil
    }
}
