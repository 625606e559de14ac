import ArgumentParser
import Controller
import Foundation
import GitSource
import KeelsonRuntime
import Kube
import Logging
import Server
import ServiceLifecycle

/// `keelson controller`: the long-running GitOps loop.
struct ControllerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "controller",
        abstract: "Keep the cluster equal to Git for every Application (from --apps files and from the cluster).",
        discussion: """
            Applications (and Projects) in --apps are applied to the cluster (the controller's --namespace unless they say otherwise). \
            Only Applications in --namespace and --application-namespaces are reconciled; those outside --namespace must name a \
            Project (in --namespace) whose sourceNamespaces lists theirs, and may never deploy into --namespace. Status is \
            written to each Application object. ImagePolicy and ImageUpdateAutomation objects are run too (image automation). Annotate an Application with keelson.dev/refresh to reconcile it now, \
            keelson.dev/sync to sync it now, keelson.dev/rollback: <history id> to pin an earlier revision (until a \
            newer commit arrives). SIGTERM lets in-flight syncs finish. With --leader-elect, replicas elect a leader on a \
            Lease; the others watch, serve the API and forward requests, and one takes over within a lease duration.
            """)

    @Option(help: "A directory or file of Application manifests.")
    var apps: String?

    @Option(help: "How many applications reconcile at once.")
    var workers = 4

    @Option(name: .customLong("cache-dir"), help: "Where Git mirrors and checkouts are kept.")
    var cacheDir: String?

    @Option(name: .customLong("resync"), help: "A full drift check of every application this often even without watch events, e.g. 5m.")
    var resync: DurationArgument = DurationArgument(seconds: 300)

    @Flag(name: .customLong("allow-http"), help: "Allow plain http:// and git:// Git remotes.")
    var allowHTTP = false

    @Option(help: "The controller's own namespace: Projects and inventories live here, and only its Applications may deploy into it.")
    var namespace = "keelson"

    @Option(
        name: .customLong("application-namespaces"),
        help:
            "Other namespaces (globs, comma-separated, '!' excludes) whose Applications are reconciled; they must name a Project that lists their namespace."
    )
    var applicationNamespaces = ""

    @Option(
        name: .customLong("watch-namespaces"),
        help: ArgumentHelp(
            "A namespaced install: watch and manage only these namespaces (comma-separated; --namespace is always one), one watch each.",
            discussion:
                "Cluster-scoped kinds are not watched and the CRDs are not installed: the RBAC of deploy/namespaced grants neither. Applications are read in these namespaces only."
        ))
    var watchNamespaces: String?

    @Option(
        name: .customLong("default-service-account"),
        help:
            "The ServiceAccount (in their destination namespace) that Applications outside --namespace act as when they name none, so RBAC fences every tenant."
    )
    var defaultServiceAccount: String?

    @Flag(
        name: .customLong("leader-elect"),
        help: "Run as one of several replicas: only the holder of the Lease keelson-controller (in --namespace) reconciles and writes.")
    var leaderElect = false

    @Option(name: .customLong("leader-elect-lease-duration"), help: "How long a standby waits for a silent leader before it takes over.")
    var leaseDuration = DurationArgument(seconds: 15)

    @Option(name: .customLong("leader-elect-renew-deadline"), help: "How long the leader tries to renew before it gives up (and exits).")
    var renewDeadline = DurationArgument(seconds: 10)

    @Option(name: .customLong("leader-elect-retry-period"), help: "How often replicas try to take or renew the Lease.")
    var retryPeriod = DurationArgument(seconds: 2)

    @Option(help: "This replica's name in Leases (default: $POD_NAME, else the host name and a random suffix).")
    var identity: String?

    @Option(
        help:
            "Share Applications among replicas: 'auto' (membership Leases; a dead replica's Applications move to the others). Implies --leader-elect for the work done once (CRDs, --apps, image automation)."
    )
    var shards: String?

    @Option(help: "Reconcile only shard K of N (e.g. 0/3); an Application annotated keelson.dev/shard: K belongs to shard K modulo N.")
    var shard: String?

    @OptionGroup var cluster: ClusterOptions

    @OptionGroup var kubeAPI: KubeAPIOptions

    @OptionGroup var server: ServerOptions

    @OptionGroup var pullRequestPlans: PullRequestPlanOptions

    @OptionGroup var sealedSecrets: SealedSecretsOptions

    @OptionGroup var externalSecrets: ExternalSecretsOptions

    @OptionGroup var foreignObjects: ForeignObjectsOptions

    @OptionGroup var applicationSets: ApplicationSetOptions

    func run() async throws {
        var configuration = KeelsonConfiguration()
        configuration.controller.appsPath = apps
        configuration.controller.workers = max(1, workers)
        configuration.controller.resyncInterval = .seconds(resync.seconds)
        do {
            configuration.controller.tenancy = TenancyRules(
                controllerNamespace: namespace, applicationNamespaces: try TenancyRules.namespacePatterns(applicationNamespaces),
                defaultServiceAccount: defaultServiceAccount)
        } catch {
            throw ValidationError("--application-namespaces \(applicationNamespaces): \(error)")
        }
        if let scope = try watchScope() {
            configuration.controller.watchScope = scope
            configuration.controller.installCRDs = false
        }
        let sharding = try shardingMode()
        if leaderElect || sharding != nil {
            var election = LeaderElectionSettings(namespace: namespace, name: "keelson-controller", identity: identity ?? Self.defaultIdentity())
            election.leaseDuration = leaseDuration.duration
            election.renewDeadline = renewDeadline.duration
            election.retryPeriod = retryPeriod.duration
            do { try election.validate() } catch { throw ValidationError("\(error)") }
            configuration.controller.leaderElection = election
            if case .auto = sharding {
                var membership = election
                membership.name = "keelson-shard"
                configuration.controller.sharding = .auto(membership)
            } else {
                configuration.controller.sharding = sharding
            }
        }
        try checkPullRequestPlans()
        configuration.pullRequestPlans = try pullRequestPlans.configuration()
        configuration.sealedSecrets = sealedSecrets.configuration()
        configuration.externalSecrets = externalSecrets.configuration()
        configuration.foreignObjects = foreignObjects.configuration()
        configuration.applicationSets = applicationSets.configuration()
        let git = try Self.gitCache(cacheDir, allowHTTP: allowHTTP)
        do {
            _ = try await git.runner.version()
        } catch {
            throw CLIError("git cannot be run: \(error)")
        }
        var clientOptions = kubeAPI.clientOptions()
        // Each replica names itself to the API server, so audit logs tell replicas apart.
        if let election = configuration.controller.leaderElection { clientOptions.userAgent = "keelson/" + election.identity }
        // Registered clusters get the same rate limit and name, each on a client of its own.
        configuration.controller.clusterClientOptions = clientOptions
        let base = configuration
        try await cluster.withClient(options: clientOptions) { client in
            var configuration = base
            if let (settings, token) = try await server.settings(
                client: client, clientConnections: clientOptions.maxConnections, controllerNamespace: namespace)
            {
                if let token {
                    // Shown once, on purpose: without --tokens this is the only way in.
                    FileHandle.standardError.write(Data("keelson: no --tokens file; admin token for this run: \(token)\n".utf8))
                }
                configuration.server = settings
            }
            let system = KeelsonSystem(client: client, git: git, configuration: configuration)
            try await system.run(gracefulShutdownSignals: [.sigterm, .sigint])
        }
    }

    /// Throws when `--pr-plans` cannot work: its webhooks come through the server.
    func checkPullRequestPlans() throws {
        if pullRequestPlans.enabled && server.listen == "none" { throw ValidationError("--pr-plans needs the server: --listen none turns it off") }
    }

    /// `--watch-namespaces`, checked: DNS labels, `--namespace` first.
    func watchScope() throws -> WatchScope? {
        guard let watchNamespaces else { return nil }
        var names = [namespace]
        for name in watchNamespaces.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
            guard Application.isDNSLabel(name) else { throw ValidationError("--watch-namespaces: \(name) is not a namespace name") }
            if !names.contains(name) { names.append(name) }
        }
        return .namespaces(names)
    }

    /// `--shards auto` or `--shard K/N`, checked.
    func shardingMode() throws -> ShardingMode? {
        switch (shards, shard) {
        case (nil, nil): return nil
        case (.some, .some): throw ValidationError("--shards and --shard exclude each other")
        case (let mode?, nil):
            guard mode == "auto" else { throw ValidationError("--shards: only 'auto' is supported, got '\(mode)'") }
            return .auto(LeaderElectionSettings(namespace: namespace, name: "keelson-shard", identity: ""))
        case (nil, let text?):
            let parts = text.split(separator: "/", omittingEmptySubsequences: false).map { Int($0) }
            guard parts.count == 2, let index = parts[0], let count = parts[1], count >= 1, (0..<count).contains(index) else {
                throw ValidationError("--shard must be K/N with 0 <= K < N, got '\(text)'")
            }
            return .manual(index: index, count: count)
        }
    }

    /// A replica's name when `--identity` gives none: the pod's (`POD_NAME`, from the downward
    /// API), else the host's with a random suffix, unique as client-go's default is.
    static func defaultIdentity() -> String {
        if let pod = ProcessInfo.processInfo.environment["POD_NAME"], !pod.isEmpty { return pod }
        return ProcessInfo.processInfo.hostName + "_" + UUID().uuidString.prefix(8).lowercased()
    }

    /// The git cache under `directory`; `policy` sets the access-check TTL, work tree pruning and the repository size limit.
    static func gitCache(_ directory: String?, allowHTTP: Bool, policy: GitCachePolicy = GitCachePolicy()) throws -> GitCache {
        var runnerConfiguration = GitRunnerConfiguration()
        if allowHTTP { runnerConfiguration.allowedTransports.formUnion([.http, .git]) }
        let path = directory ?? (FileManager.default.homeDirectoryForCurrentUser.path + "/.cache/keelson/git")
        return try GitCache(directory: path, runner: try GitRunner(configuration: runnerConfiguration), policy: policy)
    }
}
