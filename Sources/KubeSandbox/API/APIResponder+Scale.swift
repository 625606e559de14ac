import Foundation
import Hummingbird
import Manifests

extension APIResponder {
    /// Serves the `scale` subresource (autoscaling/v1 `Scale`) of workloads.
    func handleScale(
        _ type: ResourceType, namespace: String, name: String, request: Request, options: WriteOptions
    ) async throws -> Response {
        let object = try await store.get(type, namespace: namespace, name: name)
        let current = Self.scale(of: object)
        let desired: JSONValue
        switch request.method {
        case .get: return Self.json(current)
        case .put: desired = try await Self.body(request)
        case .patch:
            let contentType = request.headers[.contentType] ?? ""
            let body = try await Self.body(request)
            if contentType.hasPrefix("application/json-patch+json") {
                desired = try JSONPatch.apply(body, to: current)
            } else if contentType.hasPrefix("application/strategic-merge-patch+json") {
                desired = try StrategicMergePatch.apply(body, to: current)
            } else {
                desired = MergePatch.apply(body, to: current)
            }
        default: throw APIError(.methodNotAllowed, "the server does not allow this method on the requested resource")
        }
        guard let replicas = desired["spec"]?["replicas"]?.intValue, replicas >= 0 else {
            throw APIError.invalid(type, name, field: "spec.replicas", "Invalid value: must be greater than or equal to 0")
        }
        if let rv = desired["metadata"]?["resourceVersion"]?.stringValue, !rv.isEmpty, rv != object.meta("resourceVersion") {
            throw APIError.staleUpdate(type, name)
        }
        var candidate = object
        var spec = candidate["spec"]?.objectValue ?? [:]
        spec["replicas"] = .int(replicas)
        candidate["spec"] = .object(spec)
        let updated = try await store.finishUpdate(
            type, old: object, candidate: candidate, options: options, subresource: nil, applied: false)
        return Self.json(Self.scale(of: updated))
    }

    /// The `Scale` view of a workload.
    static func scale(of object: JSONObject) -> JSONValue {
        var metadata = JSONObject()
        for field in ["name", "namespace", "uid", "resourceVersion", "creationTimestamp"] {
            if let value = object.metadata[field] { metadata[field] = value }
        }
        let matchLabels = object["spec"]?["selector"]?["matchLabels"]?.objectValue ?? [:]
        let selector = matchLabels.map { "\($0.key)=\($0.value.stringValue ?? "")" }.sorted().joined(separator: ",")
        return [
            "kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": .object(metadata),
            "spec": ["replicas": object["spec"]?["replicas"] ?? .int(1)],
            "status": ["replicas": object["status"]?["replicas"] ?? .int(0), "selector": .string(selector)],
        ]
    }
}
