import GitSource
import Manifests

extension Project {
    /// Reads and validates a Project: unknown fields, wrong types and bad globs are refused with
    /// the field named.
    public init(_ manifest: Manifest) throws(ApplicationError) {
        let id = "\(manifest.namespace)/\(manifest.name)"
        let reader = FieldReader(application: id, kind: Self.kind)
        guard manifest.apiVersion == Self.apiVersion, manifest.kind == Self.kind else {
            throw reader.error("apiVersion", "expected \(Self.apiVersion) \(Self.kind), found \(manifest.apiVersion) \(manifest.kind)")
        }
        let spec = try reader.object(
            manifest.object["spec"], "spec",
            allowed: [
                "description", "sourceRepos", "destinations", "clusterResourceAllowList", "namespaceResourceDenyList", "sourceNamespaces",
            ])
        _ = try reader.string(spec["description"], "spec.description")
        name = manifest.name
        sourceRepos = try Self.patterns(spec["sourceRepos"], "spec.sourceRepos", reader, normalise: Self.repositoryPattern)
        sourceNamespaces = try Self.patterns(spec["sourceNamespaces"], "spec.sourceNamespaces", reader)
        destinations = []
        for (index, item) in try reader.array(spec["destinations"], "spec.destinations").enumerated() {
            let field = "spec.destinations[\(index)]"
            let object = try reader.object(item, field, allowed: ["cluster", "namespace"])
            destinations.append(
                Destination(
                    cluster: try Self.pattern(try reader.string(object["cluster"], field + ".cluster") ?? "*", field + ".cluster", reader),
                    namespace: try Self.pattern(
                        try reader.string(object["namespace"], field + ".namespace", required: true), field + ".namespace", reader)))
        }
        clusterResourceAllowList = try Self.groupKinds(spec["clusterResourceAllowList"], "spec.clusterResourceAllowList", reader)
        namespaceResourceDenyList = try Self.groupKinds(spec["namespaceResourceDenyList"], "spec.namespaceResourceDenyList", reader)
    }

    private static func pattern(_ text: String, _ field: String, _ reader: FieldReader) throws(ApplicationError) -> PatternRule {
        do { return try PatternRule(text) } catch { throw reader.error(field, "\"\(text)\" is not a valid glob: \(error)") }
    }

    private static func patterns(
        _ value: JSONValue?, _ field: String, _ reader: FieldReader, normalise: (String) -> String = { $0 }
    ) throws(ApplicationError) -> [PatternRule] {
        var rules: [PatternRule] = []
        for (index, text) in try reader.strings(value, field).enumerated() {
            rules.append(try pattern(normalise(text), "\(field)[\(index)]", reader))
        }
        return rules
    }

    /// A `sourceRepos` entry spelled as `GitURL.matchKey` spells URLs (`!` and a lone `*` kept).
    static func repositoryPattern(_ text: String) -> String {
        let negated = text.hasPrefix("!")
        let body = negated ? String(text.dropFirst()) : text
        return (negated ? "!" : "") + (body == "*" ? body : GitURL.matchPattern(body))
    }

    private static func groupKinds(_ value: JSONValue?, _ field: String, _ reader: FieldReader) throws(ApplicationError) -> [GroupKindRule] {
        var rules: [GroupKindRule] = []
        for (index, item) in try reader.array(value, field).enumerated() {
            let object = try reader.object(item, "\(field)[\(index)]", allowed: ["group", "kind"])
            // `core` is how messages print the core group: it means the same here.
            let group = try reader.string(object["group"], "\(field)[\(index)].group") ?? ""
            rules.append(
                GroupKindRule(
                    group: group == "core" ? "" : group,
                    kind: try reader.string(object["kind"], "\(field)[\(index)].kind", required: true)))
        }
        return rules
    }
}
