/// One kind of object the sandbox serves: its group, version, names, scope and verbs.
public struct ResourceType: Sendable, Hashable {
    /// The API group (`""` for the core group).
    public var group: String
    /// The served version.
    public var version: String
    /// The kind, e.g. `Deployment`.
    public var kind: String
    /// The plural resource name, e.g. `deployments`.
    public var plural: String
    /// The singular resource name, e.g. `deployment`.
    public var singular: String
    /// Whether objects live in a namespace.
    public var namespaced: Bool
    /// Short names kubectl accepts, e.g. `deploy`.
    public var shortNames: [String]
    /// Categories such as `all`.
    public var categories: [String]
    /// Whether the type has a `status` subresource (status is then ignored by main-resource writes).
    public var hasStatus: Bool
    /// Whether the type has a `scale` subresource.
    public var hasScale: Bool
    /// Whether `metadata.generation` is maintained.
    public var tracksGeneration: Bool
    /// Whether the type has a `token` subresource (ServiceAccounts: `TokenRequest`, create only).
    public var issuesTokens: Bool
    /// The verbs discovery lists; only stored types have all of `ResourceType.verbs`.
    public var verbs: [String]

    /// Creates a resource type.
    public init(
        group: String, version: String, kind: String, plural: String, singular: String? = nil,
        namespaced: Bool = true, shortNames: [String] = [], categories: [String] = [],
        hasStatus: Bool = false, hasScale: Bool = false, tracksGeneration: Bool = false, issuesTokens: Bool = false,
        verbs: [String] = ResourceType.verbs
    ) {
        self.group = group
        self.version = version
        self.kind = kind
        self.plural = plural
        self.singular = singular ?? kind.lowercased()
        self.namespaced = namespaced
        self.shortNames = shortNames
        self.categories = categories
        self.hasStatus = hasStatus
        self.hasScale = hasScale
        self.tracksGeneration = tracksGeneration
        self.issuesTokens = issuesTokens
        self.verbs = verbs
    }

    /// `group/version`, or just `version` for the core group.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    /// `plural.group` as the API server words it in messages.
    public var qualifiedPlural: String { group.isEmpty ? plural : "\(plural).\(group)" }
    /// `Kind.group` as the API server words it in an Invalid error (`Deployment.apps`).
    public var qualifiedKind: String { group.isEmpty ? kind : "\(kind).\(group)" }
    /// The identity used by storage: objects are stored once per group and resource.
    public var storageID: String { "\(group)/\(plural)" }

    /// The verbs every stored type supports.
    public static let verbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]
}
