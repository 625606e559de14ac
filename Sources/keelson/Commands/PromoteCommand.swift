import ArgumentParser
import Foundation
import GitSource
import ImageAutomation
import Registry
import Render
import Synchronization

/// `keelson promote`: the step CI runs after pushing an image — commit the new tag to Git.
struct PromoteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promote",
        abstract: "Update every reference to an image under a path in a Git repository, commit and push.",
        discussion: """
            Updates container images in workloads, kustomize images: entries and Flux $imagepolicy setters, leaving \
            every other byte of each file as it was. A push that races another is retried on the new tip; nothing is \
            committed when nothing changed. Credentials come from the environment and are never printed: \
            KEELSON_GIT_TOKEN (https), or KEELSON_GIT_SSH_KEY with KEELSON_GIT_KNOWN_HOSTS (ssh).
            """)

    @OptionGroup var repository: GitWriteOptions

    @Option(help: "The directory inside the repository whose YAML files are updated.")
    var path: String

    @Option(name: .customLong("image"), help: "NAME=REF:TAG (repeatable), e.g. ghcr.io/org/app=ghcr.io/org/app:1.4.3.")
    var images: [String]

    @Option(name: .customLong("push-branch"), help: "Push to this branch (for review) instead of --branch; an existing one is built on.")
    var pushBranch: String?

    @Option(help: "The commit message (default: lists the images).")
    var message: String?

    func validate() throws {
        if images.isEmpty { throw ValidationError("give at least one --image NAME=REF:TAG") }
        if path.hasPrefix("/") || path.split(separator: "/").contains("..") { throw ValidationError("--path must stay inside the repository") }
    }

    func run() async throws {
        let promotions = try images.map { try ImagePromotion(parsing: $0) }
        let updaters = promotions.map(ImageReferenceUpdater.init)
        let branch = repository.branch
        let remote = try repository.remote()
        let cache = try repository.cache("promote")
        defer { try? FileManager.default.removeItem(atPath: cache.directory) }
        let changes = Mutex<[YAMLChange]>([])
        let directory = path
        let text = message ?? "Promote " + promotions.map(\.description).joined(separator: ", ")
        let request = PushRequest(
            branch: branch, author: Self.author, message: text, strategy: .reapply, maximumAttempts: 10, pushBranch: pushBranch)
        let result = try await cache.commitAndPush(remote, request) { workTree in
            let (paths, made) = try Self.update(workTree: workTree, directory: directory, updaters: updaters)
            changes.withLock { $0 = made }
            return paths
        }
        var out = changes.withLock { $0 }.map { "\($0)\n" }.joined()
        if let result {
            out +=
                "committed \(result.commit.prefix(12)) to \(pushBranch ?? branch)" + (result.attempts > 1 ? " after \(result.attempts) attempts" : "")
                + "\n"
        } else {
            out += "nothing to change\n"
        }
        CLI.write(out)
    }

    /// Rewrites the YAML files under `directory`; returns the changed paths and every change.
    static func update(workTree: String, directory: String, updaters: [ImageReferenceUpdater]) throws -> ([String], [YAMLChange]) {
        try WorkTreeSetters.run(workTree: workTree, directory: directory) { bytes, file in
            var current: FileUpdate?
            for updater in updaters {
                if let update = try updater.update(current?.bytes ?? bytes, file: file) {
                    current = FileUpdate(bytes: update.bytes, changes: (current?.changes ?? []) + update.changes)
                }
            }
            return current
        }
    }

    /// Who commits made by the CLI are by.
    static let author = GitSignature(name: "keelson", email: "keelson@users.noreply.keelson.dev")
}

/// The repository a command commits to: `--repo`, `--branch`, `--allow-http`, with credentials
/// from the environment (never printed): `KEELSON_GIT_TOKEN` (https), or `KEELSON_GIT_SSH_KEY`
/// with `KEELSON_GIT_KNOWN_HOSTS` (ssh).
struct GitWriteOptions: ParsableArguments {
    @Option(help: "The repository: a URL, or a local path.")
    var repo: String

    @Option(help: "The branch to commit to.")
    var branch = "main"

    @Flag(name: .customLong("allow-http"), help: "Allow plain http:// remotes.")
    var allowHTTP = false

    /// `--repo` as a URL.
    var url: String { Self.url(repo) }

    /// The remote, with the environment's credentials.
    func remote() throws -> GitRemote { try Self.remote(repo) }

    /// A Git cache of this process's own, under the temporary directory; the caller removes it.
    func cache(_ command: String) throws -> GitCache { try Self.cache(command, allowHTTP: allowHTTP) }

    /// `repo` as a URL: a local path becomes a `file://` URL.
    static func url(_ repo: String) -> String {
        if repo.contains("://") || repo.contains("@") { return repo }
        return "file://" + URL(fileURLWithPath: repo).standardizedFileURL.path
    }

    /// The remote `repo`, with the environment's credentials.
    static func remote(_ repo: String) throws -> GitRemote {
        let environment = ProcessInfo.processInfo.environment
        let credentials: GitCredentials
        if let token = environment["KEELSON_GIT_TOKEN"], !token.isEmpty {
            credentials = .token(token)
        } else if let key = environment["KEELSON_GIT_SSH_KEY"], !key.isEmpty {
            credentials = try .ssh(privateKeyFile: key, knownHostsFile: environment["KEELSON_GIT_KNOWN_HOSTS"])
        } else {
            credentials = .none
        }
        return try GitRemote(url(repo), credentials: credentials)
    }

    /// A Git cache for one run of `command`, under the temporary directory; the caller removes it.
    static func cache(_ command: String, allowHTTP: Bool) throws -> GitCache {
        try ControllerCommand.gitCache(FileManager.default.temporaryDirectory.path + "/keelson-\(command)-\(getpid())", allowHTTP: allowHTTP)
    }
}
