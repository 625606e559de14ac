import Foundation
import Logging
import Synchronization

/// Limits of a `GitCache`: how long a remote's proof of access is trusted, how many work trees
/// are kept, and how large a repository may grow.
public struct GitCachePolicy: Sendable {
    /// How long a remote's proof that it can read the repository (an `ls-remote` with its own
    /// URL and credentials) lets it use commits already in the shared mirror; a refusal is
    /// remembered as long, so it is not asked again at every reconcile.
    public var authorizationTTL: Duration = .seconds(60)
    /// The most work trees kept per repository: the most recently used.
    public var maximumCheckouts: Int = 8
    /// A work tree unused for this long is removed.
    public var checkoutIdleTime: Duration = .seconds(3600)
    /// The most bytes one repository's mirror (measured after each fetch) or one of its work
    /// trees (after each checkout) may hold; over it, what was measured is removed and the
    /// operation fails with `.tooLarge`. `nil`: no limit.
    public var maximumRepositoryBytes: Int64? = 1 << 30

    /// Creates the default policy.
    public init() {}
}

/// A shared cache of bare mirrors, one per repository (keyed by normalised URL), with
/// per-commit work trees. Fetches of one repository are serialised; different repositories
/// proceed in parallel. A commit already in a mirror is served to a remote only after that
/// remote, with its own credentials, showed it can read the repository (`GitCachePolicy`).
///
/// ```swift
/// let cache = try GitCache(directory: "/var/cache/keelson/git", runner: GitRunner())
/// let remote = try GitRemote("https://example.com/org/config.git", credentials: .token(token))
/// let commit = try await cache.resolve(remote, .semver(VersionRange("^1.2")))
/// let checkout = try await cache.checkout(remote, commit: commit)
/// let root = try checkout.root()
/// ```
public final class GitCache: Sendable {
    /// The cache directory (mirrors in `mirrors/`, work trees in `checkouts/`).
    public let directory: String
    /// The runner every git command goes through.
    public let runner: any GitCommandRunning
    /// A `*.lock` file older than this is left over from a killed command and is removed.
    public let staleLockAge: Duration
    /// Access checks, work tree pruning and the size limit.
    public let policy: GitCachePolicy
    /// `directory` with symbolic links resolved, to refuse local URLs that lead into it.
    let resolvedDirectory: String
    let logger: Logger
    private let mirrors = Mutex<[String: Mirror]>([:])

    /// Creates the cache under `directory`; `staleLockAge` should be at least the runner's timeout.
    public init(
        directory: String, runner: any GitCommandRunning, staleLockAge: Duration = .seconds(120),
        policy: GitCachePolicy = GitCachePolicy(), logger: Logger = Logger(label: "keelson.git")
    ) throws(GitError) {
        self.directory = directory
        self.runner = runner
        self.staleLockAge = staleLockAge
        self.policy = policy
        self.logger = logger
        do {
            for sub in ["mirrors", "checkouts", "work"] {
                try FileManager.default.createDirectory(
                    atPath: directory + "/" + sub, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
        } catch {
            throw GitError(.command, "cannot create the git cache directory", cause: SubprocessFailure(description: "\(error)"))
        }
        resolvedDirectory = LocalPath.resolve(directory)
    }

    /// The commit `revision` names now in `remote`, fetched into the mirror so it can be checked out.
    public func resolve(_ remote: GitRemote, _ revision: Revision) async throws(GitError) -> String {
        try revision.validate()
        try admit(remote)
        return try await mirror(for: remote).resolve(remote, revision)
    }

    /// The commit a full ref outside branches and tags names now in `remote` (a pull request's
    /// `refs/pull/7/head`, GitLab's `refs/merge-requests/7/head`), fetched into the mirror.
    public func resolve(_ remote: GitRemote, ref: String) async throws(GitError) -> String {
        guard ref.hasPrefix("refs/") else { throw GitError(.invalidRevision, "'\(RefName.printable(ref))' is not a full ref name") }
        try RefName.validate(String(ref.dropFirst(5)))
        try admit(remote)
        return try await mirror(for: remote).resolve(remote, ref: ref)
    }

    /// A work tree of `commit`, reused when it already exists; the commit is fetched if missing.
    public func checkout(_ remote: GitRemote, commit: String) async throws(GitError) -> Checkout {
        try Revision.commit(commit).validate()
        try admit(remote)
        return try await mirror(for: remote).checkout(remote, commit: commit.lowercased())
    }

    /// Runs `body` with a work tree of `commit` that is not pruned while `body` runs (a plain
    /// `checkout` may be pruned once `maximumCheckouts` newer ones were handed out).
    public func withCheckout<T: Sendable>(
        _ remote: GitRemote, commit: String, _ body: (Checkout) async throws -> T
    ) async throws -> T {
        try Revision.commit(commit).validate()
        try admit(remote)
        let mirror = mirror(for: remote)
        let sha = commit.lowercased()
        let checkout = try await mirror.checkout(remote, commit: sha, lease: true)
        do {
            let result = try await body(checkout)
            await mirror.release(sha)
            return result
        } catch {
            await mirror.release(sha)
            throw error
        }
    }

    /// Removes a work tree made by `checkout`.
    public func remove(_ checkout: Checkout) async throws(GitError) {
        let mirror = mirrors.withLock { $0[checkout.mirrorDirectory] }
        if let mirror {
            try await mirror.remove(checkout)
        } else {
            try? FileManager.default.removeItem(atPath: checkout.directory)
        }
    }

    /// Throws `.protocolNotAllowed` unless `remote`'s transport is allowed and, for a local URL,
    /// its path does not lead into this cache (whose mirrors hold every tenant's commits).
    func admit(_ remote: GitRemote) throws(GitError) {
        try runner.permit(remote)
        for path in remote.url.localPaths where LocalPath.isInside(LocalPath.resolve(path), resolvedDirectory) {
            throw GitError(.protocolNotAllowed, "a local repository URL may not point into the git cache", repository: remote.description)
        }
    }

    /// The mirror actor for `remote`, created on first use.
    func mirror(for remote: GitRemote) -> Mirror {
        let name = Self.directoryName(for: remote.url.cacheKey)
        let path = directory + "/mirrors/" + name + ".git"
        return mirrors.withLock { table in
            if let existing = table[path] { return existing }
            let created = Mirror(
                directory: path, checkouts: directory + "/checkouts/" + name, runner: runner,
                staleLockAge: staleLockAge, policy: policy, logger: logger)
            table[path] = created
            return created
        }
    }

    /// A readable, collision-resistant directory name: the host and path sanitised (a query
    /// left out, it may hold a token), then a hash of the key.
    static func directoryName(for key: String) -> String {
        let redacted = URLRedaction.redact(key)
        let printable = redacted.hasSuffix(URLRedaction.marker) ? String(redacted.dropLast(URLRedaction.marker.count + 1)) : redacted
        let afterScheme = printable.range(of: "://").map { printable[$0.upperBound...] } ?? Substring(printable)
        let readable = String(afterScheme.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") ? $0 : "-" }.suffix(60))
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return readable + "-" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
