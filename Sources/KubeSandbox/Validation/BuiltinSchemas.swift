import Manifests

/// The structure of Kubernetes' own types (field names, their types, the required ones), as the
/// API of Kubernetes 1.32 declares them, read from the generated table.
///
/// The API server decodes a built-in kind into its Go type, which has no room for a field it does
/// not declare: such a field is dropped, and reported under `fieldValidation`. The same table gives
/// the OpenAPI schemas `kubectl explain` reads.
enum BuiltinSchemas {
    /// What a field holds.
    indirect enum FieldType: Sendable, Hashable {
        /// `string`, `integer`, `boolean`, `number`, `date-time`, `int-or-string`, or `any` (a raw
        /// extension, free-form JSON).
        case scalar(String)
        case model(String)
        case list(FieldType)
        /// A map with string keys.
        case map(FieldType)

        init(_ spelling: Substring) {
            if spelling.hasPrefix("[]") {
                self = .list(FieldType(spelling.dropFirst(2)))
            } else if spelling.hasPrefix("{}") {
                self = .map(FieldType(spelling.dropFirst(2)))
            } else if spelling.first?.isUppercase == true {
                self = .model(String(spelling))
            } else {
                self = .scalar(String(spelling))
            }
        }
    }

    /// One type's fields, in name order.
    struct Model: Sendable {
        var fields: [(name: String, type: FieldType)]
        var required: [String]
        var index: [String: FieldType]
    }

    /// Every model of the table by name.
    static let models: [String: Model] = {
        var result: [String: Model] = [:]
        for line in table.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard let name = parts.first else { continue }
            var model = Model(fields: [], required: [], index: [:])
            for part in parts.dropFirst() {
                guard let colon = part.firstIndex(of: ":") else { continue }
                var field = part[..<colon]
                if field.hasSuffix("!") {
                    field = field.dropLast()
                    model.required.append(String(field))
                }
                let type = FieldType(part[part.index(after: colon)...])
                model.fields.append((String(field), type))
                model.index[String(field)] = type
            }
            result[String(name)] = model
        }
        return result
    }()

    /// The model of a built-in type (`V1Deployment`, `V2HorizontalPodAutoscaler`, `CoreV1Event`),
    /// or nil for a type the sandbox does not build in (a CRD's `Service` in its own group is no
    /// core Service) or the table lacks.
    static func modelName(of type: ResourceType) -> String? { builtinModels[type.apiVersion + "/" + type.kind] }

    /// The models of the built-in types by `apiVersion/kind`: the client's name, qualified by the
    /// group's first label where Kubernetes has two types of one name (`CoreV1Event`), else plain.
    private static let builtinModels: [String: String] = {
        var result: [String: String] = [:]
        for type in BuiltinResources.all {
            let version = type.version.prefix(1).uppercased() + type.version.dropFirst()
            let group = type.group.isEmpty ? "core" : String(type.group.prefix { $0 != "." })
            let qualified = group.prefix(1).uppercased() + group.dropFirst() + version + type.kind
            let plain = version + type.kind
            if let name = [qualified, plain].first(where: { models[$0] != nil }) { result[type.apiVersion + "/" + type.kind] = name }
        }
        return result
    }()

    /// Drops the fields of `object` its type does not declare; returns their paths as the API
    /// server's strict decoding names them (`spec.template.spec.containers[0].foo`). `apiVersion`
    /// and `kind` are always known. A type the table lacks keeps everything.
    static func pruneUnknownFields(_ object: inout JSONObject, type: ResourceType) -> [String] {
        guard let name = modelName(of: type), let model = models[name] else { return [] }
        var unknown: [String] = []
        prune(&object, model: model, path: "", into: &unknown)
        return unknown
    }

    private static func prune(_ object: inout JSONObject, model: Model, path: String, into unknown: inout [String]) {
        for key in Array(object.keys) {
            let child = path.isEmpty ? key : "\(path).\(key)"
            guard let type = model.index[key] else {
                object.entries.removeValue(forKey: key)
                unknown.append(child)
                continue
            }
            guard var value = object.entries[key] else { continue }
            if prune(&value, type: type, path: child, into: &unknown) { object.entries[key] = value }
        }
    }

    /// Prunes inside one value; returns whether it changed.
    private static func prune(_ value: inout JSONValue, type: FieldType, path: String, into unknown: inout [String]) -> Bool {
        let before = unknown.count
        switch (type, value) {
        case (.model(let name), .object(var object)):
            guard let model = models[name] else { return false }
            prune(&object, model: model, path: path, into: &unknown)
            if unknown.count != before { value = .object(object) }
        case (.list(let element), .array(var items)):
            for index in items.indices {
                var item = items[index]
                if prune(&item, type: element, path: "\(path)[\(index)]", into: &unknown) { items[index] = item }
            }
            if unknown.count != before { value = .array(items) }
        case (.map(let element), .object(var object)):
            for key in Array(object.keys) {
                guard var item = object.entries[key] else { continue }
                if prune(&item, type: element, path: "\(path).\(key)", into: &unknown) { object.entries[key] = item }
            }
            if unknown.count != before { value = .object(object) }
        default:
            break
        }
        return unknown.count != before
    }
}

// MARK: - OpenAPI

extension BuiltinSchemas {
    /// `names` and every model they reach, for a document's `components.schemas`.
    static func closure(of names: [String]) -> [String] {
        var seen = Set<String>()
        var order: [String] = []
        var pending = names
        while let name = pending.popLast() {
            guard !seen.contains(name) else { continue }
            if shapes[name] != nil {
                seen.insert(name)
                order.append(name)
            }
            guard let model = models[name] else { continue }
            seen.insert(name)
            order.append(name)
            for field in model.fields { pending.append(contentsOf: field.type.modelNames) }
        }
        return order.sorted()
    }

    /// The name a model is published under: its Go type's name last (`kubectl explain` shows that
    /// part), after the client's prefix that tells same-named types apart (`core.v1.Event`).
    static func openAPIName(_ model: String) -> String {
        guard let match = model.wholeMatch(of: /([A-Z][a-z]+)?(V[0-9]+(?:alpha[0-9]+|beta[0-9]+)?)([A-Z].*)/) else {
            return "dev.keelson.sandbox." + model
        }
        let group = match.output.1.map { $0.lowercased() + "." } ?? ""
        return "dev.keelson.sandbox.\(group)\(match.output.2.lowercased()).\(match.output.3)"
    }

    /// A model as an OpenAPI schema, its fields marked with how they merge (as the API's
    /// `patchStrategy`/`patchMergeKey` and `listType`/`listMapKeys` mark them), which kubectl's
    /// client-side apply reads to compute its strategic merge patches.
    static func openAPISchema(_ name: String, references: SchemaReferences = .v3) -> JSONValue? {
        if let shape = shapes[name] { return shape }
        guard let model = models[name] else { return nil }
        var properties = JSONObject()
        for field in model.fields {
            var property = field.type.openAPISchema(references: references)
            if let merge = fieldMerges[name]?[field.name] {
                property["x-kubernetes-patch-strategy"] = .string(merge.patchStrategy)
                if let rule = merge.listRule {
                    property["x-kubernetes-patch-merge-key"] = .string(rule.mergeKey)
                    property["x-kubernetes-list-type"] = "map"
                    property["x-kubernetes-list-map-keys"] = .array(rule.mapKeys.map { .string($0) })
                } else if merge.isSet {
                    property["x-kubernetes-list-type"] = "set"
                }
            }
            properties[field.name] = property
        }
        var schema: JSONObject = ["type": "object", "properties": .object(properties)]
        if !model.required.isEmpty { schema["required"] = .array(model.required.map { .string($0) }) }
        return .object(schema)
    }

    /// Types the API publishes under a name of their own though they hold a scalar, so that
    /// `kubectl explain` shows `<IntOrString>`.
    static let shapes: [String: JSONValue] = ["IntOrString": ["type": "string", "format": "int-or-string"]]

    /// How a document refers to a model: OpenAPI v3 wraps the reference in `allOf` (so a field can
    /// carry more keywords beside it), Swagger 2.0 refers directly.
    enum SchemaReferences: Sendable {
        case v3, v2

        func reference(to model: String) -> JSONValue {
            switch self {
            case .v3: ["allOf": [["$ref": .string("#/components/schemas/" + BuiltinSchemas.openAPIName(model))]]]
            case .v2: ["$ref": .string("#/definitions/" + BuiltinSchemas.openAPIName(model))]
            }
        }
    }

    /// How one field merges when it is not merged key by key as an object is.
    struct FieldMerge: Sendable {
        /// A list of objects matched by keys.
        var listRule: ListSemantics.Rule?
        /// A list of scalars merged as a set.
        var isSet = false
        /// An object (or a list's items) whose patches name the keys they keep.
        var retainsKeys = false

        /// The `x-kubernetes-patch-strategy`: `merge`, `retainKeys` or `merge,retainKeys`.
        var patchStrategy: String {
            [listRule != nil || isSet ? "merge" : nil, retainsKeys ? "retainKeys" : nil].compactMap { $0 }.joined(separator: ",")
        }
    }

    /// How the fields of every model merge, by model and field: `ListSemantics` (the one table of
    /// how Kubernetes' lists and objects merge) read along the fields of every built-in kind. A
    /// model's fields merge alike wherever it appears (a container's `env` in any workload).
    static let fieldMerges: [String: [String: FieldMerge]] = {
        var merges: [String: [String: FieldMerge]] = [:]
        func walk(_ name: String, kind: String, path: [String], within: Set<String> = []) {
            // A model inside itself (a JSON schema's properties) has nothing more to mark.
            guard !within.contains(name), let model = models[name] else { return }
            let within = within.union([name])
            for field in model.fields {
                let fieldPath = path + [field.name]
                var merge = FieldMerge(retainsKeys: ListSemantics.retainsKeys(kind: kind, path: fieldPath))
                switch field.type {
                case .list(.model(let element)):
                    merge.listRule = ListSemantics.rule(kind: kind, path: fieldPath)
                    walk(element, kind: kind, path: fieldPath, within: within)
                case .list(.scalar):
                    merge.isSet = ListSemantics.isSet(path: fieldPath)
                case .model(let child):
                    walk(child, kind: kind, path: fieldPath, within: within)
                default:
                    break
                }
                if !merge.patchStrategy.isEmpty { merges[name, default: [:]][field.name] = merge }
            }
        }
        for type in BuiltinResources.all {
            if let name = modelName(of: type) { walk(name, kind: type.kind, path: []) }
        }
        return merges
    }()
}

extension BuiltinSchemas.FieldType {
    /// The models this type refers to.
    var modelNames: [String] {
        switch self {
        case .scalar("int-or-string"): ["IntOrString"]
        case .scalar: []
        case .model(let name): [name]
        case .list(let element), .map(let element): element.modelNames
        }
    }

    /// The type as an OpenAPI schema (`any` is an object of any fields).
    func openAPISchema(references: BuiltinSchemas.SchemaReferences) -> JSONValue {
        switch self {
        case .scalar("date-time"): ["type": "string", "format": "date-time"]
        case .scalar("int-or-string"): references.reference(to: "IntOrString")
        case .scalar("any"): ["type": "object"]
        case .scalar(let name): ["type": .string(name)]
        case .model(let name): references.reference(to: name)
        case .list(let element): ["type": "array", "items": element.openAPISchema(references: references)]
        case .map(let element): ["type": "object", "additionalProperties": element.openAPISchema(references: references)]
        }
    }
}
