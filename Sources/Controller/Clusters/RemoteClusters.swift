import Foundation
import KeelsonFoundation
import Kube
import Logging
import Manifests
import Sync

/// The registered clusters other than the controller's own: per cluster its own client (so its
/// own request budget), its own watch cache of live objects, and the reconciler that deploys
/// there; and whether it answers. Kept equal to the cluster Secrets by `update`; a cluster whose
/// Secret changed gets a new client, one whose Secret is gone is closed.
actor RemoteClusters {
    /// One registered cluster.
    struct Remote {
        var definition: ClusterDefinition
        var client: KubeClient
        var cache: LiveObjectCache
        var watches: Task<Void, Never>
        var reconciler: AppReconciler
        /// The last reachability check: when, and the error if it failed.
        var checked: (since: @Sendable () -> Duration, failure: String?)?
    }

    private var remotes: [String: Remote] = [:]
    /// Clusters whose Secret (at this version) gives no usable client, and why.
    private var unusable: [String: (version: String, message: String)] = [:]
    /// Builds the reconciler for a cluster's client and cache from the controller's own.
    private let makeReconciler: @Sendable (any KubernetesAPI, LiveObjectCache) -> AppReconciler
    private let clientOptions: KubeClientOptions
    private let clock: any Clock<Duration>
    private let logger: Logger
    private let onChange: @Sendable (Set<String>) -> Void
    /// How long a reachability check is trusted, and how long one may take.
    static let recheck: Duration = .seconds(5)
    static let checkLimit: Duration = .seconds(5)

    init(
        clientOptions: KubeClientOptions, clock: any Clock<Duration>, logger: Logger,
        makeReconciler: @escaping @Sendable (any KubernetesAPI, LiveObjectCache) -> AppReconciler,
        onChange: @escaping @Sendable (Set<String>) -> Void
    ) {
        self.clientOptions = clientOptions
        self.clock = clock
        self.logger = logger
        self.makeReconciler = makeReconciler
        self.onChange = onChange
    }

    /// Makes the registered clusters those of `definitions`.
    func update(_ definitions: [ClusterDefinition]) async {
        // Two Secrets naming one cluster: the first by Secret name wins, the same on every turn.
        let wanted = Dictionary(definitions.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for (name, remote) in remotes where wanted[name]?.version != remote.definition.version {
            // Out of the map before closing: no caller gets a client that is closing.
            remotes[name] = nil
            await close(remote)
            logger.info("cluster removed", metadata: ["keelson.cluster": "\(name)"])
        }
        for (name, definition) in wanted where remotes[name] == nil {
            if let failed = unusable[name], failed.version == definition.version { continue }
            var options = clientOptions
            options.logger = logger
            let client: KubeClient
            do { client = try KubeClient(configuration: definition.configuration, options: options) } catch {
                logger.warning("cannot use cluster", metadata: ["keelson.cluster": "\(name)", "error": "\(error)"])
                unusable[name] = (definition.version, "\(error)")
                continue
            }
            unusable[name] = nil
            let onChange = onChange
            let cache = LiveObjectCache(client: client, logger: logger) { names in onChange(names) }
            let watches = Task { await cache.run() }
            remotes[name] = Remote(
                definition: definition, client: client, cache: cache, watches: watches, reconciler: makeReconciler(client, cache), checked: nil)
            logger.info("cluster added", metadata: ["keelson.cluster": "\(name)", "server": "\(definition.configuration.server)"])
        }
    }

    /// The reconciler for cluster `name` if it is registered and answers; else why not.
    func reconciler(for name: String) async -> Result<AppReconciler, ClusterUnavailable> {
        if let unavailable = await check(name, force: false) { return .failure(unavailable) }
        guard let remote = remotes[name] else { return .failure(ClusterUnavailable(cluster: name, message: "no cluster Secret names it")) }
        await remote.cache.watch([ConfigMapInventoryStore.kind])
        return .success(remote.reconciler)
    }

    /// Why cluster `name` cannot be used, or `nil` when it answers. An answer is trusted for
    /// `recheck` unless `force` (a reconcile there just failed: perhaps it went away).
    func check(_ name: String, force: Bool) async -> ClusterUnavailable? {
        guard let remote = remotes[name] else {
            return ClusterUnavailable(cluster: name, message: unusable[name]?.message ?? "no cluster Secret names it")
        }
        if force || remote.checked == nil || remote.checked!.since() >= Self.recheck {
            let client = remote.client
            let failure: String? =
                await withTimeLimit(Self.checkLimit, on: clock) { () -> String? in
                    do throws(KubeError) {
                        _ = try await client.serverVersion()
                        return nil
                    } catch {
                        return "\(error.code)"
                    }
                } ?? "no answer within \(Self.checkLimit)"
            // The cluster may have been replaced or removed while this check waited.
            guard let current = remotes[name], current.client === client else { return await check(name, force: false) }
            if failure != nil && current.checked?.failure == nil {
                logger.warning("cluster unreachable", metadata: ["keelson.cluster": "\(name)", "error": "\(failure!)"])
            }
            remotes[name]?.checked = (clock.stopwatch(), failure)
        }
        return remotes[name]?.checked?.failure.map { ClusterUnavailable(cluster: name, message: "unreachable: \($0)") }
    }

    /// The clusters as last checked.
    func connections() -> [ClusterConnection] {
        remotes.values.map { remote in
            ClusterConnection(
                name: remote.definition.name, server: remote.definition.configuration.server, reachable: remote.checked.map { $0.failure == nil },
                message: remote.checked?.failure ?? "")
        }.sorted { $0.name < $1.name }
    }

    /// Closes every cluster's watches and client.
    func closeAll() async {
        for remote in remotes.values { await close(remote) }
        remotes = [:]
    }

    private func close(_ remote: Remote) async {
        remote.watches.cancel()
        await remote.watches.value
        try? await remote.client.shutdown()
    }
}

/// An Application's cluster cannot be used now: not registered, or not answering.
struct ClusterUnavailable: Error, CustomStringConvertible {
    var cluster: String
    var message: String
    var description: String { "cluster \(cluster): \(message)" }
}
