import Manifests

/// A deprecated `vars` entry: `$(NAME)` stands for the field `fieldPath` of the object
/// `objref` names.
struct Variable: Sendable {
    /// kustomize's default `fieldref.fieldpath`.
    static let defaultFieldPath = "metadata.name"

    var name: String
    /// The object, group, version, kind, name and namespace as `objref` gives them.
    var target: ResId
    var fieldPath: String

    /// Whether `id` is the var's object: group, version, kind and name exactly, and the
    /// namespace too when the var gives one or the kind is cluster-scoped.
    func names(_ id: ResId) -> Bool {
        (target.namespace.isEmpty && !target.isClusterScoped) ? target.sameGVKN(id) : target.matches(id)
    }

    /// Reads `vars` with kustomize's strict field checks.
    static func parse(_ kustomization: Kustomization) throws(RenderError) -> [Variable] {
        let parser = ReplacementParser(file: kustomization.file)
        func error(_ message: String) -> RenderError { kustomization.error("vars", message) }
        var result: [Variable] = []
        for entry in try kustomization.objects("vars") {
            let fields = try parser.fields(.object(entry), "vars", known: ["name", "objref", "fieldref"])
            let name = try parser.string(fields["name"], "name")
            guard !name.isEmpty else { throw error("every var needs a name") }
            let ref = try parser.fields(
                fields["objref"] ?? .object([:]), "objref",
                known: ["apiVersion", "group", "version", "kind", "name", "namespace"])
            var group = try parser.string(ref["group"], "objref.group")
            var version = try parser.string(ref["version"], "objref.version")
            let apiVersion = try parser.string(ref["apiversion"], "objref.apiVersion")
            if !apiVersion.isEmpty {
                let parts = apiVersion.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
                if parts.count == 2 { (group, version) = (parts[0], parts[1]) } else if parts.count == 1 { version = parts[0] }
            }
            let fieldRef = try parser.fields(fields["fieldref"] ?? .object([:]), "fieldref", known: ["fieldPath"])
            let path = try parser.string(fieldRef["fieldpath"], "fieldref.fieldPath")
            result.append(
                Variable(
                    name: name,
                    target: ResId(
                        group: group, version: version, kind: try parser.string(ref["kind"], "objref.kind"),
                        name: try parser.string(ref["name"], "objref.name"), namespace: try parser.string(ref["namespace"], "objref.namespace")),
                    fieldPath: path.isEmpty ? defaultFieldPath : path))
        }
        return result
    }
}

extension ResourceSet {
    /// Declares a kustomization's own vars: each is tied to the one object it names now (by any
    /// of its identities), among this kustomization's objects only, as kustomize's `MergeVars`
    /// does. So two bases may each name their own `svc` without ambiguity.
    mutating func declareVars(_ incoming: [Variable]) throws(RenderError) {
        for variable in incoming {
            let matched = indices.filter { resources[$0].anyId(variable.names) }
            guard matched.count <= 1 else {
                throw RenderError(.kustomization, "found \(matched.count) resId matches for var \(variable.name) (unable to disambiguate)")
            }
            if let index = matched.first { resources[index].refVarNames.append(variable.name) }
        }
        try mergeVars(incoming)
    }

    /// Adds var definitions from a base or this kustomization, refusing a name seen before.
    mutating func mergeVars(_ incoming: [Variable]) throws(RenderError) {
        for variable in incoming {
            if vars.contains(where: { $0.name == variable.name }) {
                throw RenderError(.kustomization, "var '\(variable.name)' already encountered")
            }
            vars.append(variable)
        }
    }
}

extension Build {
    func collectVars(_ kustomization: Kustomization, into set: inout ResourceSet) throws(RenderError) {
        do { try set.declareVars(try Variable.parse(kustomization)) } catch {
            throw error.message.hasPrefix(kustomization.file) ? error : kustomization.error("vars", error.message)
        }
    }

    /// Replaces `$(NAME)` in the var-reference fields once the whole build is done (after
    /// hashes and name references, so a var sees final names).
    func resolveVars(_ set: inout ResourceSet) throws(RenderError) {
        guard !set.vars.isEmpty else { return }
        var values: [String: JSONValue] = [:]
        for variable in set.vars {
            guard let resource = set.resources.first(where: { $0.refVarNames.contains(variable.name) }) else {
                throw RenderError(.transform, "var '\(variable.name)' cannot be mapped to a field in the set of known resources")
            }
            let value = KyamlPath.lookup(.object(resource.object), KyamlPath.parseVarPath(variable.fieldPath)[...])
            guard let value, !value.isNull else {
                throw RenderError(
                    .transform, "field specified in var '\(variable.name)' (\(variable.fieldPath)) not found in \(resource.currentId)")
            }
            values[variable.name] = value
        }
        let expansion = VarExpansion(values: values)
        for index in set.indices {
            for spec in set.config.varReferences {
                try FieldPath.apply(spec, to: &set.resources[index].object, leaf: .string) { field throws(RenderError) in
                    try expansion.expand(&field, path: spec.path)
                }
            }
        }
    }
}

/// `$(NAME)` expansion as kustomize's refvar filter does it: `$$` is a literal `$`, unknown
/// names stay as written, and a field that is exactly one `$(NAME)` takes the var's value
/// with its type (a number stays a number).
struct VarExpansion {
    let values: [String: JSONValue]

    /// Expands a string field, the string values of a map, or a list of strings.
    func expand(_ field: inout JSONValue, path: String) throws(RenderError) {
        switch field {
        case .string(let text):
            field = expand(text)
        case .object(var map):
            for (key, value) in map { if case .string(let text) = value { map[key] = expand(text) } }
            field = .object(map)
        case .array(var items):
            for index in items.indices {
                guard case .string(let text) = items[index] else {
                    throw RenderError(.transform, "\(path): invalid value type expect a string, found \(items[index].typeName)")
                }
                items[index] = expand(text)
            }
            field = .array(items)
        default:
            return
        }
    }

    func expand(_ input: String) -> JSONValue {
        let bytes = Array(input.utf8)
        var output: [UInt8] = []
        var cursor = 0
        while cursor < bytes.count {
            guard bytes[cursor] == UInt8(ascii: "$"), cursor + 1 < bytes.count else {
                output.append(bytes[cursor])
                cursor += 1
                continue
            }
            let next = bytes[cursor + 1]
            if next == UInt8(ascii: "$") {
                output.append(next)
                cursor += 2
            } else if next == UInt8(ascii: "("), let close = bytes[(cursor + 2)...].firstIndex(of: UInt8(ascii: ")")) {
                let name = String(decoding: bytes[(cursor + 2)..<close], as: UTF8.self)
                if let value = values[name] {
                    if cursor == 0 && close == bytes.count - 1 { return value }
                    output += Array(Self.text(value).utf8)
                } else {
                    output += bytes[cursor...close]
                }
                cursor = close + 1
            } else {
                output += [bytes[cursor], next]
                cursor += 2
            }
        }
        return .string(String(decoding: output, as: UTF8.self))
    }

    /// Go's `%v` of a var's value.
    static func text(_ value: JSONValue) -> String {
        switch value {
        case .object(let map): "map[" + map.map { "\($0.key):\(text($0.value))" }.sorted().joined(separator: " ") + "]"
        case .array(let items): "[" + items.map(text).joined(separator: " ") + "]"
        default: KyamlPath.scalarText(value) ?? ""
        }
    }
}
