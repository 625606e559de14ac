import Manifests

/// The field tables one build uses: kustomize's defaults plus what `configurations` files add
/// (kustomize's `TransformerConfig`).
struct TransformerConfig: Sendable {
    var namePrefix: [FieldSpec] = [FieldSpec(path: "metadata/name")]
    var namespace: [FieldSpec] = FieldSpecs.namespace
    var commonLabels: [FieldSpec] = FieldSpecs.commonLabels
    var templateLabels: [FieldSpec] = FieldSpecs.templateLabels
    /// Where every `labels` entry also sets its pairs (none by default).
    var labels: [FieldSpec] = []
    var commonAnnotations: [FieldSpec] = FieldSpecs.commonAnnotations
    var images: [FieldSpec] = []
    var replicas: [FieldSpec] = FieldSpecs.replicas
    var nameReferences: [NameReference] = FieldSpecs.nameReferences
    var varReferences: [FieldSpec] = FieldSpecs.varReferences

    /// Adds the entries of `other` not already present.
    mutating func merge(_ other: TransformerConfig) {
        func add(_ mine: inout [FieldSpec], _ theirs: [FieldSpec]) {
            for spec in theirs where !mine.contains(spec) { mine.append(spec) }
        }
        add(&namePrefix, other.namePrefix)
        add(&namespace, other.namespace)
        add(&commonLabels, other.commonLabels)
        add(&templateLabels, other.templateLabels)
        add(&labels, other.labels)
        add(&commonAnnotations, other.commonAnnotations)
        add(&images, other.images)
        add(&replicas, other.replicas)
        add(&varReferences, other.varReferences)
        for reference in other.nameReferences { merge(nameReference: reference) }
    }

    /// Adds referrers to the entry for the same group, version and kind, or a new entry.
    mutating func merge(nameReference reference: NameReference) {
        if let index = nameReferences.firstIndex(where: {
            $0.kind == reference.kind && $0.group == reference.group && $0.version == reference.version
        }) {
            for spec in reference.referrers where !nameReferences[index].referrers.contains(spec) {
                nameReferences[index].referrers.append(spec)
            }
        } else {
            nameReferences.append(reference)
        }
    }

    /// No field specs at all, for files that add to the defaults.
    static var empty: TransformerConfig {
        var config = TransformerConfig()
        config.namePrefix = []
        config.namespace = []
        config.commonLabels = []
        config.templateLabels = []
        config.commonAnnotations = []
        config.replicas = []
        config.nameReferences = []
        config.varReferences = []
        return config
    }

    /// Reads a `configurations` file: lists of field specs under kustomize's table names.
    static func parse(_ value: JSONValue, file: String) throws(RenderError) -> TransformerConfig {
        var config = TransformerConfig.empty
        guard let object = value.objectValue else { throw RenderError(.kustomization, "\(file): expected a mapping of field specs") }
        // Go's JSON decoding matches the table names whatever their case (`commonlabels:`).
        for (key, entries) in object {
            switch key.lowercased() {
            case "nameprefix", "namesuffix": config.namePrefix += try specs(entries, file: file, table: key)
            case "namespace": config.namespace = try specs(entries, file: file, table: key)
            case "commonlabels": config.commonLabels = try specs(entries, file: file, table: key)
            case "templatelabels": config.templateLabels = try specs(entries, file: file, table: key)
            case "labels": config.labels = try specs(entries, file: file, table: key)
            case "commonannotations": config.commonAnnotations = try specs(entries, file: file, table: key)
            case "images": config.images = try specs(entries, file: file, table: key)
            case "replicas": config.replicas = try specs(entries, file: file, table: key)
            case "varreference": config.varReferences = try specs(entries, file: file, table: key)
            case "namereference":
                for entry in entries.arrayValue ?? [] {
                    guard let kind = entry["kind"]?.stringValue else {
                        throw RenderError(.kustomization, "\(file): nameReference: every entry needs a kind")
                    }
                    config.nameReferences.append(
                        NameReference(
                            group: entry["group"]?.stringValue ?? "", version: entry["version"]?.stringValue ?? "", kind: kind,
                            referrers: try specs(entry["fieldSpecs"] ?? .array([]), file: file, table: key)))
                }
            default:
                throw RenderError(.kustomization, "\(file): \(key): unknown field")
            }
        }
        return config
    }

    static func specs(_ value: JSONValue, file: String, table: String) throws(RenderError) -> [FieldSpec] {
        guard let items = value.arrayValue else { throw RenderError(.kustomization, "\(file): \(table): expected a list of field specs") }
        var result: [FieldSpec] = []
        for item in items {
            guard let path = item["path"]?.stringValue else { throw RenderError(.kustomization, "\(file): \(table): every field spec needs a path") }
            result.append(
                FieldSpec(
                    group: item["group"]?.stringValue ?? "", version: item["version"]?.stringValue ?? "",
                    kind: item["kind"]?.stringValue ?? "", path: path, create: item["create"]?.boolValue ?? false))
        }
        return result
    }
}

extension Build {
    /// Applies `configurations` files to the set's tables.
    mutating func loadConfigurations(_ kustomization: Kustomization, into set: inout ResourceSet) throws(RenderError) {
        for path in try kustomization.strings("configurations") {
            let bytes = try read(path, for: kustomization, field: "configurations")
            let documents: [YAMLDocument]
            do { documents = try decoder.decode(bytes, file: kustomization.path(path)) } catch { throw RenderError(error) }
            for document in documents {
                set.config.merge(try TransformerConfig.parse(document.value, file: kustomization.path(path)))
            }
        }
        try loadCRDs(kustomization, into: &set)
    }
}
