import Manifests
import Synchronization

/// `/openapi/v2`: the Swagger 2.0 document of every served type, which kubectl up to 1.28 reads
/// before it applies (client-side validation, which parameters the server takes, and how its
/// strategic merge patches treat lists) and `kubectl explain --output plaintext-openapiv2` reads.
///
/// client-go asks for it only in protobuf (gnostic's `openapi.v2.Document`), so that is the form
/// served to a client that accepts it; others get JSON. Its paths and definitions are those of the
/// v3 documents, in Swagger's shapes.
extension OpenAPI {
    /// The protobuf media type of the answer. client-go asks for the older spelling with `@`,
    /// which Go's media type parser cannot read back, so the API server answers with this one.
    static let v2ProtobufType = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf"

    /// Documents already written, by form and the hash of what they describe.
    private static let writtenV2 = Mutex<[String: [UInt8]]>([:])

    /// The document in protobuf (or JSON), written once per set of served types.
    static func v2Bytes(catalog: ResourceCatalog, protobuf: Bool) -> [UInt8] {
        let key = "\(protobuf ? "pb" : "json")?\(hash(catalog.all, catalog: catalog))"
        if let bytes = writtenV2.withLock({ $0[key] }) { return bytes }
        let document = v2Document(catalog: catalog)
        let bytes = protobuf ? GnosticV2.document(document).bytes : Array(JSONWriter.compact(.object(document)).utf8)
        writtenV2.withLock { cache in
            if cache.count >= 64 { cache.removeAll() }
            cache[key] = bytes
        }
        return bytes
    }

    /// The Swagger 2.0 document.
    static func v2Document(catalog: ResourceCatalog) -> JSONObject {
        var paths = JSONObject()
        var definitions = JSONObject()
        for (prefix, types) in groupVersions(catalog: catalog) {
            for type in types {
                add(type, to: &definitions, references: .v2, catalog: catalog)
                let gvk: JSONValue = ["group": .string(type.group), "version": .string(type.version), "kind": .string(type.kind)]
                let body = JSONValue.object(["name": "body", "in": "body", "required": true, "schema": ["type": "object"]])
                let writes = ["dryRun", "fieldManager", "fieldValidation"].map(v2Parameter)
                func operation(_ action: String, _ parameters: [JSONValue], consumes: [String] = []) -> JSONValue {
                    var op: JSONObject = [
                        "operationId": .string("\(action)\(type.kind)"), "produces": ["application/json"],
                        "parameters": .array(parameters), "responses": ["200": ["description": "OK"]],
                        "x-kubernetes-action": .string(action), "x-kubernetes-group-version-kind": gvk,
                    ]
                    if !consumes.isEmpty { op["consumes"] = .array(consumes.map { .string($0) }) }
                    return .object(op)
                }
                let base = "/\(prefix)" + (type.namespaced ? "/namespaces/{namespace}" : "") + "/\(type.plural)"
                paths[base] = [
                    "get": operation("list", ["labelSelector", "fieldSelector", "limit", "continue", "watch"].map(v2Parameter)),
                    "post": operation("post", [body] + writes, consumes: ["application/json"]),
                ]
                paths["\(base)/{name}"] = [
                    "get": operation("get", []),
                    "put": operation("put", [body] + writes, consumes: ["application/json"]),
                    "patch": operation(
                        "patch", [body] + writes + [v2Parameter("force")],
                        consumes: ["application/apply-patch+yaml", "application/json-patch+json", "application/merge-patch+json"]),
                    "delete": operation("delete", [v2Parameter("dryRun")]),
                ]
            }
        }
        return [
            "swagger": "2.0", "info": ["title": "Kubernetes", "version": "v1.32.0"], "paths": .object(paths),
            "definitions": .object(definitions),
        ]
    }

    private static func v2Parameter(_ name: String) -> JSONValue {
        ["name": .string(name), "in": "query", "type": "string", "uniqueItems": true]
    }
}

/// Swagger 2.0 JSON written as gnostic's `openapi.v2` protobuf messages (field numbers from
/// gnostic's `OpenAPIv2.proto`). Covers the shapes the sandbox's documents use; a keyword Swagger
/// 2.0 has no field for (a CRD schema's `nullable`, `anyOf`) is left out, as the API server
/// leaves it out of its v2 document. Values of vendor extensions, enums and defaults travel as
/// YAML text, which their JSON is.
enum GnosticV2 {
    static func document(_ document: JSONObject) -> ProtobufWriter {
        var message = ProtobufWriter()
        message.string(1, document["swagger"]?.stringValue ?? "2.0")
        var info = ProtobufWriter()
        info.string(1, document["info"]?["title"]?.stringValue ?? "")
        info.string(2, document["info"]?["version"]?.stringValue ?? "")
        message.message(2, info)
        var paths = ProtobufWriter()
        for (path, item) in document["paths"]?.objectValue ?? [:] {
            paths.message(2, named(path, pathItem(item.objectValue ?? [:])))
        }
        message.message(8, paths)
        var definitions = ProtobufWriter()
        for (name, value) in document["definitions"]?.objectValue ?? [:] {
            definitions.message(1, named(name, schema(value.objectValue ?? [:])))
        }
        message.message(9, definitions)
        return message
    }

    /// A `Named*` entry: {1: name, 2: value}.
    private static func named(_ name: String, _ value: ProtobufWriter) -> ProtobufWriter {
        var entry = ProtobufWriter()
        entry.string(1, name)
        entry.message(2, value)
        return entry
    }

    /// An `Any` holding a value as YAML text.
    private static func any(_ value: JSONValue) -> ProtobufWriter {
        var message = ProtobufWriter()
        message.string(2, JSONWriter.compact(value) + "\n")
        return message
    }

    private static func vendorExtensions(_ object: JSONObject) -> [ProtobufWriter] {
        object.entries.filter { $0.key.hasPrefix("x-") }.map { named($0.key, any($0.value)) }
    }

    private static func pathItem(_ item: JSONObject) -> ProtobufWriter {
        var message = ProtobufWriter()
        for (verb, number) in [("get", 2), ("put", 3), ("post", 4), ("delete", 5), ("patch", 8)] {
            if let op = item[verb]?.objectValue { message.message(number, operation(op)) }
        }
        return message
    }

    private static func operation(_ op: JSONObject) -> ProtobufWriter {
        var message = ProtobufWriter()
        message.string(5, op["operationId"]?.stringValue ?? "")
        message.strings(6, op["produces"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        message.strings(7, op["consumes"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        for parameter in op["parameters"]?.arrayValue ?? [] {
            var item = ProtobufWriter()
            item.message(1, self.parameter(parameter.objectValue ?? [:]))
            message.message(8, item)
        }
        var responses = ProtobufWriter()
        for (code, response) in op["responses"]?.objectValue ?? [:] {
            var body = ProtobufWriter()
            body.string(1, response["description"]?.stringValue ?? "")
            if let schema = response["schema"]?.objectValue {
                var item = ProtobufWriter()
                item.message(1, self.schema(schema))
                body.message(2, item)
            }
            var value = ProtobufWriter()
            value.message(1, body)
            responses.message(1, named(code, value))
        }
        message.message(9, responses)
        message.messages(13, vendorExtensions(op))
        return message
    }

    /// A `Parameter`: a body parameter, or a query/path one.
    private static func parameter(_ parameter: JSONObject) -> ProtobufWriter {
        var message = ProtobufWriter()
        let location = parameter["in"]?.stringValue ?? "query"
        if location == "body" {
            var body = ProtobufWriter()
            body.string(2, parameter["name"]?.stringValue ?? "")
            body.string(3, location)
            body.bool(4, parameter["required"]?.boolValue ?? false)
            body.message(5, schema(parameter["schema"]?.objectValue ?? [:]))
            message.message(1, body)
        } else {
            // Query and path parameters share their first fields; `type` and `uniqueItems` sit one
            // number lower in a path parameter (it has no `allowEmptyValue`).
            let isPath = location == "path"
            var subSchema = ProtobufWriter()
            subSchema.bool(1, parameter["required"]?.boolValue ?? false)
            subSchema.string(2, location)
            subSchema.string(4, parameter["name"]?.stringValue ?? "")
            subSchema.string(isPath ? 5 : 6, parameter["type"]?.stringValue ?? "string")
            subSchema.bool(isPath ? 19 : 20, parameter["uniqueItems"]?.boolValue ?? false)
            var nonBody = ProtobufWriter()
            nonBody.message(isPath ? 4 : 3, subSchema)
            message.message(2, nonBody)
        }
        return message
    }

    /// A `Schema`.
    static func schema(_ schema: JSONObject) -> ProtobufWriter {
        var message = ProtobufWriter()
        message.string(1, schema["$ref"]?.stringValue ?? "")
        message.string(2, schema["format"]?.stringValue ?? "")
        message.string(3, schema["title"]?.stringValue ?? "")
        message.string(4, schema["description"]?.stringValue ?? "")
        if let value = schema["default"] { message.message(5, any(value)) }
        message.double(6, schema["multipleOf"]?.doubleValue ?? 0)
        message.double(7, schema["maximum"]?.doubleValue ?? 0)
        message.bool(8, schema["exclusiveMaximum"]?.boolValue ?? false)
        message.double(9, schema["minimum"]?.doubleValue ?? 0)
        message.bool(10, schema["exclusiveMinimum"]?.boolValue ?? false)
        for (key, number) in [("maxLength", 11), ("minLength", 12), ("maxItems", 14), ("minItems", 15), ("maxProperties", 17), ("minProperties", 18)]
        {
            message.int64(number, schema[key]?.intValue ?? 0)
        }
        message.string(13, schema["pattern"]?.stringValue ?? "")
        message.bool(16, schema["uniqueItems"]?.boolValue ?? false)
        message.strings(19, schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        message.messages(20, (schema["enum"]?.arrayValue ?? []).map(any))
        switch schema["additionalProperties"] {
        case .object(let additional)?:
            var item = ProtobufWriter()
            item.message(1, self.schema(additional))
            message.message(21, item)
        case .bool(let allowed)?:
            var item = ProtobufWriter()
            item.bool(2, allowed)
            message.message(21, item)
        default:
            break
        }
        if let type = schema["type"]?.stringValue {
            var item = ProtobufWriter()
            item.strings(1, [type])
            message.message(22, item)
        }
        if let items = schema["items"]?.objectValue {
            var item = ProtobufWriter()
            item.message(1, self.schema(items))
            message.message(23, item)
        }
        message.messages(24, (schema["allOf"]?.arrayValue ?? []).map { self.schema($0.objectValue ?? [:]) })
        if let properties = schema["properties"]?.objectValue {
            var item = ProtobufWriter()
            for (name, property) in properties { item.message(1, named(name, self.schema(property.objectValue ?? [:]))) }
            message.message(25, item)
        }
        message.messages(31, vendorExtensions(schema))
        return message
    }
}
