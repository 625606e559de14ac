import Manifests

/// A minimal OpenAPI v3 document: one path per resource with its operations and parameters.
///
/// kubectl reads it to learn that the server validates fields itself (`fieldValidation`), so it
/// skips client-side schema validation. Schemas are left open, and PATCH operations do not
/// advertise strategic merge patch, so kubectl computes those patches from its compiled-in types.
enum OpenAPI {
    /// `/openapi/v3`: the group-versions and where their documents are.
    static func root(catalog: ResourceCatalog) -> JSONValue {
        var paths = JSONObject()
        for (prefix, types) in groupVersions(catalog: catalog) {
            paths[prefix] = ["serverRelativeURL": .string("/openapi/v3/\(prefix)?hash=\(hash(types))")]
        }
        return ["paths": .object(paths)]
    }

    /// `/openapi/v3/api/v1` or `/openapi/v3/apis/GROUP/VERSION`, or `nil` when not served.
    static func document(path: String, catalog: ResourceCatalog) -> JSONValue? {
        guard let types = groupVersions(catalog: catalog).first(where: { $0.prefix == path })?.types else { return nil }
        var paths = JSONObject()
        var schemas = JSONObject()
        for type in types {
            schemas[schemaName(type)] = schema(type)
            let base = "/\(path)" + (type.namespaced ? "/namespaces/{namespace}" : "") + "/\(type.plural)"
            let gvk: JSONValue = ["group": .string(type.group), "version": .string(type.version), "kind": .string(type.kind)]
            let writeParameters = ["dryRun", "fieldManager", "fieldValidation"].map(parameter)
            paths[base] = [
                "get": operation("list", type, gvk, ["labelSelector", "fieldSelector", "limit", "continue", "watch"].map(parameter)),
                "post": operation("create", type, gvk, writeParameters, bodies: ["application/json"]),
            ]
            paths["\(base)/{name}"] = [
                "get": operation("get", type, gvk, []),
                "put": operation("update", type, gvk, writeParameters, bodies: ["application/json"]),
                "patch": operation(
                    "patch", type, gvk, writeParameters + [parameter("force")],
                    bodies: ["application/apply-patch+yaml", "application/json-patch+json", "application/merge-patch+json"]),
                "delete": operation("delete", type, gvk, [parameter("dryRun")]),
            ]
        }
        return [
            "openapi": "3.0.0", "info": ["title": "Kubernetes", "version": "v1.32.0"], "paths": .object(paths),
            "components": ["schemas": .object(schemas)],
        ]
    }

    private static func groupVersions(catalog: ResourceCatalog) -> [(prefix: String, types: [ResourceType])] {
        var result: [(prefix: String, types: [ResourceType])] = []
        for type in catalog.all {
            let prefix = type.group.isEmpty ? "api/\(type.version)" : "apis/\(type.group)/\(type.version)"
            if let index = result.firstIndex(where: { $0.prefix == prefix }) {
                result[index].types.append(type)
            } else {
                result.append((prefix, [type]))
            }
        }
        return result
    }

    private static func schemaName(_ type: ResourceType) -> String {
        "dev.keelson.sandbox.\(type.group.isEmpty ? "core" : type.group).\(type.version).\(type.kind)"
    }

    /// An open schema naming the standard top-level fields, enough for `kubectl explain KIND`.
    private static func schema(_ type: ResourceType) -> JSONValue {
        func field(_ kind: String, _ description: String) -> JSONValue { ["type": .string(kind), "description": .string(description)] }
        var properties: JSONObject = [
            "apiVersion": field("string", "APIVersion defines the versioned schema of this representation of an object."),
            "kind": field("string", "Kind is a string value representing the REST resource this object represents."),
            "metadata": field("object", "Standard object's metadata."),
            "spec": field("object", "The desired state of the \(type.kind); the sandbox stores any fields."),
        ]
        if type.hasStatus { properties["status"] = field("object", "The observed state of the \(type.kind).") }
        return [
            "type": "object", "description": .string("\(type.kind) as served by the Keelson sandbox."),
            "properties": .object(properties), "x-kubernetes-preserve-unknown-fields": true,
            "x-kubernetes-group-version-kind": [["group": .string(type.group), "version": .string(type.version), "kind": .string(type.kind)]],
        ]
    }

    private static func parameter(_ name: String) -> JSONValue {
        ["name": .string(name), "in": "query", "schema": ["type": "string"], "uniqueItems": true]
    }

    private static func operation(
        _ action: String, _ type: ResourceType, _ gvk: JSONValue, _ parameters: [JSONValue], bodies: [String] = []
    ) -> JSONValue {
        var op: JSONObject = [
            "operationId": .string("\(action)\(type.kind)"), "parameters": .array(parameters),
            "responses": ["200": ["description": "OK", "content": ["application/json": ["schema": ["type": "object"]]]]],
            "x-kubernetes-action": .string(action), "x-kubernetes-group-version-kind": gvk,
        ]
        if !bodies.isEmpty {
            var content = JSONObject()
            for body in bodies { content[body] = ["schema": ["type": "object"]] }
            op["requestBody"] = ["content": .object(content), "required": true]
        }
        return .object(op)
    }

    /// A stable FNV-1a hash of the served types, so kubectl's OpenAPI cache notices new CRDs.
    private static func hash(_ types: [ResourceType]) -> String {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in types.map({ "\($0.kind)/\($0.plural)/\($0.namespaced)" }).joined(separator: ",").utf8 {
            value = (value ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return String(value, radix: 16, uppercase: true)
    }
}
