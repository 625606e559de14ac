import Kube
import Logging
import Manifests
import Sync

/// The live objects the controller's applications own, kept current by one cluster-wide watch
/// per kind (selected by the application label), so a change made by hand is noticed within
/// moments and a drift check reads memory instead of the API server.
///
/// Every change calls `onChange` with the names of the applications whose objects changed;
/// the controller checks just those. Kinds are added as applications render them
/// (`watch(_:)`); a kind's objects are served only once its first list has arrived.
actor LiveObjectCache {
    private let client: any KubernetesAPI
    private let logger: Logger
    private let onChange: @Sendable (Set<String>) -> Void
    private var objects: [GroupVersionKind: [ResourceKey: Manifest]] = [:]
    private var watchers: [GroupVersionKind: Task<Void, Never>] = [:]
    private var synced: Set<GroupVersionKind> = []

    init(client: any KubernetesAPI, logger: Logger, onChange: @escaping @Sendable (Set<String>) -> Void) {
        self.client = client
        self.logger = logger
        self.onChange = onChange
    }

    /// Starts watching the kinds not watched yet.
    func watch(_ kinds: some Sequence<GroupVersionKind>) {
        for kind in kinds where watchers[kind] == nil {
            let watcher = ResourceWatcher(
                api: client, kind: kind, namespace: nil, options: ListOptions(labelSelector: [.exists(Tracking.appLabel)]),
                logger: logger)
            watchers[kind] = Task { [weak self] in
                do {
                    for try await update in watcher {
                        guard let self else { return }
                        await self.apply(update, kind: kind)
                    }
                } catch {
                    // Forbidden or a kind no longer served: reads of this kind go to the API server.
                    self?.logger.warning("cannot watch \(kind); drift of it is found by periodic checks only", metadata: ["error": "\(error)"])
                    await self?.forget(kind)
                }
            }
        }
    }

    /// Whether `kind` is watched and listed.
    func isSynced(_ kind: GroupVersionKind) -> Bool { synced.contains(kind) }

    /// The cached objects of `kind` labelled for `app` (in `namespace` when given); `nil` when
    /// the kind is not synced yet.
    func objects(_ kind: GroupVersionKind, app: String, namespace: String?) -> [Manifest]? {
        guard synced.contains(kind) else { return nil }
        return (objects[kind] ?? [:]).values.filter { object in
            object.labels[Tracking.appLabel] == app && (namespace == nil || object.namespace == namespace)
        }
    }

    /// The cached object; `nil` when not cached (not synced, or not labelled by Keelson).
    func object(_ kind: GroupVersionKind, name: String, namespace: String?) -> Manifest? {
        guard synced.contains(kind) else { return nil }
        return objects[kind]?[ResourceKey(group: kind.group, kind: kind.kind, namespace: namespace ?? "", name: name)]
    }

    /// Stops every watch.
    func stop() {
        for task in watchers.values { task.cancel() }
        watchers = [:]
    }

    private func forget(_ kind: GroupVersionKind) {
        synced.remove(kind)
        objects[kind] = nil
    }

    private func apply(_ update: ResourceWatcher.Update, kind: GroupVersionKind) {
        var changed: Set<String> = []
        switch update {
        case .listed(let list):
            let before = objects[kind] ?? [:]
            var after: [ResourceKey: Manifest] = [:]
            for object in list.items { after[object.key] = object }
            for (key, object) in after where Self.version(before[key]) != Self.version(object) {
                changed.formUnion(Self.owners(object, before[key]))
            }
            for (key, object) in before where after[key] == nil { changed.formUnion(Self.owners(object, nil)) }
            objects[kind] = after
            synced.insert(kind)
        case .event(let event):
            guard let object = event.manifest else { return }
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

    static func version(_ object: Manifest?) -> String? { object?.metadata["resourceVersion"]?.stringValue }

    /// The applications an object belongs to, before and after a change.
    private static func owners(_ object: Manifest, _ previous: Manifest?) -> Set<String> {
        Set([object.labels[Tracking.appLabel], previous?.labels[Tracking.appLabel]].compactMap { $0 })
    }
}

/// Reads through a `LiveObjectCache`: lists of one application's objects and reads of cached
/// objects come from memory; everything else (and every write) goes to the API server.
struct CachedReads: KubernetesAPI {
    let client: any KubernetesAPI
    let cache: LiveObjectCache
    /// Whether an object of a watched kind that the cache does not hold counts as absent rather
    /// than being read from the API server. Right for drift checks, whose drift is confirmed
    /// against the API server before a self-heal (an unlabelled object to adopt shows as a
    /// create until then); wrong for health right after a sync, whose objects may not have
    /// arrived through the watch yet.
    var absentWhenUncached = false

    func resource(for gvk: GroupVersionKind) async throws(KubeError) -> APIResource { try await client.resource(for: gvk) }

    func get(_ gvk: GroupVersionKind, name: String, namespace: String?) async throws(KubeError) -> Manifest {
        if let object = await cache.object(gvk, name: name, namespace: namespace) { return object }
        if absentWhenUncached, await cache.isSynced(gvk) {
            let resource = "\(gvk.kind)/\(namespace ?? "")/\(name)"
            throw KubeError(status: APIStatus(code: 404, reason: "NotFound", message: "not in the watch cache", name: name, kind: gvk.kind), resource: resource)
        }
        return try await client.get(gvk, name: name, namespace: namespace)
    }

    func list(_ gvk: GroupVersionKind, namespace: String?, options: ListOptions) async throws(KubeError) -> ObjectList {
        if options.continueToken == nil, options.fieldSelector == nil, let selector = options.labelSelector,
            selector.requirements.count == 1, case .equals(Tracking.appLabel, let app) = selector.requirements[0],
            let items = await cache.objects(gvk, app: app, namespace: namespace)
        {
            return ObjectList(items: items.sorted { $0.key < $1.key }, resourceVersion: "")
        }
        return try await client.list(gvk, namespace: namespace, options: options)
    }

    func create(_ object: Manifest, options: WriteOptions) async throws(KubeError) -> Manifest { try await client.create(object, options: options) }
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
    func watch(_ gvk: GroupVersionKind, namespace: String?, options: ListOptions) -> WatchStream {
        client.watch(gvk, namespace: namespace, options: options)
    }
    /// The underlying client's impersonating client, uncached: the cache holds what the
    /// controller's own identity may read, not what `identity` may.
    func impersonating(_ identity: Impersonation) -> any KubernetesAPI { client.impersonating(identity) }
}
