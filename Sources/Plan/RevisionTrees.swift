import Foundation
import GitSource

/// Work trees of the repository under review, one per revision: exported from a local
/// repository (its index, HEAD and work tree untouched) or checked out of a remote one through
/// a private Git cache.
struct RevisionTrees: Sendable {
    /// Where the repository is.
    enum Origin: Sendable {
        case local(String)
        case remote(GitRemote)
    }

    let origin: Origin
    let runner: GitRunner
    /// Scratch space: exported trees and the remote's cache.
    let scratch: String
    /// The remote's private cache; nil for a local repository.
    let cache: GitCache?

    /// Trees of the options' repository: its `remote` through that cache, else `repository` (a
    /// local path or a Git URL, through a private cache), with scratch space under `scratch`.
    init(_ options: PlanOptions) throws {
        scratch = options.scratch
        runner = try GitRunner()
        if let shared = options.remote {
            origin = .remote(shared.remote)
            cache = shared.cache
            return
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: options.repository, isDirectory: &isDirectory), isDirectory.boolValue {
            origin = .local(URL(fileURLWithPath: options.repository).standardizedFileURL.path)
            cache = nil
        } else {
            let credentials = ProcessInfo.processInfo.environment["KEELSON_GIT_TOKEN"].map { GitCredentials.token($0) } ?? .none
            origin = .remote(try GitRemote(options.repository, credentials: credentials))
            cache = try GitCache(directory: scratch + "/git", runner: runner)
        }
    }

    /// The URLs that name this repository, normalised: the remote's, or a local repository's
    /// `origin`. Empty when a local repository has no `origin`.
    func identities() async -> Set<String> {
        switch origin {
        case .remote(let remote): return [RepositoryURL.normalize(remote.url.description)]
        case .local(let path):
            let output = try? await runner.check(GitInvocation(["remote", "get-url", "origin"], in: path))
            guard let url = output?.stdout.trimmingCharacters(in: .whitespacesAndNewlines), !url.isEmpty else { return [] }
            return [RepositoryURL.normalize(url)]
        }
    }

    /// The commit `revision` names.
    func resolve(_ revision: String) async throws -> String {
        switch origin {
        case .local(let path):
            guard !revision.hasPrefix("-"), !revision.isEmpty else { throw PlanError(.usage, "bad revision \"\(revision)\"") }
            let output = try? await runner.check(
                GitInvocation(["rev-parse", "--verify", "--quiet", "--end-of-options", revision + "^{commit}"], in: path))
            guard let sha = output?.stdout.trimmingCharacters(in: .whitespacesAndNewlines), sha.count >= 40 else {
                throw PlanError(.usage, "\(revision) names no commit in \(path)")
            }
            return sha
        case .remote(let remote):
            guard revision != "HEAD" else {
                throw PlanError(.usage, "HEAD names a local work tree's commit; for a Git URL give a branch, tag or commit")
            }
            return try await cache!.resolve(remote, try Revision.parse(revision))
        }
    }

    /// Runs `body` with a work tree of `commit`.
    func withTree<T: Sendable>(_ commit: String, _ body: (String) async throws -> T) async throws -> T {
        switch origin {
        case .remote(let remote):
            return try await cache!.withCheckout(remote, commit: commit) { checkout in try await body(checkout.directory) }
        case .local(let path):
            let tree = scratch + "/trees/" + commit
            if !FileManager.default.fileExists(atPath: tree) {
                try FileManager.default.createDirectory(atPath: tree, withIntermediateDirectories: true)
                // An empty tree (a first commit made with --allow-empty) has nothing to check out.
                let listing = try await runner.check(GitInvocation(["ls-tree", "--name-only", commit], in: path))
                if !listing.stdout.isEmpty {
                    // A private index: the repository's own index, HEAD and work tree stay as they
                    // are; `:/` is the whole tree, also when PATH is a subdirectory of it.
                    _ = try await runner.check(
                        GitInvocation(
                            ["--work-tree", tree, "checkout", "--quiet", commit, "--", ":/"], in: path,
                            environment: ["GIT_INDEX_FILE": scratch + "/index-" + commit]))
                }
            }
            return try await body(tree)
        }
    }
}
