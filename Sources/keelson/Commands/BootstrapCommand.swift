import ArgumentParser
import Foundation
import GitSource
import KeelsonRuntime
import Manifests

/// `keelson bootstrap`: Keelson installed from Git and kept in sync by itself, as `flux bootstrap` does.
struct BootstrapCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bootstrap",
        abstract: "Commit Keelson's installation to a Git repository, install it, and let Keelson keep itself in sync from there.",
        discussion: """
            Writes to --path in the repository: base/ (deploy/ of this Keelson), application.yaml (the Application \
            keelson/keelson, which syncs --path itself, with prune and self-heal) and a kustomization.yaml over both \
            (--image and --replicas go there). Commits and pushes them when they changed (the branch must exist), then \
            installs the same objects as keelson install does. From then on, changing Keelson is a commit under --path. \
            Credentials come from the environment and are never printed: KEELSON_GIT_TOKEN (https), or \
            KEELSON_GIT_SSH_KEY with KEELSON_GIT_KNOWN_HOSTS (ssh).
            """)

    @OptionGroup var repository: GitWriteOptions

    @Option(help: "The directory inside the repository for Keelson's installation, e.g. clusters/prod/keelson.")
    var path: String

    @OptionGroup var installation: InstallationOptions

    @Option(
        help: "The repository URL the Application reads (default: --repo; give another when the cluster reaches the repository by another address).")
    var sourceURL: String?

    @OptionGroup var waiting: WaitOptions

    @OptionGroup var cluster: ClusterOptions

    func validate() throws {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        if path.hasPrefix("/") || parts.isEmpty || parts.contains("..") || parts.contains(".") {
            throw ValidationError("--path must be a directory inside the repository, e.g. clusters/prod/keelson")
        }
    }

    func run() async throws {
        let branch = repository.branch
        let directory = path.split(separator: "/").joined(separator: "/")
        let tree = try Installation.tree(
            image: installation.image, replicas: installation.replicas,
            resources: [("application.yaml", Self.application(repoURL: sourceURL ?? repository.url, revision: branch, path: directory))])
        let remote = try repository.remote()
        let cache = try repository.cache("bootstrap")
        defer { try? FileManager.default.removeItem(atPath: cache.directory) }
        let request = PushRequest(
            branch: branch, author: PromoteCommand.author, message: "Bootstrap Keelson in \(directory)", strategy: .reapply, maximumAttempts: 10)
        let pushed = try await cache.commitAndPush(remote, request) { workTree in
            try Installation.write(tree, into: workTree + "/" + directory)
            return tree.map { directory + "/" + $0.path }
        }
        var out = pushed.map { "committed \($0.commit.prefix(12)) to \(branch)\n" } ?? "\(directory) is up to date in \(branch)\n"
        let changes = try await InstallCommand.apply(try Installation.render(tree), cluster: cluster, waiting: waiting)
        out += SyncCommand.text(changes)
        CLI.write(out)
        try InstallCommand.failIfFailed(changes)
    }

    /// The Application that keeps the installation equal to `path` at `revision` of `repoURL`.
    static func application(repoURL: String, revision: String, path: String) -> String {
        let application: JSONObject = [
            "apiVersion": "keelson.dev/v1alpha1", "kind": "Application",
            "metadata": ["name": "keelson", "namespace": "keelson"],
            "spec": [
                "source": ["repoURL": .string(repoURL), "revision": .string(revision), "path": .string(path)],
                "destination": ["namespace": "keelson"],
                "syncPolicy": ["automated": ["prune": true, "selfHeal": true]],
            ],
        ]
        return "# Keelson keeps itself in sync with this directory (keelson bootstrap).\n" + YAMLEncoder.encode(.object(application))
    }
}
