extension GitCache {
    /// The branch `remote`'s `HEAD` names now (its default branch): what Argo CD's revision
    /// `HEAD`, or an empty one, means. Resolve it with `resolve(_:_:)` as `.branch`.
    ///
    /// ```swift
    /// let branch = try await cache.defaultBranch(remote)        // "master"
    /// let commit = try await cache.resolve(remote, .branch(branch))
    /// ```
    public func defaultBranch(_ remote: GitRemote) async throws(GitError) -> String {
        try admit(remote)
        let branch = try await mirror(for: remote).defaultBranch(remote)
        try RefName.validate(branch)
        return branch
    }
}
