import ArgumentParser
import KeelsonRuntime
import Manifests
import Sync

/// `keelson install`: put Keelson into the cluster, applied by its own sync engine.
struct InstallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Install Keelson into a cluster: deploy/ (namespace keelson, CRDs, RBAC, controller, Service, NetworkPolicy).",
        discussion: """
            The manifests are deploy/ of this Keelson, carried in the binary and rendered with the native Kustomize; they are \
            applied with server-side apply as the application keelson/keelson, so running install again updates them and prunes \
            nothing. --dry-run prints the manifests (what kubectl kustomize deploy/ prints) without contacting a cluster; \
            --dry-run -o text asks the cluster what would change. The controller's image in deploy/ is the placeholder \
            'keelson': give --image for a cluster that must run it.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, yaml }

    @OptionGroup var installation: InstallationOptions

    @Flag(name: .customLong("dry-run"), help: "Print the manifests (with -o text or json: what the cluster would change); write nothing.")
    var dryRun = false

    @OptionGroup var waiting: WaitOptions

    @Option(name: .shortAndLong, help: "Output: yaml (the manifests; with --dry-run, the default), text or json (the change set).")
    var output: Format?

    @OptionGroup var cluster: ClusterOptions

    func validate() throws {
        if output == .yaml && !dryRun { throw ValidationError("-o yaml prints the manifests without installing them; add --dry-run") }
    }

    func run() async throws {
        let objects = try Installation.manifests(image: installation.image, replicas: installation.replicas)
        if dryRun && (output ?? .yaml) == .yaml {
            CLI.write(YAMLEncoder.encodeDocuments(objects.map(\.value)))
            return
        }
        let changes = try await Self.apply(objects, cluster: cluster, waiting: waiting, dryRun: dryRun)
        switch output ?? .text {
        case .json: CLI.write(JSONWriter.pretty(changes.json))
        case .text, .yaml: CLI.write(SyncCommand.text(changes))
        }
        try Self.failIfFailed(changes)
    }

    /// Syncs an installation's objects as the application keelson/keelson, in its namespace.
    static func apply(_ objects: [Manifest], cluster: ClusterOptions, waiting: WaitOptions, dryRun: Bool = false) async throws -> ChangeSet {
        var options = SyncOptions()
        options.dryRun = dryRun
        options.namespace = "keelson"
        waiting.apply(to: &options)
        return try await cluster.sync(app: "keelson/keelson", desired: objects, options: options)
    }

    /// Exit status 1, with the sync's message, when it failed.
    static func failIfFailed(_ changes: ChangeSet) throws {
        guard changes.result == .failed else { return }
        CLI.error(changes.message)
        throw ExitCode(1)
    }
}

/// `--image` and `--replicas` of `install` and `bootstrap`.
struct InstallationOptions: ParsableArguments {
    @Option(help: "The controller's image reference (replaces the placeholder 'keelson').")
    var image: String?

    @Option(help: "How many controller replicas (deploy/ has 1; they elect a leader, the others stand by).")
    var replicas: Int?

    func validate() throws {
        do { try Installation.check(image: image, replicas: replicas) } catch { throw ValidationError(error.description) }
    }
}
