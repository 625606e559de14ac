import Manifests

/// One `replacements` entry: copy the value at a source object's field into target fields.
struct Replacement: Sendable {
    /// kustomize's default for a source `fieldPath` and for target `fieldPaths`.
    static let defaultFieldPath = "metadata.name"

    /// Group, version, kind, name and namespace compared exactly (empty matches anything).
    struct IdSelector: Sendable {
        var group = "", version = "", kind = "", name = "", namespace = ""

        static let keys: Set<String> = ["group", "version", "kind", "name", "namespace"]

        var isEmpty: Bool { [group, version, kind, name, namespace].allSatisfy(\.isEmpty) }

        /// kustomize's `ResId.IsSelectedBy`.
        func selects(_ id: ResId) -> Bool {
            (name.isEmpty || name == id.name) && (namespace.isEmpty || namespace == id.effectiveNamespace)
                && (group.isEmpty || group == id.group) && (version.isEmpty || version == id.version)
                && (kind.isEmpty || kind == id.kind)
        }
    }

    /// A target `select` or `reject` entry: an id plus label and annotation selectors.
    struct Selector: Sendable {
        var id = IdSelector()
        var labels: LabelSelector?
        var annotations: LabelSelector?

        var hasMetadataSelectors: Bool { labels != nil || annotations != nil }

        func metadataMatches(_ resource: KResource) -> Bool {
            resource.labelsMatch(labels) && resource.annotationsMatch(annotations)
        }
    }

    /// `options`: split a scalar by `delimiter` and use part `index`; create missing targets.
    struct Options: Sendable {
        var delimiter = ""
        var index = 0
        var create = false
    }

    struct Target: Sendable {
        var select: Selector
        var reject: [Selector]
        var fieldPaths: [String]
        var options: Options
    }

    var source: IdSelector
    var sourcePath: String
    var sourceOptions: Options
    var targets: [Target]
}

/// Reads replacement entries with kustomize's strict field checks (Go's JSON decoding, so
/// keys match case-insensitively), naming the file and the field in errors.
struct ReplacementParser {
    let file: String

    func error(_ message: String) -> RenderError {
        RenderError(.kustomization, "\(file): replacements: \(message)")
    }

    /// The fields of `value`, lowercased, refusing any not in `known`.
    func fields(_ value: JSONValue, _ what: String, known: Set<String>) throws(RenderError) -> [String: JSONValue] {
        guard let object = value.objectValue else { throw error("\(what): expected a mapping, found \(value.typeName)") }
        let lowered = Set(known.map { $0.lowercased() })
        var result: [String: JSONValue] = [:]
        for (key, item) in object {
            guard lowered.contains(key.lowercased()) else { throw error("\(what): unknown field \"\(key)\"") }
            result[key.lowercased()] = item
        }
        return result
    }

    func string(_ value: JSONValue?, _ what: String) throws(RenderError) -> String {
        guard let value, !value.isNull else { return "" }
        guard let text = Kustomization.scalarString(value) else { throw error("\(what): expected a string, found \(value.typeName)") }
        return text
    }

    func replacement(_ value: JSONValue) throws(RenderError) -> Replacement {
        let object = try fields(value, "replacement", known: ["source", "targets"])
        guard let sourceValue = object["source"], !sourceValue.isNull, let targetValues = object["targets"], !targetValues.isNull else {
            throw error("replacements must specify a source and at least one target")
        }
        let source = try fields(sourceValue, "source", known: Replacement.IdSelector.keys.union(["fieldPath", "options"]))
        guard let targetList = targetValues.arrayValue else { throw error("targets: expected a list") }
        var path = try string(source["fieldpath"], "source.fieldPath")
        if path.isEmpty { path = Replacement.defaultFieldPath }
        return Replacement(
            source: try idSelector(source, "source"), sourcePath: path,
            sourceOptions: try options(source["options"], "source.options"),
            targets: try targetList.map { item throws(RenderError) in try target(item) })
    }

    private func target(_ value: JSONValue) throws(RenderError) -> Replacement.Target {
        let object = try fields(value, "target", known: ["select", "reject", "fieldPaths", "options"])
        guard let select = object["select"], !select.isNull else { throw error("target must specify resources to select") }
        var paths: [String] = []
        for item in object["fieldpaths"]?.arrayValue ?? [] { paths.append(try string(item, "fieldPaths")) }
        return Replacement.Target(
            select: try selector(select, "select"),
            reject: try (object["reject"]?.arrayValue ?? []).map { item throws(RenderError) in try selector(item, "reject") },
            fieldPaths: paths.isEmpty ? [Replacement.defaultFieldPath] : paths,
            options: try options(object["options"], "target.options"))
    }

    private func idSelector(_ object: [String: JSONValue], _ what: String) throws(RenderError) -> Replacement.IdSelector {
        Replacement.IdSelector(
            group: try string(object["group"], what), version: try string(object["version"], what),
            kind: try string(object["kind"], what), name: try string(object["name"], what),
            namespace: try string(object["namespace"], what))
    }

    private func selector(_ value: JSONValue, _ what: String) throws(RenderError) -> Replacement.Selector {
        let object = try fields(value, what, known: Replacement.IdSelector.keys.union(["labelSelector", "annotationSelector"]))
        let labels = try string(object["labelselector"], what)
        let annotations = try string(object["annotationselector"], what)
        return Replacement.Selector(
            id: try idSelector(object, what),
            labels: labels.isEmpty ? nil : try labelSelector(labels, what),
            annotations: annotations.isEmpty ? nil : try labelSelector(annotations, what))
    }

    private func labelSelector(_ text: String, _ what: String) throws(RenderError) -> LabelSelector {
        do { return try LabelSelector(text) } catch { throw self.error("\(what): \(error.description)") }
    }

    private func options(_ value: JSONValue?, _ what: String) throws(RenderError) -> Replacement.Options {
        guard let value, !value.isNull else { return Replacement.Options() }
        let object = try fields(value, what, known: ["delimiter", "index", "create", "encoding"])
        if let encoding = object["encoding"], !Kustomization.isEmpty(encoding) {
            throw RenderError(.unsupported, "\(file): replacements: \(what).encoding is not supported")
        }
        var options = Replacement.Options(delimiter: try string(object["delimiter"], what))
        if let index = object["index"], !index.isNull {
            guard let number = index.intValue else { throw error("\(what).index: expected an integer, found \(index.typeName)") }
            options.index = Int(number)
        }
        if let create = object["create"], !create.isNull {
            guard let flag = create.boolValue else { throw error("\(what).create: expected a boolean, found \(create.typeName)") }
            options.create = flag
        }
        return options
    }
}
