import Foundation
import KeelsonFoundation
import Logging

/// One bare mirror of one repository. Every operation passes through a gate so that two
/// fetches of the same repository never run at once. The mirror is shared by every remote
/// that names the repository, whatever its credentials: a remote is served what is already
/// here only after it showed, with its own credentials, that it can read the repository.
actor Mirror {
    nonisolated let directory: String
    let checkouts: String
    let runner: any GitCommandRunning
    let staleLockAge: Duration
    let policy: GitCachePolicy
    let logger: Logger
    private let gate = SerialGate()
    /// Whether the next operation first removes stale lock files: at the first, and after any
    /// failure (a killed git leaves locks behind; walking the mirror every time is costly).
    var lockCheckDue = true
    /// Commits known to be in the mirror (objects are never removed while referenced).
    var knownCommits: Set<String> = []
    /// Work trees known to hold their commit.
    var verifiedCheckouts: Set<String> = []
    /// When each work tree was last handed out (filled from modification times at the first prune).
    var lastUsed: [String: Date] = [:]
    var checkoutsScanned = false
    /// Work trees in use by `GitCache.withCheckout`, never pruned: how many users each has.
    var leases: [String: Int] = [:]
    /// The last access check of each remote (credentials included): when, and the refusal if any.
    var authorizations: [GitRemote: (checked: ContinuousClock.Instant, refusal: GitError?)] = [:]
    /// The last `ls-remote` of each ref, per remote (credentials included), and when it started.
    var listings: [Listing: (started: ContinuousClock.Instant, refs: [String: String])] = [:]

    struct Listing: Hashable {
        var remote: GitRemote
        var ref: String
    }

    init(directory: String, checkouts: String, runner: any GitCommandRunning, staleLockAge: Duration, policy: GitCachePolicy, logger: Logger) {
        self.directory = directory
        self.checkouts = checkouts
        self.runner = runner
        self.staleLockAge = staleLockAge
        self.policy = policy
        self.logger = logger
    }

    /// The commit `revision` names in the remote now. Many applications of one repository ask at
    /// once: a caller reuses a listing of the same ref that started after it asked (so it is as
    /// fresh as its own would be), which turns a burst of asks into a few `ls-remote` calls.
    func resolve(_ remote: GitRemote, _ revision: Revision) async throws(GitError) -> String {
        let asked = ContinuousClock.now
        return try await gate.run { () async throws(GitError) -> String in
            do throws(GitError) { return try await self.resolveInGate(remote, revision, asked: asked) } catch {
                await self.noteFailure()
                throw error
            }
        }
    }

    private func noteFailure() { lockCheckDue = true }

    /// The commit the full ref `ref` (`refs/pull/7/head`) names in the remote now, fetched into
    /// the mirror: refs outside branches and tags, which a full fetch never brings.
    func resolve(_ remote: GitRemote, ref: String) async throws(GitError) -> String {
        let asked = ContinuousClock.now
        return try await gate.run { () async throws(GitError) -> String in
            do throws(GitError) { return try await self.resolveRefInGate(ref, remote, asked: asked) } catch {
                await self.noteFailure()
                throw error
            }
        }
    }

    private func resolveRefInGate(_ ref: String, _ remote: GitRemote, asked: ContinuousClock.Instant) async throws(GitError) -> String {
        _ = try checkedAccess(remote)
        try await prepare(remote)
        return try await resolveRef(ref, remote, "ref \(RefName.printable(ref))", asked: asked)
    }

    private func resolveInGate(_ remote: GitRemote, _ revision: Revision, asked: ContinuousClock.Instant) async throws(GitError) -> String {
        _ = try checkedAccess(remote)
        try await prepare(remote)
        switch revision {
        case .commit(let sha):
            // Nothing else asks the remote when the commit is already here.
            try await authorize(remote)
            try await ensureCommit(sha.lowercased(), remote)
            return sha.lowercased()
        case .branch(let name):
            return try await resolveRef("refs/heads/" + name, remote, revision.description, asked: asked)
        case .tag(let name):
            return try await resolveRef("refs/tags/" + name, remote, revision.description, asked: asked)
        case .semver(let range):
            let tags = try await remoteTags(remote)
            let candidates = tags.compactMap { tag in SemanticVersion(lenient: tag.name).map { (version: $0, payload: tag) } }
                .sorted { $0.payload.name < $1.payload.name }
            guard let best = range.best(of: candidates) else {
                throw GitError(.notFound, "no tag matches the version range '\(range)'", repository: remote.description)
            }
            return try await resolveRef("refs/tags/" + best.payload.name, remote, revision.description, asked: asked)
        }
    }

    /// A work tree of `commit`; one already made and checked in this process is returned at once
    /// to a remote whose access was checked lately.
    func checkout(_ remote: GitRemote, commit: String, lease: Bool = false) async throws(GitError) -> Checkout {
        if lease { leases[commit, default: 0] += 1 }
        do throws(GitError) { return try await makeOrReuseCheckout(remote, commit: commit) } catch {
            if lease { release(commit) }
            throw error
        }
    }

    /// Ends one lease taken by `checkout(_:commit:lease:)`.
    func release(_ commit: String) {
        leases[commit, default: 1] -= 1
        if leases[commit] == 0 { leases[commit] = nil }
    }

    private func makeOrReuseCheckout(_ remote: GitRemote, commit: String) async throws(GitError) -> Checkout {
        let path = checkouts + "/" + commit
        let result = Checkout(repository: remote.description, commit: commit, directory: path, mirrorDirectory: directory)
        if try checkedAccess(remote), verifiedCheckouts.contains(commit), FileManager.default.fileExists(atPath: path + "/.git") {
            lastUsed[commit] = Date()
            return result
        }
        try await gate.run { () async throws(GitError) in
            do throws(GitError) {
                try await self.authorize(remote)
                try await self.makeCheckout(remote, commit: commit, path: path)
                await self.pruneCheckouts(keeping: commit)
            } catch {
                await self.noteFailure()
                throw error
            }
        }
        return result
    }

    private func makeCheckout(_ remote: GitRemote, commit: String, path: String) async throws(GitError) {
        try await prepare(remote)
        lastUsed[commit] = Date()
        defer { if FileManager.default.fileExists(atPath: path + "/.git") { verifiedCheckouts.insert(commit) } }
        if FileManager.default.fileExists(atPath: path + "/.git"),
            let head = try? await runner.check(GitInvocation(["rev-parse", "--verify", "HEAD"], in: path)),
            head.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == commit
        {
            return
        }
        verifiedCheckouts.remove(commit)
        try await ensureCommit(commit, remote)
        try? FileManager.default.removeItem(atPath: path)
        try? FileManager.default.createDirectory(atPath: checkouts, withIntermediateDirectories: true)
        try await runner.check(GitInvocation(["worktree", "prune"], in: directory))
        try await runner.check(GitInvocation(["worktree", "add", "--detach", "--force", "--", path, commit], in: directory))
        try await enforceSizeLimit(remote, workTree: path)
        logger.debug("checked out", metadata: ["keelson.repo": "\(remote)", "keelson.revision": "\(commit)"])
    }

    func remove(_ checkout: Checkout) async throws(GitError) {
        verifiedCheckouts.remove(checkout.commit)
        lastUsed[checkout.commit] = nil
        try await gate.run { () async throws(GitError) in
            try? FileManager.default.removeItem(atPath: checkout.directory)
            try await self.runner.check(GitInvocation(["worktree", "prune"], in: self.directory))
        }
    }

    // MARK: Steps (called inside the gate)

    /// Creates the bare mirror when missing and removes lock files a killed command left behind.
    private func prepare(_ remote: GitRemote) async throws(GitError) {
        if !FileManager.default.fileExists(atPath: directory + "/HEAD") {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try await runner.check(GitInvocation(["init", "--bare", "--quiet", "--", directory]))
        }
        if lockCheckDue {
            removeStaleLocks(remote)
            lockCheckDue = false
        }
    }

    /// Removes `*.lock` files older than `staleLockAge`; younger ones may belong to a live git.
    func removeStaleLocks(_ remote: GitRemote) {
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return }
        let maximumAge = Double(staleLockAge.components.seconds) + Double(staleLockAge.components.attoseconds) / 1e18
        while let relative = walker.nextObject() as? String {
            guard relative.hasSuffix(".lock") else { continue }
            let path = directory + "/" + relative
            guard let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date,
                Date().timeIntervalSince(modified) > maximumAge
            else { continue }
            try? FileManager.default.removeItem(atPath: path)
            logger.warning("removed a stale git lock file", metadata: ["keelson.repo": "\(remote)", "keelson.lock": "\(relative)"])
        }
    }

    /// The commit `ref` points at in the remote, fetched shallowly into the mirror when missing.
    private func resolveRef(_ ref: String, _ remote: GitRemote, _ revision: String, asked: ContinuousClock.Instant) async throws(GitError) -> String {
        let key = Listing(remote: remote, ref: ref)
        let refs: [String: String]
        if let listing = listings[key], listing.started > asked {
            refs = listing.refs
        } else {
            let started = ContinuousClock.now
            let listed = try await noteAccess(remote, started: started) { () async throws(GitError) in
                try await runner.check(GitInvocation(["ls-remote", "--", remote.url.value, ref, ref + "^{}"], in: directory, remote: remote))
            }
            refs = Self.parseRefs(listed.stdout)
            listings[key] = (started, refs)
        }
        guard let sha = refs[ref + "^{}"] ?? refs[ref] else {
            throw GitError(.notFound, "\(revision) does not exist", repository: remote.description)
        }
        if try await hasCommit(sha) { return sha }
        try await runner.check(
            GitInvocation(
                ["fetch", "--quiet", "--no-tags", "--no-write-fetch-head", "--depth=1", "--", remote.url.value, "+\(ref):\(ref)"], in: directory,
                remote: remote))
        try await enforceSizeLimit(remote)
        if try await hasCommit(sha) { return sha }
        // The ref moved between listing and fetching: take what was fetched.
        let fetched = try await runner.check(GitInvocation(["rev-parse", "--verify", "--end-of-options", ref + "^{commit}"], in: directory))
        return fetched.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Makes sure `sha` is in the mirror: a shallow fetch of the SHA, then a full fetch.
    private func ensureCommit(_ sha: String, _ remote: GitRemote) async throws(GitError) {
        if try await hasCommit(sha) { return }
        let direct = try await runner.run(
            GitInvocation(
                ["fetch", "--quiet", "--no-tags", "--no-write-fetch-head", "--depth=1", "--", remote.url.value, sha], in: directory, remote: remote))
        if direct.succeeded { try await enforceSizeLimit(remote) }
        if direct.succeeded, try await hasCommit(sha) { return }
        if [.authentication, .protocolNotAllowed].contains(GitFailureClassifier.code(for: direct.stderr)) {
            throw GitFailureClassifier.error(for: GitInvocation(["fetch"], remote: remote), output: direct)
        }
        var full = ["fetch", "--quiet", "--no-write-fetch-head"]
        let shallow = try await runner.check(GitInvocation(["rev-parse", "--is-shallow-repository"], in: directory))
        if shallow.stdout.hasPrefix("true") { full.append("--unshallow") }
        full += ["--", remote.url.value, "+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"]
        try await runner.check(GitInvocation(full, in: directory, remote: remote))
        try await enforceSizeLimit(remote)
        guard try await hasCommit(sha) else {
            throw GitError(.notFound, "commit \(sha) does not exist", repository: remote.description)
        }
    }

    private func hasCommit(_ sha: String) async throws(GitError) -> Bool {
        if knownCommits.contains(sha) { return true }
        let present = try await runner.run(GitInvocation(["cat-file", "-e", "--end-of-options", sha + "^{commit}"], in: directory)).succeeded
        if present { knownCommits.insert(sha) }
        return present
    }

    private func remoteTags(_ remote: GitRemote) async throws(GitError) -> [(name: String, sha: String)] {
        let listed = try await noteAccess(remote, started: ContinuousClock.now) { () async throws(GitError) in
            try await runner.check(GitInvocation(["ls-remote", "--tags", "--refs", "--", remote.url.value], in: directory, remote: remote))
        }
        return Self.parseRefs(listed.stdout).compactMap { ref, sha in
            ref.hasPrefix("refs/tags/") ? (String(ref.dropFirst(10)), sha) : nil
        }
    }

    /// `sha<TAB>ref` lines as a table from ref to SHA.
    static func parseRefs(_ text: String) -> [String: String] {
        var refs: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "\t", maxSplits: 1)
            guard parts.count == 2, Revision.isFullSHA(String(parts[0])) else { continue }
            refs[String(parts[1])] = String(parts[0])
        }
        return refs
    }
}
