/// One Kubernetes object as read from a file: an unstructured JSON object with typed
/// accessors for the fields the engine reads, and where it came from.
public struct Manifest: Sendable, Hashable {
    /// The whole object.
    public var object: JSONObject
    /// Where the object was read, when it was read from a file.
    public var source: SourceLocation?

    /// Wraps a value that must be an object with string `apiVersion`, `kind` and
    /// `metadata.name` (or `metadata.generateName`).
    public init(_ value: JSONValue, source: SourceLocation? = nil) throws(ManifestError) {
        try self.init(value, source: source, requiringAPIVersion: true)
    }

    /// As `init(_:source:)`; `requiringAPIVersion: false` accepts an object without one, as kustomize does.
    public init(_ value: JSONValue, source: SourceLocation?, requiringAPIVersion: Bool) throws(ManifestError) {
        let at = source ?? SourceLocation(file: "<input>")
        guard case .object(let object) = value else {
            throw ManifestError(.notAnObject, "document is not a Kubernetes object: found \(value.typeName)", at: at)
        }
        let apiVersion = object["apiVersion"]?.stringValue ?? ""
        guard !apiVersion.isEmpty || !requiringAPIVersion else {
            throw ManifestError(.notAnObject, "document has no apiVersion", at: at)
        }
        guard let kind = object["kind"]?.stringValue, !kind.isEmpty else {
            throw ManifestError(.notAnObject, apiVersion.isEmpty ? "document has no kind" : "document (\(apiVersion)) has no kind", at: at)
        }
        if let metadata = object["metadata"], metadata.objectValue == nil, !metadata.isNull {
            throw ManifestError(.notAnObject, "\(kind) has metadata that is not an object", at: at)
        }
        let metadata = object["metadata"]
        let hasName = !(metadata?["name"]?.stringValue ?? "").isEmpty
        let hasGenerateName = !(metadata?["generateName"]?.stringValue ?? "").isEmpty
        guard hasName || hasGenerateName else {
            throw ManifestError(.notAnObject, "\(kind) has no metadata.name", at: at)
        }
        self.object = object
        self.source = source
    }

    /// Creates a manifest from an object without checking it.
    public init(unchecked object: JSONObject, source: SourceLocation? = nil) {
        self.object = object
        self.source = source
    }

    /// The object as a value.
    public var value: JSONValue { .object(object) }

    /// `apiVersion`, e.g. `apps/v1`.
    public var apiVersion: String { object["apiVersion"]?.stringValue ?? "" }
    /// `kind`, e.g. `Deployment`.
    public var kind: String { object["kind"]?.stringValue ?? "" }
    /// The group part of `apiVersion`.
    public var group: String { ResourceKey.group(ofAPIVersion: apiVersion) }
    /// The version part of `apiVersion`.
    public var version: String {
        let api = apiVersion
        guard let slash = api.lastIndex(of: "/") else { return api }
        return String(api[api.index(after: slash)...])
    }
    /// `metadata.name` (or `metadata.generateName` when there is no name).
    public var name: String {
        metadata["name"]?.stringValue ?? metadata["generateName"]?.stringValue ?? ""
    }
    /// `metadata.namespace`, or empty.
    public var namespace: String {
        get { metadata["namespace"]?.stringValue ?? "" }
        set { setMetadata("namespace", newValue.isEmpty ? nil : .string(newValue)) }
    }
    /// `metadata.labels` as strings.
    public var labels: [String: String] { stringMap(metadata["labels"]) }
    /// `metadata.annotations` as strings.
    public var annotations: [String: String] { stringMap(metadata["annotations"]) }
    /// The object's identity.
    public var key: ResourceKey { ResourceKey(group: group, kind: kind, namespace: namespace, name: name) }
    /// `metadata.resourceVersion`, or nil.
    public var resourceVersion: String? { metadata["resourceVersion"]?.stringValue }
    /// `metadata.finalizers`: what must happen before an object marked for deletion goes.
    public var finalizers: [String] { (metadata["finalizers"]?.arrayValue ?? []).compactMap(\.stringValue) }
    /// Whether `metadata.deletionTimestamp` is set: the object goes once its finalizers are gone.
    public var isMarkedForDeletion: Bool { metadata["deletionTimestamp"].map { !$0.isNull } ?? false }

    /// Whether this is a later version of the object than `other`. Resource versions are
    /// compared as numbers, as etcd and the sandbox issue them; without one, a copy is not newer
    /// (and any copy is newer than one without).
    public func isNewer(than other: Manifest) -> Bool {
        guard let mine = resourceVersion.flatMap({ UInt64($0) }) else { return false }
        guard let theirs = other.resourceVersion.flatMap({ UInt64($0) }) else { return true }
        return mine > theirs
    }

    /// `metadata` as an object (empty when absent).
    public var metadata: JSONObject { object["metadata"]?.objectValue ?? [:] }

    /// Sets (or with `nil` removes) one `metadata` field.
    public mutating func setMetadata(_ field: String, _ value: JSONValue?) {
        var metadata = self.metadata
        metadata[field] = value
        object["metadata"] = .object(metadata)
    }

    /// Sets one label, creating `metadata.labels` when needed.
    public mutating func setLabel(_ key: String, _ value: String) {
        var labels = metadata["labels"]?.objectValue ?? [:]
        labels[key] = .string(value)
        setMetadata("labels", .object(labels))
    }

    /// Sets one annotation, creating `metadata.annotations` when needed.
    public mutating func setAnnotation(_ key: String, _ value: String) {
        var annotations = metadata["annotations"]?.objectValue ?? [:]
        annotations[key] = .string(value)
        setMetadata("annotations", .object(annotations))
    }

    private func stringMap(_ value: JSONValue?) -> [String: String] {
        guard let object = value?.objectValue else { return [:] }
        var result: [String: String] = [:]
        for (key, value) in object { if let s = value.stringValue { result[key] = s } }
        return result
    }
}

extension Manifest {
    /// The most objects one `List` may expand to, across nesting.
    public static let maximumListItems = 1_000_000

    /// Reads objects from decoded documents: each document must be a Kubernetes object, and a
    /// kind ending in `List` that has `items` is replaced by its items (recursively), as
    /// kustomize does. Empty documents were already dropped by the decoder.
    public static func objects(from documents: [YAMLDocument]) throws(ManifestError) -> [Manifest] {
        try objects(from: documents, requiringAPIVersion: true)
    }

    /// As `objects(from:)`; `requiringAPIVersion: false` accepts objects without one, as kustomize does.
    public static func objects(from documents: [YAMLDocument], requiringAPIVersion: Bool) throws(ManifestError) -> [Manifest] {
        var result: [Manifest] = []
        for document in documents {
            try append(document.value, at: document.location, requiringAPIVersion: requiringAPIVersion, into: &result)
        }
        return result
    }

    private static func append(
        _ value: JSONValue, at location: SourceLocation, requiringAPIVersion: Bool, into result: inout [Manifest]
    ) throws(ManifestError) {
        if case .object(let object) = value, let kind = object["kind"]?.stringValue, kind.hasSuffix("List"),
            let items = object["items"]
        {
            guard case .array(let elements) = items else {
                throw ManifestError(.notAnObject, "\(kind) has items that are not a list", at: location)
            }
            for element in elements where !element.isNull {
                guard result.count < maximumListItems else {
                    throw ManifestError(.tooLarge, "lists expand to more than \(maximumListItems) objects", at: location)
                }
                try append(element, at: location, requiringAPIVersion: requiringAPIVersion, into: &result)
            }
            return
        }
        result.append(try Manifest(value, source: location, requiringAPIVersion: requiringAPIVersion))
    }

    /// Decodes YAML or JSON text into objects; `file` names the source in errors.
    public static func decode(_ bytes: some Collection<UInt8>, file: String, decoder: YAMLDecoder = YAMLDecoder()) throws(ManifestError) -> [Manifest]
    {
        try objects(from: decoder.decode(bytes, file: file))
    }
}
