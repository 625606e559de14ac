import Manifests

/// `crds`: OpenAPI definition files (`{"group.version.Kind": {"Schema": {...}}}`) whose
/// `x-kubernetes-*` property extensions add field specs for custom kinds, as kustomize's
/// `LoadConfigFromCRDs` reads them.
enum CRDSchema {
    /// Property extensions and the table each adds to (policy as data).
    enum Table { case commonAnnotations, commonLabels, namePrefix }
    static let tableExtensions: [(key: String, table: Table)] = [
        ("x-kubernetes-annotation", .commonAnnotations),
        ("x-kubernetes-label-selector", .commonLabels),
        ("x-kubernetes-identity", .namePrefix),
    ]
    /// A property naming another object: its version, its kind, and the key of the name
    /// inside the property ("name" when absent).
    static let referenceVersion = "x-kubernetes-object-ref-api-version"
    static let referenceKind = "x-kubernetes-object-ref-kind"
    static let referenceNameKey = "x-kubernetes-object-ref-name-key"
    /// How deep `$ref`s are followed (kustomize has no limit and recurses forever on a cycle).
    static let maximumDepth = 32

    /// The field tables the definitions in `document` add.
    static func config(_ document: JSONValue, file: String) throws(RenderError) -> TransformerConfig {
        guard let definitions = document.objectValue else {
            throw RenderError(.kustomization, "\(file): unable to parse open API definition: expected a mapping")
        }
        var config = TransformerConfig.empty
        for (name, definition) in definitions {
            let properties = self.properties(definition)
            guard ["kind", "apiVersion", "metadata"].allSatisfy({ properties[$0] != nil }) else { continue }
            guard name.split(separator: ".", omittingEmptySubsequences: false).count >= 3 else {
                throw RenderError(.kustomization, "\(file): \(name): `api` should be specified in dot notation: group.version.kind")
            }
            let kind = String(name.split(separator: ".", omittingEmptySubsequences: false).last ?? "")
            try load(name, kind: kind, path: [], definitions: definitions, into: &config, file: file)
        }
        return config
    }

    /// A definition's `Schema.properties` (Go's JSON decoding matches `Schema` in any case).
    private static func properties(_ definition: JSONValue) -> JSONObject {
        guard let object = definition.objectValue else { return [:] }
        let schema = object.first { $0.key.lowercased() == "schema" }?.value
        return schema?["properties"]?.objectValue ?? [:]
    }

    private static func load(
        _ typeName: String, kind: String, path: [String], definitions: JSONObject, into config: inout TransformerConfig, file: String
    ) throws(RenderError) {
        guard let definition = definitions[typeName] else { return }
        guard path.count < maximumDepth else { throw RenderError(.kustomization, "\(file): \(typeName): $ref nested too deep (a cycle?)") }
        for (property, schema) in properties(definition) {
            let here = path + [property]
            func spec(_ parts: [String]) -> FieldSpec { FieldSpec(kind: kind, path: parts.joined(separator: "/")) }
            for (key, table) in tableExtensions where extensionString(schema, key) != nil {
                switch table {
                case .commonAnnotations: config.commonAnnotations.append(spec(here))
                case .commonLabels: config.commonLabels.append(spec(here))
                case .namePrefix: config.namePrefix.append(spec(here))
                }
            }
            if let version = extensionString(schema, referenceVersion), let target = extensionString(schema, referenceKind) {
                let nameKey = extensionString(schema, referenceNameKey) ?? "name"
                config.merge(nameReference: NameReference(version: version, kind: target, referrers: [spec(here + [nameKey])]))
            }
            if let ref = schema["$ref"]?.stringValue, !ref.isEmpty {
                try load(ref, kind: kind, path: here, definitions: definitions, into: &config, file: file)
            }
        }
    }

    /// A string-valued extension; extension keys compare case-insensitively.
    private static func extensionString(_ schema: JSONValue, _ key: String) -> String? {
        schema.objectValue?.first { $0.key.lowercased() == key }?.value.stringValue
    }
}

extension Build {
    mutating func loadCRDs(_ kustomization: Kustomization, into set: inout ResourceSet) throws(RenderError) {
        for path in try kustomization.strings("crds") {
            let file = kustomization.path(path)
            let bytes = try read(path, for: kustomization, field: "crds")
            let documents: [YAMLDocument]
            do { documents = try decoder.decode(bytes, file: file) } catch { throw RenderError(error) }
            set.config.merge(try CRDSchema.config(documents.first?.value ?? .object([:]), file: file))
        }
    }
}
