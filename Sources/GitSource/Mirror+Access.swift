import Foundation

/// Access checks: the mirror holds what any remote of the repository fetched, so a remote
/// may use it only after proving, with its own URL and credentials, that it can read the
/// repository. A proof or a refusal is remembered for `GitCachePolicy.authorizationTTL`.
extension Mirror {
    /// Codes that mean "this remote may not read the repository"; other failures (a timeout)
    /// are not remembered.
    static let refusals: Set<GitError.Code> = [.authentication, .notFound, .protocolNotAllowed]

    /// `true` when `remote` proved access lately; throws the refusal remembered for it.
    func checkedAccess(_ remote: GitRemote) throws(GitError) -> Bool {
        guard let known = authorizations[remote], ContinuousClock.now - known.checked < policy.authorizationTTL else { return false }
        if let refusal = known.refusal { throw refusal }
        return true
    }

    /// Asks the remote (`ls-remote` of `HEAD` with its credentials) unless it proved access lately.
    func authorize(_ remote: GitRemote) async throws(GitError) {
        guard try !checkedAccess(remote) else { return }
        _ = try await noteAccess(remote, started: ContinuousClock.now) { () async throws(GitError) in
            try await runner.check(GitInvocation(["ls-remote", "--", remote.url.value, "HEAD"], remote: remote))
        }
    }

    /// Runs `ask`, a command that reads the remote with its credentials, and remembers whether
    /// the remote could: its success proves access, a refusal is kept.
    func noteAccess<T: Sendable>(_ remote: GitRemote, started: ContinuousClock.Instant, _ ask: () async throws(GitError) -> T) async throws(GitError)
        -> T
    {
        let now = ContinuousClock.now
        authorizations = authorizations.filter { now - $0.value.checked < policy.authorizationTTL }
        do throws(GitError) {
            let result = try await ask()
            authorizations[remote] = (started, nil)
            return result
        } catch {
            if Self.refusals.contains(error.code) { authorizations[remote] = (started, error) }
            throw error
        }
    }
}
