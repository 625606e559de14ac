import Manifests
import Render

extension ApplicationSpec {
    /// `spec.source.kustomize`: kustomize options laid over what the path renders (plain files or
    /// a kustomization), as an overlay whose one resource is the path: Argo CD's
    /// `spec.source.kustomize` and Flux's `targetNamespace`, `commonMetadata`, `images`, `patches`.
    public struct KustomizeOptions: Sendable, Hashable {
        /// `namePrefix`: prepended to every name (and the references to it).
        public var namePrefix = ""
        /// `nameSuffix`: appended to every name (and the references to it).
        public var nameSuffix = ""
        /// `namespace`: the namespace of every namespaced object.
        public var namespace = ""
        /// `commonLabels`: labels on metadata, selectors and templates.
        public var commonLabels: [String: String] = [:]
        /// `labels`: labels on metadata only.
        public var labels: [String: String] = [:]
        /// `commonAnnotations`: annotations on every object.
        public var commonAnnotations: [String: String] = [:]
        /// `images`: image name, tag and digest overrides.
        public var images: [Image] = []
        /// `patches`: kustomize `patches` entries, inline (`patch`, `target`, `options`).
        public var patches: [JSONValue] = []
        /// `replicas`: replica counts by object name.
        public var replicas: [Replica] = []

        /// Creates empty options.
        public init() {}

        /// The options as the kustomization fields of an overlay.
        public var overlay: KustomizeOverlay {
            get throws(RenderError) {
                var fields = JSONObject()
                for (key, value) in [("namePrefix", namePrefix), ("nameSuffix", nameSuffix), ("namespace", namespace)] where !value.isEmpty {
                    fields[key] = .string(value)
                }
                func map(_ pairs: [String: String]) -> JSONValue {
                    var object = JSONObject()
                    for key in pairs.keys.sorted() { object[key] = .string(pairs[key]!) }
                    return .object(object)
                }
                if !commonLabels.isEmpty { fields["commonLabels"] = map(commonLabels) }
                if !labels.isEmpty { fields["labels"] = [["pairs": map(labels)]] }
                if !commonAnnotations.isEmpty { fields["commonAnnotations"] = map(commonAnnotations) }
                if !images.isEmpty { fields["images"] = .array(images.map(\.json)) }
                if !patches.isEmpty { fields["patches"] = .array(patches) }
                if !replicas.isEmpty {
                    fields["replicas"] = .array(replicas.map { ["name": .string($0.name), "count": .number(JSONNumber(Int64($0.count)))] })
                }
                return try KustomizeOverlay(fields, name: "spec.source.kustomize")
            }
        }

        /// Whether no option is set.
        public var isEmpty: Bool { self == KustomizeOptions() }
    }

    /// One `spec.source.kustomize.images` entry.
    public struct Image: Sendable, Hashable {
        /// The image name matched (without tag or digest).
        public var name: String
        /// `newName`: the name it becomes.
        public var newName = ""
        /// `newTag`: the tag it gets.
        public var newTag = ""
        /// `digest`: the digest it gets (wins over a tag).
        public var digest = ""

        var json: JSONValue {
            var object: JSONObject = ["name": .string(name)]
            for (key, value) in [("newName", newName), ("newTag", newTag), ("digest", digest)] where !value.isEmpty {
                object[key] = .string(value)
            }
            return .object(object)
        }

        /// Reads Argo CD's string form, as `kustomize edit set image` does: `name:tag`,
        /// `name@digest`, `name=newName`, `name=newName:tag` or `name=newName@digest`; nil when it
        /// sets nothing.
        public init?(argo text: String) {
            if let equals = text.firstIndex(of: "=") {
                name = String(text[..<equals])
                let (newName, tag, digest) = Self.split(String(text[text.index(after: equals)...]))
                (self.newName, newTag, self.digest) = (newName, tag, digest)
                guard !name.isEmpty, !newName.isEmpty else { return nil }
            } else {
                let (name, tag, digest) = Self.split(text)
                (self.name, newTag, self.digest) = (name, tag, digest)
                guard !name.isEmpty, !tag.isEmpty || !digest.isEmpty else { return nil }
            }
        }

        /// Creates an entry.
        public init(name: String, newName: String = "", newTag: String = "", digest: String = "") {
            (self.name, self.newName, self.newTag, self.digest) = (name, newName, newTag, digest)
        }

        /// `name[:tag|@digest]`, the tag's colon being one after the last `/` (a registry's port is not a tag).
        static func split(_ reference: String) -> (name: String, tag: String, digest: String) {
            if let at = reference.firstIndex(of: "@") {
                return (String(reference[..<at]), "", String(reference[reference.index(after: at)...]))
            }
            let lastSlash = reference.lastIndex(of: "/") ?? reference.startIndex
            if let colon = reference[lastSlash...].lastIndex(of: ":") {
                return (String(reference[..<colon]), String(reference[reference.index(after: colon)...]), "")
            }
            return (reference, "", "")
        }
    }

    /// One `spec.source.kustomize.replicas` entry.
    public struct Replica: Sendable, Hashable {
        /// The object's name (before any prefix or suffix).
        public var name: String
        /// The replica count.
        public var count: Int
    }
}

extension ApplicationSpec.KustomizeOptions {
    /// Reads `spec.source.kustomize`.
    init(_ value: JSONValue, reader: inout FieldReader) throws(ApplicationError) {
        let field = "spec.source.kustomize"
        let object = try reader.object(value, field, allowed: KustomizeOverlay.allowedFields)
        self.init()
        namePrefix = try reader.string(object["namePrefix"], field + ".namePrefix") ?? ""
        nameSuffix = try reader.string(object["nameSuffix"], field + ".nameSuffix") ?? ""
        namespace = try reader.string(object["namespace"], field + ".namespace") ?? ""
        if !namespace.isEmpty, !Application.isDNSLabel(namespace) {
            throw reader.error(field + ".namespace", "must be a DNS label (lowercase letters, digits, '-', at most 63)")
        }
        commonLabels = try reader.stringMap(object["commonLabels"], field + ".commonLabels")
        labels = try reader.stringMap(object["labels"], field + ".labels")
        commonAnnotations = try reader.stringMap(object["commonAnnotations"], field + ".commonAnnotations")
        for (index, item) in try reader.array(object["images"], field + ".images").enumerated() {
            let at = "\(field).images[\(index)]"
            if let text = item.stringValue {
                guard let image = ApplicationSpec.Image(argo: text) else {
                    throw reader.error(at, "\"\(text)\" sets nothing: give name:tag, name@digest, name=newName or name=newName:tag")
                }
                images.append(image)
                continue
            }
            let entry = try reader.object(item, at, allowed: ["name", "newName", "newTag", "digest"])
            images.append(
                ApplicationSpec.Image(
                    name: try reader.string(entry["name"], at + ".name", required: true),
                    newName: try reader.string(entry["newName"], at + ".newName") ?? "",
                    newTag: try reader.string(entry["newTag"], at + ".newTag") ?? "",
                    digest: try reader.string(entry["digest"], at + ".digest") ?? ""))
        }
        for (index, item) in try reader.array(object["patches"], field + ".patches").enumerated() {
            let at = "\(field).patches[\(index)]"
            let entry = try reader.object(item, at, allowed: ["patch", "target", "options"])
            _ = try reader.string(entry["patch"], at + ".patch", required: true)
            if let target = entry["target"] {
                _ = try reader.object(
                    target, at + ".target", allowed: ["group", "version", "kind", "name", "namespace", "labelSelector", "annotationSelector"])
            }
            patches.append(item)
        }
        for (index, item) in try reader.array(object["replicas"], field + ".replicas").enumerated() {
            let at = "\(field).replicas[\(index)]"
            let entry = try reader.object(item, at, allowed: ["name", "count"])
            let name = try reader.string(entry["name"], at + ".name", required: true)
            // Argo CD writes the count as a number or a numeric string.
            guard let count = entry["count"]?.intValue ?? entry["count"]?.stringValue.flatMap({ Int64($0) }), count >= 0, count <= Int32.max
            else { throw reader.error(at + ".count", "must be a whole number from 0") }
            replicas.append(ApplicationSpec.Replica(name: name, count: Int(count)))
        }
        do { _ = try overlay } catch { throw reader.error(field, error.message) }
    }
}
