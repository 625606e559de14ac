import Foundation

/// A Git work tree in a test's folder, driven with the real `git`: commit files, branch, and
/// read back commits. Runs git off the cooperative threads (`ProcessRunner`).
public struct GitWorkTree: Sendable {
    /// The work tree.
    public let path: String

    /// A new repository at `path` whose first branch is `branch`.
    public static func create(at path: String, branch: String = "main") async throws -> GitWorkTree {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let tree = GitWorkTree(path: path)
        try await tree.git(["init", "-q", "-b", branch])
        return tree
    }

    /// Runs git here; throws with git's stderr when it fails, else answers its trimmed stdout.
    @discardableResult
    public func git(_ arguments: [String]) async throws -> String {
        let identity = ["-c", "user.name=Keelson Test", "-c", "user.email=test@keelson.dev", "-c", "commit.gpgsign=false"]
        let result = try await ProcessRunner.run("git", ["-C", path] + identity + arguments)
        guard result.status == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "git \(arguments): \(result.errorOutput)"])
        }
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Writes `files` (a nil text deletes the file) and commits them all; answers the commit.
    @discardableResult
    public func commit(_ message: String, _ files: [String: String?]) async throws -> String {
        for (name, text) in files {
            let file = path + "/" + name
            if let text {
                try FileManager.default.createDirectory(
                    atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try Data(text.utf8).write(to: URL(fileURLWithPath: file))
            } else {
                try? FileManager.default.removeItem(atPath: file)
            }
        }
        try await git(["add", "-A"])
        try await git(["commit", "-q", "--allow-empty", "-m", message])
        return try await git(["rev-parse", "HEAD"])
    }

    /// Switches to `branch`, creating it from the current commit when `create`.
    public func checkout(_ branch: String, create: Bool = false) async throws {
        try await git(create ? ["checkout", "-q", "-b", branch] : ["checkout", "-q", branch])
    }
}
