import Foundation
import KeelsonTesting

/// A bare repository in a temporary folder plus a work clone that pushes to it, driven by
/// the real `git` with a clean environment.
struct TestRepository {
    let folder: TemporaryDirectory
    /// The bare repository.
    let bare: String
    /// A non-bare clone used to make commits.
    let work: String

    static let environment: [String: String] = [
        "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
        "HOME": FileManager.default.temporaryDirectory.path,
        "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com",
    ]

    /// Creates `origin.git` with one commit on `main` holding `README`.
    init(name: String = "origin") async throws {
        folder = try TemporaryDirectory(prefix: "keelson-git")
        bare = folder.path + "/" + name + ".git"
        work = folder.path + "/work-" + name
        try await Self.git(["init", "--quiet", "--bare", "--initial-branch=main", bare])
        try await Self.git(["init", "--quiet", "--initial-branch=main", work])
        try await Self.git(["-C", work, "remote", "add", "origin", bare])
        try await commit("README", "hello\n")
    }

    /// The `file://` URL of the bare repository.
    var fileURL: String { "file://" + bare }

    /// Writes `text` to `path` on the current branch, commits, pushes, and returns the SHA.
    @discardableResult
    func commit(_ path: String, _ text: String, branch: String = "main", message: String? = nil) async throws -> String {
        try await checkoutBranch(branch)
        let full = work + "/" + path
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: full))
        try await Self.git(["-C", work, "add", "--", path])
        try await Self.git(["-C", work, "commit", "--quiet", "-m", message ?? "edit \(path)"])
        try await Self.git(["-C", work, "push", "--quiet", "origin", "HEAD:refs/heads/\(branch)"])
        return try await head()
    }

    /// Switches the work clone to `branch`, creating it from the current commit when new.
    func checkoutBranch(_ branch: String) async throws {
        let current = try await Self.git(["-C", work, "branch", "--show-current"]).trimmingCharacters(in: .whitespacesAndNewlines)
        guard current != branch else { return }
        let exists = (try? await Self.git(["-C", work, "rev-parse", "--verify", "--quiet", "refs/heads/" + branch])) != nil
        try await Self.git(["-C", work, "checkout", "--quiet"] + (exists ? [branch] : ["-b", branch]))
    }

    /// Tags the current commit (annotated when `annotated`) and pushes the tag.
    func tag(_ name: String, annotated: Bool = false) async throws {
        try await Self.git(["-C", work, "tag"] + (annotated ? ["-a", "-m", "release \(name)"] : []) + [name])
        try await Self.git(["-C", work, "push", "--quiet", "origin", "refs/tags/\(name)"])
    }

    /// The SHA of the work clone's HEAD.
    func head() async throws -> String {
        try await Self.git(["-C", work, "rev-parse", "HEAD"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The SHA the bare repository's `branch` points at.
    func tip(_ branch: String = "main") async throws -> String {
        try await Self.git(["-C", bare, "rev-parse", "refs/heads/" + branch]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The content of `path` at the tip of `branch` in the bare repository.
    func show(_ path: String, branch: String = "main") async throws -> String {
        try await Self.git(["-C", bare, "show", "refs/heads/\(branch):\(path)"])
    }

    /// Runs git and returns standard output; throws with standard error on failure.
    @discardableResult
    static func git(_ arguments: [String]) async throws -> String {
        let result = try await ProcessRunner.run("git", arguments, environment: environment)
        guard result.status == 0 else {
            throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "git \(arguments.joined(separator: " ")): \(result.errorOutput)"])
        }
        return result.output
    }
}
