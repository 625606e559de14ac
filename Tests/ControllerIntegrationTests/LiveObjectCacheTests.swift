import KeelsonTesting
import Kube
import KubeSandbox
import Logging
import Manifests
import Synchronization
import Testing

@testable import Controller

/// The controller's watch cache when it stops: a reconcile still running while the controller
/// shuts down may ask for kinds after the cache's intake has closed, and must not wait for them.
@Suite struct LiveObjectCacheTests {
    static let configMaps = GroupVersionKind(group: "", version: "v1", kind: "ConfigMap")
    static let secrets = GroupVersionKind(group: "", version: "v1", kind: "Secret")
    static let services = GroupVersionKind(group: "", version: "v1", kind: "Service")

    /// A watch asked for once the cache is cancelled returns at once, while the cache is still
    /// winding down (a ConfigMap list it waits for is held), and it still has returned after the
    /// cache has stopped. (It used to wait for the first kind until the cache let its waiters go,
    /// then for the second kind for ever: a controller that never stopped.)
    @Test func aWatchAskedForWhileTheCacheStopsReturns() async throws {
        let folder = try TemporaryDirectory(prefix: "keelson-cache")
        defer { folder.remove() }
        let kubeconfig = folder.path + "/kubeconfig"
        try await Sandbox.withRunning(SandboxConfiguration(kubeconfigPath: kubeconfig)) { _ in
            let configuration = try KubeConfiguration.load(KubeconfigOptions(explicitPath: kubeconfig))
            try await KubeClient.withClient(configuration) { client in
                let held = HeldLists(client, holding: Self.configMaps)
                let cache = LiveObjectCache(client: held, logger: Logger(label: "keelson.test"), onChange: { _ in })
                let run = Task { await cache.run() }
                let first = Task { await cache.watch([Self.configMaps]) }
                try await eventually("the cache lists ConfigMaps (and the list is held)") { held.isHolding }

                run.cancel()
                let returned = Mutex(false)
                let late = Task {
                    await cache.watch([Self.secrets, Self.services])
                    returned.withLock { $0 = true }
                }
                try await eventually("the late watch returns while the cache winds down", timeout: .seconds(30)) {
                    returned.withLock { $0 }
                }

                held.release()
                await run.value
                await first.value
                await late.value
                let followed = [await cache.isSynced(Self.secrets), await cache.isSynced(Self.services)]
                #expect(followed == [false, false], "nothing is followed once the intake has closed")
            }
        }
    }
}

/// Passes every call to `base`, except that lists of one kind wait, cancelled or not, until
/// `release()`: a watch that keeps its cache running for as long as a test needs.
final class HeldLists: KubernetesAPI {
    let base: any KubernetesAPI
    let kind: GroupVersionKind
    private let state = Mutex<(released: Bool, holding: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, false, []))

    init(_ base: any KubernetesAPI, holding kind: GroupVersionKind) {
        self.base = base
        self.kind = kind
    }

    /// Whether a list of the held kind is waiting.
    var isHolding: Bool { state.withLock { $0.holding } }

    /// Lets every held list (and every later one) through.
    func release() {
        let waiters = state.withLock { state in
            state.released = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func list(_ gvk: GroupVersionKind, namespace: String?, options: ListOptions) async throws(KubeError) -> ObjectList {
        if gvk == kind {
            await withCheckedContinuation { continuation in
                let now = state.withLock { state in
                    if state.released { return true }
                    state.holding = true
                    state.waiters.append(continuation)
                    return false
                }
                if now { continuation.resume() }
            }
        }
        return try await base.list(gvk, namespace: namespace, options: options)
    }

    func resource(for gvk: GroupVersionKind) async throws(KubeError) -> APIResource { try await base.resource(for: gvk) }
    func get(_ gvk: GroupVersionKind, name: String, namespace: String?) async throws(KubeError) -> Manifest {
        try await base.get(gvk, name: name, namespace: namespace)
    }
    func create(_ object: Manifest, options: WriteOptions) async throws(KubeError) -> Manifest { try await base.create(object, options: options) }
    func create(
        _ body: JSONValue, at gvk: GroupVersionKind, name: String, namespace: String?, subresource: String
    ) async throws(KubeError) -> JSONValue {
        try await base.create(body, at: gvk, name: name, namespace: namespace, subresource: subresource)
    }
    func update(_ object: Manifest, options: WriteOptions) async throws(KubeError) -> Manifest { try await base.update(object, options: options) }
    func updateStatus(_ object: Manifest, options: WriteOptions) async throws(KubeError) -> Manifest {
        try await base.updateStatus(object, options: options)
    }
    func mergePatch(
        _ gvk: GroupVersionKind, name: String, namespace: String?, patch: JSONValue, options: WriteOptions
    ) async throws(KubeError) -> Manifest {
        try await base.mergePatch(gvk, name: name, namespace: namespace, patch: patch, options: options)
    }
    func apply(_ object: Manifest, options: ApplyOptions) async throws(KubeError) -> Manifest { try await base.apply(object, options: options) }
    func delete(_ gvk: GroupVersionKind, name: String, namespace: String?, options: DeleteOptions) async throws(KubeError) -> Manifest? {
        try await base.delete(gvk, name: name, namespace: namespace, options: options)
    }
    func watch(_ gvk: GroupVersionKind, namespace: String?, options: ListOptions) -> WatchStream {
        base.watch(gvk, namespace: namespace, options: options)
    }
    func impersonating(_ identity: Impersonation) -> any KubernetesAPI { base.impersonating(identity) }
    func withOwnBudget(clock: any Clock<Duration>) -> any KubernetesAPI { base.withOwnBudget(clock: clock) }
    func serverVersion() async throws(KubeError) -> ServerVersion { try await base.serverVersion() }
    func serverResources(refresh: Bool) async throws(KubeError) -> [APIResource] { try await base.serverResources(refresh: refresh) }
}
