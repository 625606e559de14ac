import Manifests

/// A custom OpenAPI schema (`openapi: {path: schema.json}`, Swagger 2 `definitions` with
/// `x-kubernetes-group-version-kind`). Like kustomize (kyaml), it replaces the built-in
/// Kubernetes schema for strategic merge patches: only the lists it marks with
/// `x-kubernetes-patch-merge-key` / `x-kubernetes-patch-strategy: merge` merge, in every
/// kind, built-in ones included.
struct CustomSchema: Sendable {
    /// The extensions read, as data.
    static let mergeKeyExtension = "x-kubernetes-patch-merge-key"
    static let strategyExtension = "x-kubernetes-patch-strategy"
    static let kindsExtension = "x-kubernetes-group-version-kind"
    static let referencePrefix = "#/definitions/"

    let definitions: JSONObject
    /// `group/version/kind` → definition name.
    let names: [String: String]
    /// Whether the schema adds its types to the built-in schema rather than replacing it: so
    /// kustomize takes a schema a component declares.
    var extendsBuiltIn = false

    init(_ document: JSONValue, file: String) throws(RenderError) {
        guard let definitions = document["definitions"]?.objectValue else {
            throw RenderError(.kustomization, "\(file): openapi: expected a schema with definitions")
        }
        self.definitions = definitions
        var names: [String: String] = [:]
        for (name, definition) in definitions {
            for gvk in definition[Self.kindsExtension]?.arrayValue ?? [] {
                let key = Self.key(gvk["group"]?.stringValue ?? "", gvk["version"]?.stringValue ?? "", gvk["kind"]?.stringValue ?? "")
                names[key] = name
            }
        }
        self.names = names
    }

    private static func key(_ group: String, _ version: String, _ kind: String) -> String { "\(group)/\(version)/\(kind)" }

    /// Whether the schema has a definition for `id`'s type.
    func defines(_ id: ResId) -> Bool { names[Self.key(id.group, id.version, id.kind)] != nil }

    /// How the list at `path` in an object of `id`'s type merges; nil when it is replaced.
    func listMerge(_ id: ResId, path: [String]) -> ListMerge? {
        guard let name = names[Self.key(id.group, id.version, id.kind)], var schema = definitions[name] else { return nil }
        for (index, key) in path.enumerated() {
            guard let property = resolve(schema)["properties"]?[key] else { return nil }
            schema = resolve(property)
            if index < path.count - 1, schema["type"]?.stringValue == "array", let items = schema["items"] { schema = items }
        }
        let mergeKey = schema[Self.mergeKeyExtension]?.stringValue
        let merges = schema[Self.strategyExtension]?.stringValue?.split(separator: ",").contains("merge") ?? false
        if let mergeKey { return .byKey(mergeKey) }
        return merges ? .primitive : nil
    }

    /// A `$ref` followed (once per step; a definition referring to itself ends the walk there).
    private func resolve(_ schema: JSONValue) -> JSONValue {
        guard let reference = schema["$ref"]?.stringValue, reference.hasPrefix(Self.referencePrefix) else { return schema }
        return definitions[String(reference.dropFirst(Self.referencePrefix.count))] ?? schema
    }
}

/// How a list merges in a strategic merge patch.
enum ListMerge: Equatable {
    /// Elements matched by this key.
    case byKey(String)
    /// Scalars: the patch's values, then the original values it does not list.
    case primitive
}

extension Build {
    /// `openapi`: the first custom schema met wins, except that the top kustomization's own
    /// replaces any (kyaml's global `SetSchema`, reset only at the top). A component's schema
    /// extends the built-in one instead of replacing it.
    mutating func loadSchema(_ kustomization: Kustomization, isTop: Bool) throws(RenderError) {
        guard let openapi = kustomization.fields["openapi"], !Kustomization.isEmpty(openapi) else { return }
        guard schema == nil || isTop else { return }
        let fields = try Kustomization.stringMap(openapi, field: "openapi", in: kustomization)
        if fields.contains(where: { $0.0 == "version" }) {
            throw kustomization.error("openapi", "built-in schema versions are not supported; give a path", code: .unsupported)
        }
        guard let path = fields.first(where: { $0.0 == "path" })?.1, !path.isEmpty else { return }
        let file = kustomization.path(path)
        let bytes = try read(path, for: kustomization, field: "openapi")
        let documents: [YAMLDocument]
        do { documents = try decoder.decode(bytes, file: file) } catch { throw RenderError(error) }
        schema = try CustomSchema(documents.first?.value ?? .null, file: file)
        schema?.extendsBuiltIn = kustomization.isComponent
    }
}
