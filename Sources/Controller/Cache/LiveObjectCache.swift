import Kube
import Logging
import Manifests
import Sync

/// The live objects the controller's applications own, kept current by one cluster-wide watch
/// per kind (selected by the application label), so a change made by hand is noticed within
/// moments, and plans, waits, drift checks and health read memory instead of the API server.
/// In a namespaced install (`WatchScope.namespaces`) each namespaced kind has one watch per
/// namespace, and cluster-scoped kinds are not watched: their reads go to the API server.
///
/// Every change calls `onChange` with the ids (`namespace/name`) of the applications whose
/// objects changed; the controller checks just those. Kinds are added as applications render
/// them (`watch(_:)`, which returns once they are listed); a kind not served yet (its CRD comes
/// later) is tried again the next time it is asked for. The watches run inside `run()`, so they
/// end with the task that runs it.
actor LiveObjectCache {
    private let client: any KubernetesAPI
    private let scope: WatchScope
    private let logger: Logger
    private let onChange: @Sendable (Set<String>) -> Void
    private var objects: [GroupVersionKind: [ResourceKey: Manifest]] = [:]
    /// Kinds being watched (listed or not yet).
    private var watching: Set<GroupVersionKind> = []
    private var synced: Set<GroupVersionKind> = []
    /// Cluster-scoped kinds, which a namespaced scope does not watch.
    private var outOfScope: Set<GroupVersionKind> = []
    /// Per kind, the namespaces of a namespaced scope whose watch fails (no Role there yet):
    /// their reads go to the API server, the other namespaces' stay in memory, and the watch is
    /// tried again every `namespaceRetry`.
    private var unwatched: [GroupVersionKind: Set<String>] = [:]
    static let namespaceRetry: Duration = .seconds(30)
    /// The newest resourceVersion each watch of a kind (one per namespace, or `nil` for one
    /// across the cluster) has delivered: the cache reflects every change of that kind up to the
    /// lowest of them.
    private var seen: [GroupVersionKind: [String?: UInt64]] = [:]
    /// Callers of `watch` waiting for a kind's first list (or its failure).
    private var waiters: [GroupVersionKind: [CheckedContinuation<Void, Never>]] = [:]
    /// Whether `run()` has ended (nothing is watched any more).
    private var stopped = false
    private let requests: AsyncStream<GroupVersionKind>.Continuation
    private let requested: AsyncStream<GroupVersionKind>

    init(client: any KubernetesAPI, scope: WatchScope = .cluster, logger: Logger, onChange: @escaping @Sendable (Set<String>) -> Void) {
        self.client = client
        self.scope = scope
        self.logger = logger
        self.onChange = onChange
        (requested, requests) = AsyncStream.makeStream()
    }

    /// Runs the watches until the calling task is cancelled.
    nonisolated func run() async {
        await withTaskCancellationHandler {
            await withDiscardingTaskGroup { group in
                for await kind in requested { group.addTask { await self.follow(kind) } }
            }
        } onCancel: {
            requests.finish()  // ends the intake; the watches end with the cancelled task
        }
        await releaseWaiters()
    }

    /// Watches the kinds not watched yet; returns once each is listed (or cannot be watched), or
    /// at once when the cache is stopping.
    func watch(_ kinds: some Sequence<GroupVersionKind>) async {
        for kind in kinds where !watching.contains(kind) && !outOfScope.contains(kind) {
            // Once `run()` is cancelled its intake is closed: a kind asked for now is never
            // followed, so it is not marked watched (nothing would ever list or forget it).
            guard case .enqueued = requests.yield(kind) else { continue }
            watching.insert(kind)
        }
        for kind in kinds where watching.contains(kind) && !synced.contains(kind) {
            // Checked before every wait: the cache may have stopped (and released its waiters)
            // while this call waited for an earlier kind, and nothing would resume a later wait.
            guard !stopped else { return }
            await withCheckedContinuation { waiters[kind, default: []].append($0) }
        }
    }

    private func watcher(_ kind: GroupVersionKind, namespace: String?) -> ResourceWatcher {
        ResourceWatcher(
            api: client, kind: kind, namespace: namespace, options: ListOptions(labelSelector: [.exists(Tracking.appLabel)]), logger: logger)
    }

    private func follow(_ kind: GroupVersionKind) async {
        if let names = scope.namespaces { return await follow(kind, in: names) }
        do {
            for try await update in watcher(kind, namespace: nil) { apply(update, kind: kind, namespace: nil) }
        } catch {
            // Forbidden, or a kind not served (yet): reads of it go to the API server until it is
            // asked for again.
            logger.info("cannot watch \(kind) yet; it is tried again when an application renders it", metadata: ["error": "\(error)"])
        }
        forget(kind)
    }

    /// A namespaced scope: one watch per namespace, each tried again on its own when it fails.
    private func follow(_ kind: GroupVersionKind, in namespaces: [String]) async {
        // A namespaced install may not watch across the cluster, nor read cluster-scoped kinds.
        guard let resource = try? await client.resource(for: kind) else { return forget(kind) }
        guard resource.namespaced else {
            outOfScope.insert(kind)
            return forget(kind)
        }
        await withDiscardingTaskGroup { group in
            for namespace in namespaces {
                group.addTask {
                    while !Task.isCancelled {
                        do {
                            for try await update in await self.watcher(kind, namespace: namespace) {
                                await self.apply(update, kind: kind, namespace: namespace)
                            }
                        } catch {
                            await self.unwatchable(kind, namespace: namespace, error)
                        }
                        do { try await Task.sleep(for: Self.namespaceRetry) } catch { return }
                    }
                }
            }
        }
        forget(kind)
    }

    /// A namespace whose watch failed: its objects leave the cache, and once every namespace has
    /// listed or failed, callers of `watch` go on.
    private func unwatchable(_ kind: GroupVersionKind, namespace: String, _ error: any Error) {
        guard unwatched[kind, default: []].insert(namespace).inserted else { return }
        logger.info("cannot watch \(kind) in namespace \(namespace); its reads go to the API server", metadata: ["error": "\(error)"])
        objects[kind] = objects[kind]?.filter { $0.key.namespace != namespace }
        seen[kind]?[namespace] = nil
        settle(kind)
    }

    /// Marks `kind` synced once each namespace has listed or failed, and releases its waiters
    /// (also when none could be watched: reads then go to the API server).
    private func settle(_ kind: GroupVersionKind) {
        let listed = seen[kind]?.count ?? 0
        guard listed + (unwatched[kind]?.count ?? 0) >= (scope.namespaces?.count ?? 1) else { return }
        if listed > 0 { synced.insert(kind) }
        for continuation in waiters.removeValue(forKey: kind) ?? [] { continuation.resume() }
    }

    private func releaseWaiters() {
        stopped = true
        for continuation in waiters.values.joined() { continuation.resume() }
        waiters = [:]
    }

    /// Whether `kind` is watched and listed (in `namespace`, when given).
    func isSynced(_ kind: GroupVersionKind, namespace: String? = nil) -> Bool {
        synced.contains(kind) && (namespace == nil || covers(kind, namespace))
    }

    /// Whether the cache reflects every change of `kind` in `namespace` up to `resourceVersion`:
    /// the watch of that namespace (or the one across the cluster) has delivered it. A namespace
    /// outside the scope is never reflected.
    func reflects(_ kind: GroupVersionKind, namespace: String, resourceVersion: String) -> Bool {
        guard synced.contains(kind), covers(kind, namespace), let version = UInt64(resourceVersion) else { return false }
        let watch: String? = scope.namespaces == nil ? nil : namespace
        guard let delivered = seen[kind]?[watch] else { return false }
        return delivered >= version
    }

    /// Whether objects of `kind` in `namespace` are watched (every namespace is, across the cluster).
    private func covers(_ kind: GroupVersionKind, _ namespace: String?) -> Bool {
        guard let names = scope.namespaces else { return true }
        guard let namespace else { return false }
        return names.contains(namespace) && !(unwatched[kind]?.contains(namespace) ?? false)
    }

    /// Records what a watch delivered; its first list enters it even without a resourceVersion.
    private func observe(_ kind: GroupVersionKind, _ namespace: String?, _ resourceVersion: String?) {
        let version = resourceVersion.flatMap { UInt64($0) } ?? 0
        seen[kind, default: [:]][namespace] = max(seen[kind]?[namespace] ?? 0, version)
    }

    /// The cached objects of `kind` labelled for `app` (in `namespace` when given); `nil` when
    /// the kind is not synced yet.
    func objects(_ kind: GroupVersionKind, app: AppIdentity, namespace: String?) -> [Manifest]? {
        // A list across namespaces in a namespaced scope, or of one outside it, goes to the API server.
        guard synced.contains(kind), covers(kind, namespace) else { return nil }
        return (objects[kind] ?? [:]).values.filter { object in
            Tracking.labelledApplication(object.labels) == app && (namespace == nil || object.namespace == namespace)
        }
    }

    /// The cached object; `nil` when not cached (not synced, or not labelled by Keelson).
    func object(_ kind: GroupVersionKind, name: String, namespace: String?) -> Manifest? {
        guard synced.contains(kind), covers(kind, namespace) else { return nil }
        return objects[kind]?[ResourceKey(group: kind.group, kind: kind.kind, namespace: namespace ?? "", name: name)]
    }

    private func forget(_ kind: GroupVersionKind) {
        watching.remove(kind)
        synced.remove(kind)
        unwatched[kind] = nil
        seen[kind] = nil
        objects[kind] = nil
        for continuation in waiters.removeValue(forKey: kind) ?? [] { continuation.resume() }
    }

    private func apply(_ update: ResourceWatcher.Update, kind: GroupVersionKind, namespace: String?) {
        var changed: Set<String> = []
        switch update {
        case .listed(let list):
            // A list replaces what its namespace held (everything, for a watch across the cluster).
            let all = objects[kind] ?? [:]
            let before = namespace.map { namespace in all.filter { $0.key.namespace == namespace } } ?? all
            var after = namespace.map { namespace in all.filter { $0.key.namespace != namespace } } ?? [:]
            for object in list.items { after[object.key] = object }
            for object in list.items where before[object.key]?.resourceVersion != object.resourceVersion {
                changed.formUnion(Self.owners(object, before[object.key]))
            }
            for (key, object) in before where after[key] == nil { changed.formUnion(Self.owners(object, nil)) }
            objects[kind] = after
            observe(kind, namespace, list.resourceVersion)
            if let namespace { unwatched[kind]?.remove(namespace) }
            settle(kind)
        case .event(let event):
            guard let object = event.manifest else { return }
            observe(kind, namespace, object.resourceVersion)
            let previous = objects[kind]?[object.key]
            if event.type == .deleted {
                objects[kind]?[object.key] = nil
            } else {
                objects[kind, default: [:]][object.key] = object
            }
            changed = Self.owners(object, previous)
        }
        if !changed.isEmpty { onChange(changed) }
    }

    /// The applications (`namespace/name`) an object belongs to, before and after a change.
    private static func owners(_ object: Manifest, _ previous: Manifest?) -> Set<String> {
        Set([object, previous].compactMap { $0.flatMap { Tracking.labelledApplication($0.labels)?.description } })
    }
}

/// Reads through a `LiveObjectCache`: lists of one application's objects and reads of cached
/// objects come from memory; everything else (and every write) goes to the API server.
struct CachedReads: TrailingReads {
    let client: any KubernetesAPI
    let cache: LiveObjectCache
    /// Whether an object of a watched, listed kind that the cache does not hold counts as absent
    /// (no request) rather than being read from the API server. The sync engine knows the cache
    /// may trail (`TrailingReads`): it keeps its own writes until the cache has caught up past
    /// them, and confirms with the API server before an inventory object counts as gone.
    var absentWhenUncached = false

    func resource(for gvk: GroupVersionKind) async throws(KubeError) -> APIResource { try await client.resource(for: gvk) }

    func reflects(_ kind: GroupVersionKind, namespace: String, resourceVersion: String) async -> Bool {
        await cache.reflects(kind, namespace: namespace, resourceVersion: resourceVersion)
    }

    func get(_ gvk: GroupVersionKind, name: String, namespace: String?) async throws(KubeError) -> Manifest {
        if let object = await cache.object(gvk, name: name, namespace: namespace) { return object }
        if absentWhenUncached, await cache.isSynced(gvk, namespace: namespace) {
            let resource = "\(gvk.kind)/\(namespace ?? "")/\(name)"
            throw KubeError(
                status: APIStatus(code: 404, reason: "NotFound", message: "not in the watch cache", name: name, kind: gvk.kind), resource: resource)
        }
        return try await client.get(gvk, name: name, namespace: namespace)
    }

    func list(_ gvk: GroupVersionKind, namespace: String?, options: ListOptions) async throws(KubeError) -> ObjectList {
        if options.continueToken == nil, options.fieldSelector == nil, let selector = options.labelSelector,
            let app = Tracking.application(selectedBy: selector), let items = await cache.objects(gvk, app: app, namespace: namespace)
        {
            return ObjectList(items: items.sorted { $0.key < $1.key }, resourceVersion: "")
        }
        return try await client.list(gvk, namespace: namespace, options: options)
    }

    func create(_ object: Manifest, options: WriteOptions) async throws(KubeError) -> Manifest { try await client.create(object, options: options) }
    func create(
        _ body: JSONValue, at gvk: GroupVersionKind, name: String, namespace: String?, subresource: String
    ) async throws(KubeError) -> JSONValue {
        try await client.create(body, at: gvk, name: name, namespace: namespace, subresource: subresource)
    }
    func update(_ object: Manifest, options: WriteOptions) async throws(KubeError) -> Manifest { try await client.update(object, options: options) }
    func updateStatus(_ object: Manifest, options: WriteOptions) async throws(KubeError) -> Manifest {
        try await client.updateStatus(object, options: options)
    }
    func mergePatch(
        _ gvk: GroupVersionKind, name: String, namespace: String?, patch: JSONValue, options: WriteOptions
    ) async throws(KubeError) -> Manifest {
        try await client.mergePatch(gvk, name: name, namespace: namespace, patch: patch, options: options)
    }
    func apply(_ object: Manifest, options: ApplyOptions) async throws(KubeError) -> Manifest { try await client.apply(object, options: options) }
    func delete(_ gvk: GroupVersionKind, name: String, namespace: String?, options: DeleteOptions) async throws(KubeError) -> Manifest? {
        try await client.delete(gvk, name: name, namespace: namespace, options: options)
    }
    func serverVersion() async throws(KubeError) -> ServerVersion { try await client.serverVersion() }
    func serverResources(refresh: Bool) async throws(KubeError) -> [APIResource] { try await client.serverResources(refresh: refresh) }
    func watch(_ gvk: GroupVersionKind, namespace: String?, options: ListOptions) -> WatchStream {
        client.watch(gvk, namespace: namespace, options: options)
    }
    /// The underlying client's impersonating client, uncached: the cache holds what the
    /// controller's own identity may read, not what `identity` may.
    func impersonating(_ identity: Impersonation) -> any KubernetesAPI { client.impersonating(identity) }
    /// The underlying client's, uncached.
    func withOwnBudget(clock: any Clock<Duration>) -> any KubernetesAPI { client.withOwnBudget(clock: clock) }
}
