import Kube
import Manifests

/// Reports every Kubernetes request (verb and HTTP status code) to the controller's metrics.
struct MeteredKubernetesAPI: KubernetesAPI {
    let base: any KubernetesAPI
    let metrics: ControllerMetrics

    func measured<T>(_ verb: String, _ body: () async throws(KubeError) -> T) async throws(KubeError) -> T {
        do {
            let value = try await body()
            metrics.record(.kubernetesRequest(verb: verb, code: 200))
            return value
        } catch {
            metrics.record(.kubernetesRequest(verb: verb, code: error.status?.code ?? 0))
            throw error
        }
    }

    func resource(for gvk: GroupVersionKind) async throws(KubeError) -> APIResource { try await base.resource(for: gvk) }
    func get(_ gvk: GroupVersionKind, name: String, namespace: String?) async throws(KubeError) -> Manifest {
        try await measured("get") { () throws(KubeError) in try await base.get(gvk, name: name, namespace: namespace) }
    }
    func list(_ gvk: GroupVersionKind, namespace: String?, options: ListOptions) async throws(KubeError) -> ObjectList {
        try await measured("list") { () throws(KubeError) in try await base.list(gvk, namespace: namespace, options: options) }
    }
    func create(_ object: Manifest, options: WriteOptions) async throws(KubeError) -> Manifest {
        try await measured("create") { () throws(KubeError) in try await base.create(object, options: options) }
    }
    func create(
        _ body: JSONValue, at gvk: GroupVersionKind, name: String, namespace: String?, subresource: String
    ) async throws(KubeError) -> JSONValue {
        try await measured("create") { () throws(KubeError) in
            try await base.create(body, at: gvk, name: name, namespace: namespace, subresource: subresource)
        }
    }
    func update(_ object: Manifest, options: WriteOptions) async throws(KubeError) -> Manifest {
        try await measured("update") { () throws(KubeError) in try await base.update(object, options: options) }
    }
    func updateStatus(_ object: Manifest, options: WriteOptions) async throws(KubeError) -> Manifest {
        try await measured("update") { () throws(KubeError) in try await base.updateStatus(object, options: options) }
    }
    func mergePatch(
        _ gvk: GroupVersionKind, name: String, namespace: String?, patch: JSONValue, options: WriteOptions
    ) async throws(KubeError) -> Manifest {
        try await measured("patch") { () throws(KubeError) in
            try await base.mergePatch(gvk, name: name, namespace: namespace, patch: patch, options: options)
        }
    }
    func apply(_ object: Manifest, options: ApplyOptions) async throws(KubeError) -> Manifest {
        try await measured("apply") { () throws(KubeError) in try await base.apply(object, options: options) }
    }
    func delete(_ gvk: GroupVersionKind, name: String, namespace: String?, options: DeleteOptions) async throws(KubeError) -> Manifest? {
        try await measured("delete") { () throws(KubeError) in try await base.delete(gvk, name: name, namespace: namespace, options: options) }
    }
    func serverVersion() async throws(KubeError) -> ServerVersion {
        try await measured("get") { () throws(KubeError) in try await base.serverVersion() }
    }
    func serverResources(refresh: Bool) async throws(KubeError) -> [APIResource] {
        try await measured("get") { () throws(KubeError) in try await base.serverResources(refresh: refresh) }
    }
    func impersonating(_ identity: Impersonation) -> any KubernetesAPI {
        MeteredKubernetesAPI(base: base.impersonating(identity), metrics: metrics)
    }
    func withOwnBudget(clock: any Clock<Duration>) -> any KubernetesAPI {
        MeteredKubernetesAPI(base: base.withOwnBudget(clock: clock), metrics: metrics)
    }
    func watch(_ gvk: GroupVersionKind, namespace: String?, options: ListOptions) -> WatchStream {
        metrics.record(.kubernetesRequest(verb: "watch", code: 200))
        return base.watch(gvk, namespace: namespace, options: options)
    }
}
