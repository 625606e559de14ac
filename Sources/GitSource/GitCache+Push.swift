import Foundation

/// A name and email for commits.
public struct GitSignature: Sendable, Hashable {
    /// The display name.
    public var name: String
    /// The email address.
    public var email: String

    /// Creates a signature.
    public init(name: String, email: String) {
        self.name = name
        self.email = email
    }
}

/// What to commit and where to push it.
public struct PushRequest: Sendable {
    /// How a rejected push is retried.
    public enum Strategy: String, Sendable, Hashable {
        /// Fetch and rebase the commit onto the new tip; a conflict fails with `.conflict`.
        case rebase
        /// Reset to the new tip and run the change again (what image automation wants).
        case reapply
    }

    /// The branch to check out (and push to, unless `pushBranch` names another).
    public var branch: String
    /// A separate branch to push to (for review). When it exists, commits go on top of it;
    /// otherwise it starts from `branch`.
    public var pushBranch: String?
    /// Builds the commit message after the change ran (it may describe what changed);
    /// `message` is used when `nil`.
    public var messageProvider: (@Sendable () -> String)?
    /// The author.
    public var author: GitSignature
    /// The committer, or the author when `nil`.
    public var committer: GitSignature?
    /// The commit message.
    public var message: String
    /// How a rejected push is retried.
    public var strategy: Strategy
    /// The most pushes tried before giving up with `.conflict`.
    public var maximumAttempts: Int
    /// The delay before the second push; it grows linearly with each attempt.
    public var retryDelay: Duration

    /// Creates a request.
    public init(
        branch: String, author: GitSignature, committer: GitSignature? = nil, message: String,
        strategy: Strategy = .reapply, maximumAttempts: Int = 5, retryDelay: Duration = .milliseconds(100),
        pushBranch: String? = nil, messageProvider: (@Sendable () -> String)? = nil
    ) {
        self.branch = branch
        self.pushBranch = pushBranch
        self.messageProvider = messageProvider
        self.author = author
        self.committer = committer
        self.message = message
        self.strategy = strategy
        self.maximumAttempts = maximumAttempts
        self.retryDelay = retryDelay
    }
}

/// A pushed commit.
public struct PushResult: Sendable, Hashable {
    /// The SHA of the commit now at the tip of the branch.
    public var commit: String
    /// How many pushes it took (1 when nobody raced us).
    public var attempts: Int
}

extension GitCache {
    /// Clones `request.branch`, lets `change` edit the work tree (it returns the relative
    /// paths it touched), commits them and pushes, retrying a rejected push by rebasing or
    /// by resetting and running `change` again. Returns `nil` when nothing changed.
    public func commitAndPush(
        _ remote: GitRemote, _ request: PushRequest,
        change: @Sendable (_ workTree: String) async throws -> [String]
    ) async throws(GitError) -> PushResult? {
        try RefName.validate(request.branch)
        let target = request.pushBranch ?? request.branch
        try RefName.validate(target)
        try admit(remote)
        let work: String
        do { work = try PrivateFiles.makeDirectory(prefix: "push", in: directory + "/work") } catch {
            throw GitError(.command, "cannot create a work directory", cause: SubprocessFailure(description: "\(error)"))
        }
        defer { try? FileManager.default.removeItem(atPath: work) }
        let committer = request.committer ?? request.author
        let identity = [
            "GIT_AUTHOR_NAME": request.author.name, "GIT_AUTHOR_EMAIL": request.author.email,
            "GIT_COMMITTER_NAME": committer.name, "GIT_COMMITTER_EMAIL": committer.email,
        ]
        let upstream = "refs/remotes/origin/" + target
        func git(_ arguments: [String], remote: GitRemote? = nil) -> GitInvocation {
            GitInvocation(arguments, in: work, remote: remote, environment: identity)
        }
        try await runner.check(
            GitInvocation(
                ["clone", "--quiet", "--no-tags", "--single-branch", "--branch", request.branch, "--", remote.url.value, work], remote: remote))
        if target != request.branch {
            // An existing push branch is the base, so earlier automation commits are kept.
            // `ls-remote --exit-code` answers 2 when the branch does not exist (yet).
            let probe = git(["ls-remote", "--exit-code", "--heads", "--", remote.url.value, "refs/heads/\(target)"], remote: remote)
            let listed = try await runner.run(probe)
            if listed.succeeded {
                try await runner.check(
                    git(["fetch", "--quiet", "--no-tags", "--", remote.url.value, "+refs/heads/\(target):\(upstream)"], remote: remote))
                try await runner.check(git(["reset", "--hard", "--quiet", upstream]))
            } else if listed.status != 2 {
                throw GitFailureClassifier.error(for: probe, output: listed)
            }
        }
        var needsChange = true
        for attempt in 1...max(1, request.maximumAttempts) {
            if needsChange {
                let paths: [String]
                do { paths = try await change(work) } catch let error as GitError { throw error } catch {
                    throw GitError(
                        .command, "the change to commit failed", repository: remote.description, cause: SubprocessFailure(description: "\(error)"))
                }
                for path in paths where path.hasPrefix("/") || path.split(separator: "/").contains("..") {
                    throw GitError(.command, "the changed path '\(RefName.printable(path))' is outside the work tree", repository: remote.description)
                }
                if !paths.isEmpty { try await runner.check(git(["add", "--all", "--"] + paths)) }
                if try await runner.run(git(["diff", "--cached", "--quiet"])).succeeded { return nil }
                try await runner.check(
                    git(["commit", "--quiet", "--no-verify", "--no-gpg-sign", "-m", request.messageProvider?() ?? request.message]))
            }
            let push = try await runner.run(git(["push", "--porcelain", "--", remote.url.value, "HEAD:refs/heads/" + target], remote: remote))
            if push.succeeded {
                let head = try await runner.check(git(["rev-parse", "HEAD"]))
                logger.info("pushed", metadata: ["keelson.repo": "\(remote)", "keelson.revision": "\(head.stdout.prefix(40))"])
                return PushResult(commit: String(head.stdout.prefix(40)), attempts: attempt)
            }
            guard Self.isRaceRejection(push) else { throw GitFailureClassifier.error(for: git(["push"], remote: remote), output: push) }
            guard attempt < request.maximumAttempts else { break }
            logger.info("push rejected, retrying", metadata: ["keelson.repo": "\(remote)", "keelson.attempt": "\(attempt)"])
            do { try await runner.clock.sleep(for: request.retryDelay * attempt) } catch {
                throw GitError(.command, "cancelled while waiting to retry the push", repository: remote.description)
            }
            try await runner.check(
                git(["fetch", "--quiet", "--no-tags", "--", remote.url.value, "+refs/heads/\(target):\(upstream)"], remote: remote))
            switch request.strategy {
            case .rebase:
                let rebase = try await runner.run(git(["rebase", "--quiet", "--no-verify", upstream]))
                if !rebase.succeeded {
                    _ = try? await runner.run(git(["rebase", "--abort"]))
                    throw GitError(
                        .conflict, "the commit does not rebase cleanly onto the new tip of \(target)",
                        repository: remote.description,
                        cause: GitCommandFailure(subcommand: "rebase", status: rebase.status, standardError: rebase.stderr))
                }
                needsChange = false
            case .reapply:
                try await runner.check(git(["reset", "--hard", "--quiet", upstream]))
                try await runner.check(git(["clean", "-fdq"]))
                needsChange = true
            }
        }
        throw GitError(.conflict, "the push to \(target) was rejected \(request.maximumAttempts) times", repository: remote.description)
    }

    /// Whether a failed push lost a race (someone pushed first) rather than failed outright.
    static func isRaceRejection(_ output: GitOutput) -> Bool {
        let text = output.stdout + output.stderr
        return ["[rejected]", "cannot lock ref", "failed to update ref", "incorrect old value", "fetch first", "non-fast-forward"]
            .contains { text.contains($0) }
    }
}
