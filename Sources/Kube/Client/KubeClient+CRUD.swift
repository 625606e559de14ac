import Manifests
import NIOHTTP1

extension KubeClient {
    /// Reads one object.
    public func get(_ gvk: GroupVersionKind, name: String, namespace: String? = nil) async throws(KubeError) -> Manifest {
        let resource = try await resource(for: gvk)
        let path = ResourcePath.path(for: resource, namespace: namespace, name: name)
        return try await manifest(APIRequest(method: .GET, path: path, resource: describe(gvk, namespace, name)))
    }

    /// Lists one page of objects (all namespaces when `namespace` is `nil`).
    public func list(_ gvk: GroupVersionKind, namespace: String? = nil, options: ListOptions = ListOptions()) async throws(KubeError) -> ObjectList {
        let resource = try await resource(for: gvk)
        let path = ResourcePath.path(for: resource, namespace: namespace)
        let what = "\(gvk.kind)List" + (namespace.map { "/\($0)" } ?? "")
        let value = try await sendJSON(APIRequest(method: .GET, path: path, query: options.queryItems, resource: what))
        guard let items = value["items"]?.arrayValue ?? (value["items"]?.isNull == true ? [] : nil) else {
            throw KubeError(.decoding, "list reply has no items", resource: what)
        }
        // Items in a list reply omit apiVersion and kind; restore them so each is a full object.
        let manifests = items.compactMap { item -> Manifest? in
            guard var object = item.objectValue else { return nil }
            if object["apiVersion"] == nil { object["apiVersion"] = .string(gvk.apiVersion) }
            if object["kind"] == nil { object["kind"] = .string(gvk.kind) }
            return Manifest(unchecked: object)
        }
        let metadata = value["metadata"]
        return ObjectList(
            items: manifests, resourceVersion: metadata?["resourceVersion"]?.stringValue ?? "",
            continueToken: metadata?["continue"]?.stringValue ?? "")
    }

    /// Creates an object.
    public func create(_ object: Manifest, options: WriteOptions = WriteOptions()) async throws(KubeError) -> Manifest {
        let resource = try await resource(for: GroupVersionKind(object))
        let path = ResourcePath.path(for: resource, namespace: object.namespace)
        return try await manifest(
            APIRequest(method: .POST, path: path, query: options.queryItems, body: body(object.value), resource: object.key.description))
    }

    /// Creates `body` at a subresource of an object (`POST .../NAME/SUBRESOURCE`).
    public func create(
        _ body: JSONValue, at gvk: GroupVersionKind, name: String, namespace: String?, subresource: String
    ) async throws(KubeError) -> JSONValue {
        let resource = try await resource(for: gvk)
        let path = ResourcePath.path(for: resource, namespace: namespace, name: name, subresource: subresource)
        return try await sendJSON(
            APIRequest(method: .POST, path: path, body: self.body(body), resource: describe(gvk, namespace, name) + "/" + subresource))
    }

    /// Replaces an object (PUT); a stale `metadata.resourceVersion` gives a conflict.
    public func update(_ object: Manifest, options: WriteOptions = WriteOptions()) async throws(KubeError) -> Manifest {
        try await put(object, subresource: nil, options: options)
    }

    /// Replaces an object's status subresource.
    public func updateStatus(_ object: Manifest, options: WriteOptions = WriteOptions()) async throws(KubeError) -> Manifest {
        try await put(object, subresource: "status", options: options)
    }

    /// Applies a JSON merge patch (RFC 7386).
    public func mergePatch(
        _ gvk: GroupVersionKind, name: String, namespace: String? = nil, patch: JSONValue, options: WriteOptions = WriteOptions()
    ) async throws(KubeError) -> Manifest {
        let resource = try await resource(for: gvk)
        let path = ResourcePath.path(for: resource, namespace: namespace, name: name)
        return try await manifest(
            APIRequest(
                method: .PATCH, path: path, query: options.queryItems, body: body(patch),
                contentType: "application/merge-patch+json", resource: describe(gvk, namespace, name)))
    }

    /// Server-side apply: the body is JSON (a YAML subset), sent as `application/apply-patch+yaml`.
    public func apply(_ object: Manifest, options: ApplyOptions) async throws(KubeError) -> Manifest {
        guard !(object.metadata["name"]?.stringValue ?? "").isEmpty else {
            throw KubeError(.invalidRequest, "server-side apply needs metadata.name", resource: object.key.description)
        }
        let resource = try await resource(for: GroupVersionKind(object))
        let path = ResourcePath.path(for: resource, namespace: object.namespace, name: object.name)
        return try await manifest(
            APIRequest(
                method: .PATCH, path: path, query: options.queryItems, body: body(object.value),
                contentType: "application/apply-patch+yaml", resource: object.key.description))
    }

    /// Deletes an object; returns it when the server still holds it (finalizers, grace period), else `nil`.
    public func delete(
        _ gvk: GroupVersionKind, name: String, namespace: String? = nil, options: DeleteOptions = DeleteOptions()
    ) async throws(KubeError) -> Manifest? {
        let resource = try await resource(for: gvk)
        let path = ResourcePath.path(for: resource, namespace: namespace, name: name)
        var deleteOptions: JSONValue = ["apiVersion": "v1", "kind": "DeleteOptions"]
        if let policy = options.propagationPolicy { deleteOptions["propagationPolicy"] = .string(policy.rawValue) }
        if let grace = options.gracePeriodSeconds { deleteOptions["gracePeriodSeconds"] = .number(JSONNumber(Int64(grace))) }
        if let version = options.preconditionResourceVersion { deleteOptions["preconditions"] = ["resourceVersion": .string(version)] }
        if options.dryRun { deleteOptions["dryRun"] = ["All"] }
        let value = try await sendJSON(
            APIRequest(method: .DELETE, path: path, query: options.queryItems, body: body(deleteOptions), resource: describe(gvk, namespace, name)))
        // A finished delete answers with a Status, or (custom resources) with the last state of the
        // object; one held by finalizers or a grace period with the object marked for deletion.
        guard value["kind"]?.stringValue != "Status", case .object(let object) = value,
            object["metadata"]?["deletionTimestamp"] != nil
        else { return nil }
        return Manifest(unchecked: object)
    }

    private func put(_ object: Manifest, subresource: String?, options: WriteOptions) async throws(KubeError) -> Manifest {
        let resource = try await resource(for: GroupVersionKind(object))
        let path = ResourcePath.path(for: resource, namespace: object.namespace, name: object.name, subresource: subresource)
        return try await manifest(
            APIRequest(method: .PUT, path: path, query: options.queryItems, body: body(object.value), resource: object.key.description))
    }

    private func manifest(_ request: APIRequest) async throws(KubeError) -> Manifest {
        let value = try await sendJSON(request)
        guard case .object(let object) = value else {
            throw KubeError(.decoding, "reply is a \(value.typeName), not an object", resource: request.resource)
        }
        return Manifest(unchecked: object)
    }

    private func body(_ value: JSONValue) -> [UInt8] { Array(JSONWriter.compact(value).utf8) }

    func describe(_ gvk: GroupVersionKind, _ namespace: String?, _ name: String) -> String {
        ResourceKey(group: gvk.group, kind: gvk.kind, namespace: namespace ?? "", name: name).description
    }
}
