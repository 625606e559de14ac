import Manifests

/// kustomize's identity of a resource: group, version, kind, name and namespace. Unlike
/// `ResourceKey`, the version is part of it, and an empty namespace equals `default`.
struct ResId: Hashable, Sendable, CustomStringConvertible {
    var group: String
    var version: String
    var kind: String
    var name: String
    var namespace: String

    init(group: String, version: String, kind: String, name: String, namespace: String) {
        self.group = group
        self.version = version
        self.kind = kind
        self.name = name
        self.namespace = namespace
    }

    init(_ object: JSONObject) {
        let apiVersion = object["apiVersion"]?.stringValue ?? ""
        if let slash = apiVersion.firstIndex(of: "/") {
            group = String(apiVersion[..<slash])
            version = String(apiVersion[apiVersion.index(after: slash)...])
        } else {
            group = ""
            version = apiVersion
        }
        kind = object["kind"]?.stringValue ?? ""
        name = object["metadata"]?["name"]?.stringValue ?? ""
        namespace = object["metadata"]?["namespace"]?.stringValue ?? ""
    }

    /// What kustomize compares identities by: `default` and an empty namespace are one.
    struct Key: Hashable {
        var group: String, version: String, kind: String, name: String, namespace: String
    }

    var key: Key { Key(group: group, version: version, kind: kind, name: name, namespace: effectiveNamespace) }

    /// The namespace with `default` for empty, as kustomize compares namespaces.
    var effectiveNamespace: String { namespace.isEmpty ? "default" : namespace }

    /// Whether the kind is known to be cluster-scoped.
    var isClusterScoped: Bool { ResourceScope.isClusterScoped(group: group, kind: kind) }

    /// Same group, version, kind and name; namespaces compared as kustomize does.
    func matches(_ other: ResId) -> Bool {
        sameGVKN(other) && (effectiveNamespace == other.effectiveNamespace)
    }

    /// Same group, version, kind and name, ignoring the namespace.
    func sameGVKN(_ other: ResId) -> Bool {
        group == other.group && version == other.version && kind == other.kind && name == other.name
    }

    /// Same namespace, `default` and empty being equal.
    func sameNamespace(_ other: ResId) -> Bool { effectiveNamespace == other.effectiveNamespace }

    var description: String {
        let gvk = [kind, version.isEmpty ? "[noVer]" : version, group.isEmpty ? "[noGrp]" : group].joined(separator: ".")
        return "\(gvk)/\(name).\(namespace.isEmpty ? "[noNs]" : namespace)"
    }
}

/// Where kustomize says an object came from: its `config.kubernetes.io/origin` annotation.
enum Origin: Sendable, Hashable {
    /// Read from a file (relative to the render root).
    case file(String)
    /// Made by a generator of a kustomization (its file relative to the render root); `name` is
    /// the plugin config's, when a `generators` entry configured it.
    case generator(kind: String, configuredIn: String, name: String?)

    /// The annotation's text, with paths relative to `directory` (the top kustomization's).
    func annotation(relativeTo directory: String) -> String {
        switch self {
        case .file(let path):
            return YAMLEncoder.encode(.object(["path": .string(Self.relative(path, to: directory))]))
        case .generator(let kind, let file, let name):
            var by: JSONObject = ["apiVersion": "builtin", "kind": .string(kind)]
            if let name { by["name"] = .string(name) }
            return YAMLEncoder.encode(.object(["configuredIn": .string(Self.relative(file, to: directory)), "configuredBy": .object(by)]))
        }
    }

    /// `path` (relative to the root) as seen from `directory` (relative to the root): `../base/x.yaml`.
    static func relative(_ path: String, to directory: String) -> String {
        let from = directory.split(separator: "/").filter { $0 != "." }
        let to = path.split(separator: "/")
        var common = 0
        while common < from.count, common < to.count - 1, from[common] == to[common] { common += 1 }
        return (Array(repeating: "..", count: from.count - common) + to[common...].map(String.init)).joined(separator: "/")
    }
}

/// How a generated ConfigMap or Secret joins resources with the same identity.
enum GeneratorBehavior: String, Sendable {
    case create, merge, replace
}

/// One resource during a kustomize build: the object and what kustomize tracks beside it.
struct KResource: Sendable {
    /// The object.
    var object: JSONObject
    /// Every identity the object had before its current one, oldest first.
    var previousIds: [ResId] = []
    /// Prefixes and suffixes applied so far, used to pick among same-named referral targets.
    var prefixes: [String] = []
    var suffixes: [String] = []
    /// Whether the name gets a content hash at the end of the build (generated objects).
    var needsHash = false
    /// How a generated object joins an existing one.
    var behavior: GeneratorBehavior = .create
    /// Where the object came from, for `buildMetadata: [originAnnotations]`.
    var origin: Origin?
    /// The vars whose value is read from this object.
    var refVarNames: [String] = []
    /// Where the object was read, for errors.
    var source: String

    init(object: JSONObject, source: String) {
        self.object = object
        self.source = source
    }

    /// Whether a Helm chart rendered this object: namespace transformers leave it alone.
    var fromHelmChart: Bool {
        if case .generator(kind: "HelmChartInflationGenerator", _, _) = origin { true } else { false }
    }

    var currentId: ResId { ResId(object) }
    /// The identity the object had when first read.
    var originalId: ResId { previousIds.first ?? currentId }
    var kind: String { object["kind"]?.stringValue ?? "" }
    var name: String { object["metadata"]?["name"]?.stringValue ?? "" }
    var namespace: String { object["metadata"]?["namespace"]?.stringValue ?? "" }

    /// Whether any identity, current or previous, satisfies `predicate`.
    func anyId(_ predicate: (ResId) -> Bool) -> Bool {
        predicate(currentId) || previousIds.contains(where: predicate)
    }

    /// Records the current identity before a rename or namespace change.
    mutating func storePreviousId() { previousIds.append(currentId) }

    /// Sets (or, with nil, removes) `metadata.<field>`, editing metadata in place.
    mutating func setMetadata(_ field: String, _ value: JSONValue?) {
        if case .object = object["metadata"] {
            object["metadata"]?[field] = value
        } else {
            object["metadata"] = .object(value.map { [field: $0] } ?? [:])
        }
    }

    mutating func setName(_ name: String) { setMetadata("name", .string(name)) }
    mutating func setNamespace(_ namespace: String) { setMetadata("namespace", namespace.isEmpty ? nil : .string(namespace)) }

    /// Makes every annotation value a string, as kustomize does when it strips its build
    /// annotations at the end (`1` → `"1"`; an empty or null value → `""`).
    mutating func stringifyAnnotations() {
        guard let annotations = object["metadata"]?["annotations"]?.objectValue else { return }
        var strings = annotations
        for (key, value) in annotations {
            switch value {
            case .string, .object, .array: continue
            case .null: strings[key] = .string("")
            default: strings[key] = .string(KyamlPath.scalarText(value) ?? "")
            }
        }
        if strings != annotations { setMetadata("annotations", .object(strings)) }
    }

    /// `metadata.labels` or `annotations` as ordered string pairs.
    func stringMap(_ field: String) -> JSONObject { object["metadata"]?[field]?.objectValue ?? [:] }

    func labelsMatch(_ selector: LabelSelector?) -> Bool { selector?.matches(stringMap("labels")) ?? true }
    func annotationsMatch(_ selector: LabelSelector?) -> Bool { selector?.matches(stringMap("annotations")) ?? true }
}
