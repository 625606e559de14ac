import KeelsonFoundation
import Manifests
import Synchronization

/// The OpenAPI v3 documents: one path per resource with its operations and parameters, and the
/// schemas of its kinds (built-in kinds from the table of Kubernetes' types, custom resources from
/// their CRDs), so `kubectl explain deployment.spec.replicas` works.
///
/// kubectl reads them to learn that the server validates fields itself (`fieldValidation`), so it
/// skips client-side schema validation. PATCH operations do not advertise strategic merge patch,
/// so kubectl computes those patches from its compiled-in types.
enum OpenAPI {
    /// `/openapi/v3`: the group-versions and where their documents are.
    static func root(catalog: ResourceCatalog) -> JSONValue {
        var paths = JSONObject()
        for (prefix, types) in groupVersions(catalog: catalog) {
            paths[prefix] = ["serverRelativeURL": .string("/openapi/v3/\(prefix)?hash=\(hash(types, catalog: catalog))")]
        }
        return ["paths": .object(paths)]
    }

    /// Documents already written, by path and the hash of what they describe. A group-version's
    /// document changes only with its types, writing one takes a while, and kubectl asks for one
    /// on every `apply` it validates.
    private static let written = Mutex<[String: String]>([:])

    /// `/openapi/v3/api/v1` or `/openapi/v3/apis/GROUP/VERSION` as JSON text, or `nil` when not served.
    static func documentText(path: String, catalog: ResourceCatalog) -> String? {
        guard let types = groupVersions(catalog: catalog).first(where: { $0.prefix == path })?.types else { return nil }
        let key = "\(path)?\(hash(types, catalog: catalog))"
        if let text = written.withLock({ $0[key] }) { return text }
        let text = JSONWriter.compact(document(path: path, types: types, catalog: catalog))
        written.withLock { cache in
            if cache.count >= 256 { cache.removeAll() }
            cache[key] = text
        }
        return text
    }

    /// The document of one group-version's types.
    static func document(path: String, types: [ResourceType], catalog: ResourceCatalog) -> JSONValue {
        var paths = JSONObject()
        var schemas = JSONObject()
        for type in types {
            add(type, to: &schemas, references: .v3, catalog: catalog)
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

    static func groupVersions(catalog: ResourceCatalog) -> [(prefix: String, types: [ResourceType])] {
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

    /// Adds the schema of `type` (and those it refers to) to `schemas` (v3 `components.schemas` or
    /// v2 `definitions`): a built-in kind's from the
    /// table of Kubernetes' types, a custom resource's from its CRD version, marked with its
    /// group, version and kind so that `kubectl explain` finds it.
    static func add(
        _ type: ResourceType, to schemas: inout JSONObject, references: BuiltinSchemas.SchemaReferences, catalog: ResourceCatalog
    ) {
        let gvk: JSONValue = [["group": .string(type.group), "version": .string(type.version), "kind": .string(type.kind)]]
        if let model = BuiltinSchemas.modelName(of: type) {
            addModels([model], references: references, to: &schemas)
            schemas[BuiltinSchemas.openAPIName(model)]?["x-kubernetes-group-version-kind"] = gvk
            return
        }
        var root = catalog.schema(for: type)?.root ?? ["type": "object", "x-kubernetes-preserve-unknown-fields": true]
        var properties = root["properties"]?.objectValue ?? [:]
        properties["apiVersion"] = ["type": "string"]
        properties["kind"] = ["type": "string"]
        properties["metadata"] = references.reference(to: objectMeta)
        root["properties"] = .object(properties)
        root["x-kubernetes-group-version-kind"] = gvk
        addModels([objectMeta], references: references, to: &schemas)
        schemas["dev.keelson.sandbox.\(type.group.isEmpty ? "core" : type.group).\(type.version).\(type.kind)"] = .object(root)
    }

    /// Adds built-in models and those they refer to, under their published names.
    private static func addModels(_ models: [String], references: BuiltinSchemas.SchemaReferences, to schemas: inout JSONObject) {
        for name in BuiltinSchemas.closure(of: models) {
            let published = BuiltinSchemas.openAPIName(name)
            if schemas[published] == nil { schemas[published] = BuiltinSchemas.openAPISchema(name, references: references) }
        }
    }

    /// The model of every object's `metadata`.
    private static let objectMeta = "V1ObjectMeta"

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

    /// A stable hash of the served types, their CRD schemas and the table of built-in types, so
    /// kubectl's OpenAPI cache (and the sandbox's own) notices a new or changed CRD.
    static func hash(_ types: [ResourceType], catalog: ResourceCatalog) -> String {
        let described =
            [tableDigest]
            + types.map { type in
                "\(type.apiVersion)/\(type.kind)/\(type.plural)/\(type.namespaced)/"
                    + (catalog.schema(for: type).map { JSONWriter.compact(.object($0.root)) } ?? "")
            }
        return fnv1a(described.joined(separator: ","))
    }

    /// The hash of the table of built-in types, taken once.
    private static let tableDigest = fnv1a(BuiltinSchemas.table)

    /// FNV-1a (64 bits) of `text`, in hexadecimal.
    private static func fnv1a(_ text: String) -> String {
        String(FNV1a.hash64(text.utf8), radix: 16, uppercase: true)
    }
}
