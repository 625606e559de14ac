import Manifests
import Render

extension ApplicationSpec {
    /// `spec.source.postBuild`: Flux's post-build variable substitution, run on every rendered
    /// object after the kustomize options (see `VariableSubstitution`).
    public struct PostBuild: Sendable, Hashable {
        /// `substitute`: variables given inline; they win over `substituteFrom`.
        public var substitute: [String: String] = [:]
        /// `substituteFrom`: ConfigMaps and Secrets of the Application's namespace whose data keys
        /// are variables, read in order, a later one winning.
        public var substituteFrom: [SubstituteReference] = []

        /// Creates empty options.
        public init() {}
    }

    /// One `spec.source.postBuild.substituteFrom` entry.
    public struct SubstituteReference: Sendable, Hashable {
        /// `ConfigMap` or `Secret`.
        public var kind: String
        /// The object's name, in the Application's namespace.
        public var name: String
        /// `optional`: a missing object is skipped instead of failing the render.
        public var optional = false
    }

    /// One `spec.info` entry: a note or link shown with the Application, as in Argo CD.
    public struct Info: Sendable, Hashable {
        /// What the entry is, e.g. `Owner`.
        public var name: String
        /// Its text or URL.
        public var value: String
    }
}

extension ApplicationSpec.PostBuild {
    /// Reads `spec.source.postBuild`.
    init(_ value: JSONValue, reader: inout FieldReader) throws(ApplicationError) {
        let field = "spec.source.postBuild"
        let object = try reader.object(value, field, allowed: ["substitute", "substituteFrom"])
        self.init()
        substitute = try reader.stringMap(object["substitute"], field + ".substitute")
        for name in substitute.keys.sorted() where !VariableSubstitution.isValidName(name) {
            throw reader.error(field + ".substitute." + name, "is not a variable name (\(VariableSubstitution.namePattern))")
        }
        for (index, item) in try reader.array(object["substituteFrom"], field + ".substituteFrom").enumerated() {
            let at = "\(field).substituteFrom[\(index)]"
            let entry = try reader.object(item, at, allowed: ["kind", "name", "optional"])
            let kind = try reader.string(entry["kind"], at + ".kind", required: true)
            guard kind == "ConfigMap" || kind == "Secret" else { throw reader.error(at + ".kind", "must be ConfigMap or Secret") }
            let name = try reader.string(entry["name"], at + ".name", required: true)
            guard Application.isDNSSubdomain(name) else { throw reader.error(at + ".name", "must be a DNS subdomain") }
            substituteFrom.append(
                ApplicationSpec.SubstituteReference(kind: kind, name: name, optional: try reader.bool(entry["optional"], at + ".optional") ?? false))
        }
    }
}

extension ApplicationSpec {
    /// Reads `spec.info`.
    static func info(_ value: JSONValue?, reader: inout FieldReader) throws(ApplicationError) -> [Info] {
        var info: [Info] = []
        for (index, item) in try reader.array(value, "spec.info").enumerated() {
            let at = "spec.info[\(index)]"
            let entry = try reader.object(item, at, allowed: ["name", "value"])
            info.append(
                Info(
                    name: try reader.string(entry["name"], at + ".name", required: true),
                    value: try reader.string(entry["value"], at + ".value") ?? ""))
        }
        return info
    }
}
