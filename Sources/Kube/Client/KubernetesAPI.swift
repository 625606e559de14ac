import Manifests

/// One page of a list: the items and where the list stands.
public struct ObjectList: Sendable, Hashable {
    /// The objects, each with `apiVersion` and `kind` filled in.
    public var items: [Manifest]
    /// The list's resourceVersion, to watch from.
    public var resourceVersion: String
    /// The token for the next page; empty on the last page.
    public var continueToken: String

    /// Creates a list.
    public init(items: [Manifest], resourceVersion: String, continueToken: String = "") {
        self.items = items
        self.resourceVersion = resourceVersion
        self.continueToken = continueToken
    }
}

/// The Kubernetes API as the engine uses it: `KubeClient` in production, a double in unit tests.
public protocol KubernetesAPI: Sendable {
    /// The resource (plural, scope, verbs) serving `gvk`.
    func resource(for gvk: GroupVersionKind) async throws(KubeError) -> APIResource
    /// Reads one object.
    func get(_ gvk: GroupVersionKind, name: String, namespace: String?) async throws(KubeError) -> Manifest
    /// Lists one page of objects (all namespaces when `namespace` is `nil`).
    func list(_ gvk: GroupVersionKind, namespace: String?, options: ListOptions) async throws(KubeError) -> ObjectList
    /// Creates an object.
    func create(_ object: Manifest, options: WriteOptions) async throws(KubeError) -> Manifest
    /// Replaces an object (PUT); a stale `metadata.resourceVersion` gives a conflict.
    func update(_ object: Manifest, options: WriteOptions) async throws(KubeError) -> Manifest
    /// Replaces an object's status subresource.
    func updateStatus(_ object: Manifest, options: WriteOptions) async throws(KubeError) -> Manifest
    /// Applies a JSON merge patch (RFC 7386).
    func mergePatch(
        _ gvk: GroupVersionKind, name: String, namespace: String?, patch: JSONValue, options: WriteOptions
    ) async throws(KubeError) -> Manifest
    /// Creates `body` at a subresource of an object (`POST .../NAME/SUBRESOURCE`), e.g. a
    /// `TokenRequest` at `serviceaccounts/NAME/token`; the reply is the server's object.
    func create(
        _ body: JSONValue, at gvk: GroupVersionKind, name: String, namespace: String?, subresource: String
    ) async throws(KubeError) -> JSONValue
    /// Server-side apply.
    func apply(_ object: Manifest, options: ApplyOptions) async throws(KubeError) -> Manifest
    /// Deletes an object; returns the object when the server still holds it (finalizers), else `nil`.
    func delete(_ gvk: GroupVersionKind, name: String, namespace: String?, options: DeleteOptions) async throws(KubeError) -> Manifest?
    /// Watches a collection from `options.resourceVersion`.
    func watch(_ gvk: GroupVersionKind, namespace: String?, options: ListOptions) -> WatchStream
    /// The same API acting as `identity`: every request it sends, watches included, impersonates
    /// that user and its groups, so the API server's RBAC decides. Cheap: shares the transport.
    func impersonating(_ identity: Impersonation) -> any KubernetesAPI
    /// The same API with a budget of its own, for requests that must not wait behind others:
    /// Lease renewals, as controller-runtime gives leader election a client of its own. Its own
    /// client-side rate limit (as large as this one's), discovery cache and credential cache,
    /// and its waits (rate limit, retry backoff) on `clock`; only the connections are shared.
    func withOwnBudget(clock: any Clock<Duration>) -> any KubernetesAPI
    /// The server's `/version`.
    func serverVersion() async throws(KubeError) -> ServerVersion
    /// Every resource the server serves (discovery), cached until `refresh`.
    func serverResources(refresh: Bool) async throws(KubeError) -> [APIResource]
}

extension KubernetesAPI {
    /// Lists every page, following `continue` tokens.
    public func listAll(_ gvk: GroupVersionKind, namespace: String? = nil, options: ListOptions = ListOptions()) async throws(KubeError) -> ObjectList
    {
        var options = options
        var all = try await list(gvk, namespace: namespace, options: options)
        while !all.continueToken.isEmpty {
            options.continueToken = all.continueToken
            let page = try await list(gvk, namespace: namespace, options: options)
            all.items += page.items
            all.continueToken = page.continueToken
            all.resourceVersion = page.resourceVersion
        }
        return all
    }
}

extension KubernetesAPI {
    /// Creates the Namespace `name` unless it exists, read first so that finding it writes nothing
    /// (one creating it meanwhile is fine).
    public func createNamespaceIfMissing(_ name: String, fieldManager: String) async throws(KubeError) {
        do {
            _ = try await get(GroupVersionKind(group: "", version: "v1", kind: "Namespace"), name: name, namespace: nil)
        } catch  where error.isNotFound {
            let namespace = Manifest(unchecked: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]])
            do { _ = try await create(namespace, options: WriteOptions(fieldManager: fieldManager)) } catch  where error.isAlreadyExists {}
        }
    }
}

extension KubernetesAPI {
    /// A token for the ServiceAccount `namespace/name` (`TokenRequest`, as `kubectl create token`),
    /// for `audiences` (the API server's own when empty), valid `seconds` (at least 600).
    public func serviceAccountToken(
        name: String, namespace: String, audiences: [String] = [], seconds: Int64 = 600
    ) async throws(KubeError) -> String {
        var spec: JSONObject = ["expirationSeconds": .number(JSONNumber(seconds))]
        if !audiences.isEmpty { spec["audiences"] = .array(audiences.map(JSONValue.string)) }
        let request: JSONValue = ["apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "spec": .object(spec)]
        let reply = try await create(
            request, at: GroupVersionKind(group: "", version: "v1", kind: "ServiceAccount"), name: name, namespace: namespace,
            subresource: "token")
        guard let token = reply["status"]?["token"]?.stringValue, !token.isEmpty else {
            throw KubeError(.decoding, "TokenRequest reply has no status.token", resource: "ServiceAccount/\(namespace)/\(name)/token")
        }
        return token
    }
}
