import Manifests

/// An API group, version and kind, e.g. `apps/v1 Deployment`.
public struct GroupVersionKind: Sendable, Hashable, CustomStringConvertible {
    /// The group; empty for the core group.
    public var group: String
    /// The version, e.g. `v1`.
    public var version: String
    /// The kind, e.g. `Deployment`.
    public var kind: String

    /// Creates a GVK from its parts.
    public init(group: String, version: String, kind: String) {
        self.group = group
        self.version = version
        self.kind = kind
    }

    /// Creates a GVK from an `apiVersion` such as `apps/v1` or `v1`.
    public init(apiVersion: String, kind: String) {
        let group = ResourceKey.group(ofAPIVersion: apiVersion)
        let version = group.isEmpty ? apiVersion : String(apiVersion.dropFirst(group.count + 1))
        self.init(group: group, version: version, kind: kind)
    }

    /// The GVK of a manifest.
    public init(_ manifest: Manifest) { self.init(apiVersion: manifest.apiVersion, kind: manifest.kind) }

    /// `group/version`, or just `version` for the core group.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// `apps/v1 Deployment`.
    public var description: String { "\(apiVersion) \(kind)" }
}

/// One resource a server serves: how a kind maps to a URL and what can be done to it.
public struct APIResource: Sendable, Hashable {
    /// The group, version and kind of the objects.
    public var groupVersionKind: GroupVersionKind
    /// The plural resource name used in URLs, e.g. `deployments`.
    public var plural: String
    /// The singular name, e.g. `deployment` (may be empty on older servers).
    public var singular: String
    /// Whether objects live in namespaces.
    public var namespaced: Bool
    /// The verbs the resource supports, e.g. `get`, `list`, `watch`, `patch`.
    public var verbs: Set<String>
    /// Short names, e.g. `deploy`.
    public var shortNames: [String]
    /// Subresources, e.g. `status`, `scale`.
    public var subresources: Set<String>

    /// Creates a resource description.
    public init(
        groupVersionKind: GroupVersionKind, plural: String, singular: String = "", namespaced: Bool,
        verbs: Set<String> = [], shortNames: [String] = [], subresources: Set<String> = []
    ) {
        self.groupVersionKind = groupVersionKind
        self.plural = plural
        self.singular = singular
        self.namespaced = namespaced
        self.verbs = verbs
        self.shortNames = shortNames
        self.subresources = subresources
    }

    /// Whether the resource supports `verb`.
    public func supports(_ verb: String) -> Bool { verbs.contains(verb) }
}
