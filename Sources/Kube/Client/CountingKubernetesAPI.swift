import Manifests
import Synchronization

/// The calls of the Kubernetes API, as counted by `CountingKubernetesAPI`.
public enum KubernetesCall: String, Sendable, Hashable, CaseIterable {
    case discovery, get, list, create, update, updateStatus, mergePatch, apply, delete, watch

    /// Whether the call changes the cluster.
    public var isWrite: Bool {
        switch self {
        case .create, .update, .updateStatus, .mergePatch, .apply, .delete: true
        case .discovery, .get, .list, .watch: false
        }
    }
}

/// Wraps a client and counts every call by kind, so tests and benchmarks can say how many
/// requests (and how many writes) an operation sent.
///
/// ```swift
/// let counted = CountingKubernetesAPI(client)
/// _ = await SyncEngine(client: counted).sync(app: "demo", desired: objects, options: options)
/// print(counted.writes)
/// ```
public final class CountingKubernetesAPI: KubernetesAPI {
    /// The client calls are passed to.
    public let base: any KubernetesAPI
    private let tally: Tally

    /// The counters, shared with the impersonating wrappers made from this one.
    private final class Tally: Sendable {
        let counts = Mutex<[KubernetesCall: Int]>([:])
        let written = Mutex<[ResourceKey]>([])
    }

    /// Wraps `base`.
    public init(_ base: any KubernetesAPI) {
        self.base = base
        tally = Tally()
    }

    private init(_ base: any KubernetesAPI, tally: Tally) {
        self.base = base
        self.tally = tally
    }

    /// Calls of each kind so far.
    public var calls: [KubernetesCall: Int] { tally.counts.withLock { $0 } }
    /// Every call so far.
    public var total: Int { calls.values.reduce(0, +) }
    /// Calls that change the cluster so far.
    public var writes: Int { calls.filter { $0.key.isWrite }.values.reduce(0, +) }
    /// The objects written so far, in order (deletes included).
    public var writtenObjects: [ResourceKey] { tally.written.withLock { $0 } }

    /// Forgets every count.
    public func reset() {
        tally.counts.withLock { $0 = [:] }
        tally.written.withLock { $0 = [] }
    }

    private func count(_ call: KubernetesCall, _ key: ResourceKey? = nil) {
        tally.counts.withLock { $0[call, default: 0] += 1 }
        if let key { tally.written.withLock { $0.append(key) } }
    }

    /// The impersonating client of `base`, counted into the same counters as this one.
    public func impersonating(_ identity: Impersonation) -> any KubernetesAPI {
        CountingKubernetesAPI(base.impersonating(identity), tally: tally)
    }

    /// `base` with a budget of its own, counted into the same counters as this one.
    public func withOwnBudget(clock: any Clock<Duration>) -> any KubernetesAPI {
        CountingKubernetesAPI(base.withOwnBudget(clock: clock), tally: tally)
    }

    public func resource(for gvk: GroupVersionKind) async throws(KubeError) -> APIResource {
        count(.discovery)
        return try await base.resource(for: gvk)
    }

    public func serverVersion() async throws(KubeError) -> ServerVersion {
        count(.discovery)
        return try await base.serverVersion()
    }

    public func serverResources(refresh: Bool) async throws(KubeError) -> [APIResource] {
        count(.discovery)
        return try await base.serverResources(refresh: refresh)
    }

    public func get(_ gvk: GroupVersionKind, name: String, namespace: String?) async throws(KubeError) -> Manifest {
        count(.get)
        return try await base.get(gvk, name: name, namespace: namespace)
    }

    public func list(_ gvk: GroupVersionKind, namespace: String?, options: ListOptions) async throws(KubeError) -> ObjectList {
        count(.list)
        return try await base.list(gvk, namespace: namespace, options: options)
    }

    public func create(_ object: Manifest, options: WriteOptions) async throws(KubeError) -> Manifest {
        count(.create, object.key)
        return try await base.create(object, options: options)
    }

    public func create(
        _ body: JSONValue, at gvk: GroupVersionKind, name: String, namespace: String?, subresource: String
    ) async throws(KubeError) -> JSONValue {
        count(.create, ResourceKey(group: gvk.group, kind: gvk.kind, namespace: namespace ?? "", name: name))
        return try await base.create(body, at: gvk, name: name, namespace: namespace, subresource: subresource)
    }

    public func update(_ object: Manifest, options: WriteOptions) async throws(KubeError) -> Manifest {
        count(.update, object.key)
        return try await base.update(object, options: options)
    }

    public func updateStatus(_ object: Manifest, options: WriteOptions) async throws(KubeError) -> Manifest {
        count(.updateStatus, object.key)
        return try await base.updateStatus(object, options: options)
    }

    public func mergePatch(
        _ gvk: GroupVersionKind, name: String, namespace: String?, patch: JSONValue, options: WriteOptions
    ) async throws(KubeError) -> Manifest {
        count(.mergePatch, ResourceKey(group: gvk.group, kind: gvk.kind, namespace: namespace ?? "", name: name))
        return try await base.mergePatch(gvk, name: name, namespace: namespace, patch: patch, options: options)
    }

    public func apply(_ object: Manifest, options: ApplyOptions) async throws(KubeError) -> Manifest {
        count(.apply, object.key)
        return try await base.apply(object, options: options)
    }

    public func delete(
        _ gvk: GroupVersionKind, name: String, namespace: String?, options: DeleteOptions
    ) async throws(KubeError) -> Manifest? {
        count(.delete, ResourceKey(group: gvk.group, kind: gvk.kind, namespace: namespace ?? "", name: name))
        return try await base.delete(gvk, name: name, namespace: namespace, options: options)
    }

    public func watch(_ gvk: GroupVersionKind, namespace: String?, options: ListOptions) -> WatchStream {
        count(.watch)
        return base.watch(gvk, namespace: namespace, options: options)
    }
}
