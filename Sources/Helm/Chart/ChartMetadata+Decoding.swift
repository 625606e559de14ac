import GoTemplate

/// Reads YAML documents into the metadata types the way Helm does (`sigs.k8s.io/yaml` into Go
/// structs): field names match case-insensitively, scalars fill string fields as their text
/// (`1.10` reads as `1.1`), and a wrong shape fails with Go's `json` wording.
struct StructDecoder {
    /// The Go struct name in errors (`Metadata`, `Dependency`).
    var structName: String
    /// The document's fields.
    var fields: [String: Value]

    /// Reads `value` as an object; null is an empty object.
    init(_ value: Value, structName: String) throws(ChartError) {
        self.structName = structName
        switch value {
        case .map(let map): fields = map.entries
        case .null: fields = [:]
        default: throw ChartError(.invalidMetadata, "json: cannot unmarshal \(Self.jsonKind(value)) into Go value of type chart.\(structName)")
        }
    }

    /// The field `name`, matched as Go's `encoding/json` does (exact, then case-insensitively).
    func raw(_ name: String) -> Value? {
        if let value = fields[name] { return value }
        return fields.first { $0.key.lowercased() == name.lowercased() }?.value
    }

    func string(_ name: String) throws(ChartError) -> String {
        guard let value = raw(name) else { return "" }
        guard let text = try Self.scalarText(value) else { throw mismatch(name, value, "string") }
        return text
    }

    func strings(_ name: String) throws(ChartError) -> [String] {
        guard let value = raw(name) else { return [] }
        switch value {
        case .null: return []
        case .list(let items, _):
            var out: [String] = []
            for item in items {
                guard let text = try Self.scalarText(item) else { throw mismatch(name, item, "string") }
                out.append(text)
            }
            return out
        default: throw mismatch(name, value, "[]string")
        }
    }

    func bool(_ name: String) throws(ChartError) -> Bool {
        guard let value = raw(name) else { return false }
        switch value {
        case .null: return false
        case .bool(let flag): return flag
        default: throw mismatch(name, value, "bool")
        }
    }

    func stringMap(_ name: String) throws(ChartError) -> [String: String] {
        guard let value = raw(name) else { return [:] }
        switch value {
        case .null: return [:]
        case .map(let goMap):
            let map = goMap.entries
            var out: [String: String] = [:]
            for (key, item) in map {
                guard let text = try Self.scalarText(item) else { throw mismatch(name, item, "string") }
                out[key] = text
            }
            return out
        default: throw mismatch(name, value, "map[string]string")
        }
    }

    func list(_ name: String) throws(ChartError) -> [Value]? {
        guard let value = raw(name) else { return nil }
        switch value {
        case .null: return nil
        case .list(let items, _): return items
        default: throw mismatch(name, value, "[]")
        }
    }

    func mismatch(_ name: String, _ value: Value, _ type: String) -> ChartError {
        ChartError(.invalidMetadata, "json: cannot unmarshal \(Self.jsonKind(value)) into Go struct field \(structName).\(name) of type \(type)")
    }

    /// A scalar as `sigs.k8s.io/yaml` writes it into a string field; nil for lists and maps.
    static func scalarText(_ value: Value) throws(ChartError) -> String? {
        switch value {
        case .null: return ""
        case .string(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number, _): return String(number)
        // YAML integers print as integers; other floats go through float32 formatting
        // (`FormatFloat(f, 'g', -1, 32)`).
        case .float(let number) where number.rounded() == number && abs(number) < 1e15: return String(Int64(number))
        case .float(let number): return GoFloat.format(Double(Float(number).description) ?? number, "g")
        default: return nil
        }
    }

    static func jsonKind(_ value: Value) -> String {
        switch value {
        case .list, .bytes: "array"
        case .map, .object: "object"
        case .string: "string"
        case .int, .float: "number"
        case .bool: "bool"
        case .null: "null"
        }
    }
}

extension ChartMetadata {
    /// Reads `Chart.yaml`'s document.
    init(document: Value) throws(ChartError) {
        let d = try StructDecoder(document, structName: "Metadata")
        self.init()
        (apiVersion, name, home, version) = (try d.string("apiVersion"), try d.string("name"), try d.string("home"), try d.string("version"))
        (description, icon, condition, tags) = (try d.string("description"), try d.string("icon"), try d.string("condition"), try d.string("tags"))
        (appVersion, kubeVersion, type) = (try d.string("appVersion"), try d.string("kubeVersion"), try d.string("type"))
        (sources, keywords) = (try d.strings("sources"), try d.strings("keywords"))
        deprecated = try d.bool("deprecated")
        annotations = try d.stringMap("annotations")
        if let items = try d.list("maintainers") {
            maintainers = []
            for item in items {
                if case .null = item { throw ChartError(.invalidMetadata, "validation: maintainers must not contain empty or null nodes") }
                let m = try StructDecoder(item, structName: "Maintainer")
                maintainers.append(Maintainer(name: try m.string("name"), email: try m.string("email"), url: try m.string("url")))
            }
        }
        if let items = try d.list("dependencies") { dependencies = try ChartDependency.list(items) }
    }

    /// Reads `dependencies:` from `requirements.yaml` over what `Chart.yaml` set.
    mutating func readRequirements(_ document: Value) throws(ChartError) {
        let d = try StructDecoder(document, structName: "Metadata")
        if let items = try d.list("dependencies") { dependencies = try ChartDependency.list(items) }
    }
}

extension ChartDependency {
    /// Dependencies from a `dependencies:` list; a null entry fails as Helm's validation does.
    static func list(_ items: [Value]) throws(ChartError) -> [ChartDependency] {
        var out: [ChartDependency] = []
        for item in items {
            if case .null = item { throw ChartError(.invalidMetadata, "validation: dependencies must not contain empty or null nodes") }
            let d = try StructDecoder(item, structName: "Dependency")
            var dependency = ChartDependency()
            (dependency.name, dependency.version, dependency.repository) = (try d.string("name"), try d.string("version"), try d.string("repository"))
            (dependency.condition, dependency.alias) = (try d.string("condition"), try d.string("alias"))
            dependency.tags = try d.strings("tags")
            dependency.enabled = try d.bool("enabled")
            dependency.importValues = try d.list("import-values") ?? []
            out.append(dependency)
        }
        return out
    }
}

extension ChartLock {
    /// Reads `Chart.lock`.
    init(document: Value) throws(ChartError) {
        let d = try StructDecoder(document, structName: "Lock")
        self.init()
        (generated, digest) = (try d.string("generated"), try d.string("digest"))
        if let items = try d.list("dependencies") { dependencies = try ChartDependency.list(items) }
    }
}
