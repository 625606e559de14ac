import Manifests

/// An `ExternalSecret`: which values to fetch from a store (`data`, `dataFrom`), how to shape
/// the target Secret (`target.template`), and how to own and refresh it. Field names and
/// defaults are External Secrets Operator's.
public struct ExternalSecret: Sendable, Hashable {
    /// Keelson's API or ESO's.
    public var api: ExternalSecretsAPI
    /// Its namespace (the target Secret's too).
    public var namespace: String
    /// Its name.
    public var name: String
    /// `spec.secretStoreRef`.
    public var storeRef: StoreReference
    /// `spec.target`.
    public var target: Target
    /// `spec.refreshInterval` (default 1h; zero: fetch once per spec change).
    public var refreshInterval: Duration = .seconds(3600)
    /// `spec.refreshPolicy`.
    public var refreshPolicy: RefreshPolicy = .periodic
    /// `spec.data`.
    public var data: [DataItem] = []
    /// `spec.dataFrom`.
    public var dataFrom: [DataFromItem] = []

    /// An ExternalSecret with ESO's defaults and no data yet.
    public init(api: ExternalSecretsAPI, namespace: String, name: String, storeRef: StoreReference, target: Target = Target()) {
        self.api = api
        self.namespace = namespace
        self.name = name
        self.storeRef = storeRef
        self.target = target
    }

    /// `namespace/name`.
    public var id: String { "\(namespace)/\(name)" }
    /// The target Secret's name (`target.name`, else the ExternalSecret's).
    public var secretName: String { target.name ?? name }

    /// `spec.secretStoreRef`.
    public struct StoreReference: Sendable, Hashable {
        /// The store's name.
        public var name: String
        /// `SecretStore` (default) or `ClusterSecretStore`.
        public var kind: ExternalSecretsKind = .secretStore

        /// Creates a reference.
        public init(name: String, kind: ExternalSecretsKind = .secretStore) {
            self.name = name
            self.kind = kind
        }
    }

    /// `spec.refreshPolicy`.
    public enum RefreshPolicy: String, Sendable, Hashable, CaseIterable {
        /// Fetch once when the Secret is first made, never again.
        case createdOnce = "CreatedOnce"
        /// Fetch every `refreshInterval` and whenever the spec changes.
        case periodic = "Periodic"
        /// Fetch whenever the ExternalSecret's spec or metadata change.
        case onChange = "OnChange"
    }

    /// One `spec.data` item: the value at `remoteRef` becomes Secret key `secretKey`.
    public struct DataItem: Sendable, Hashable {
        /// The key in the target Secret.
        public var secretKey: String
        /// Where the value is.
        public var remoteRef: RemoteRef
    }

    /// One `spec.dataFrom` item: many keys at once, renamed by `rewrite`.
    public struct DataFromItem: Sendable, Hashable {
        /// `extract` (one secret's keys) or `find` (many secrets).
        public var source: Source
        /// `rewrite`, applied in order to every key.
        public var rewrite: [Rewrite] = []

        /// Creates an item.
        public init(source: Source, rewrite: [Rewrite] = []) {
            self.source = source
            self.rewrite = rewrite
        }

        /// Where the keys come from.
        public enum Source: Sendable, Hashable {
            /// `extract`: the keys of the JSON object at the reference.
            case extract(RemoteRef)
            /// `find`: every secret whose name or tags match.
            case find(FindRef)
        }
    }

    /// `rewrite[].regexp`: every match of `source` in a key is replaced by `target` (`$1` groups).
    public struct Rewrite: Sendable, Hashable {
        /// The regular expression.
        public var source: String
        /// The replacement.
        public var target: String
    }
}

/// `spec.target`.
public struct Target: Sendable, Hashable {
    /// The Secret's name; the ExternalSecret's when `nil`.
    public var name: String?
    /// `creationPolicy`.
    public var creationPolicy: CreationPolicy = .owner
    /// `deletionPolicy`.
    public var deletionPolicy: DeletionPolicy = .retain
    /// `template`.
    public var template: SecretTemplate?
    /// `immutable`: the Secret is written immutable.
    public var immutable = false

    /// ESO's defaults: Owner, Retain, no template.
    public init() {}

    /// Who owns the target Secret.
    public enum CreationPolicy: String, Sendable, Hashable, CaseIterable {
        /// Created and owned (ownerReference): deleted with the ExternalSecret.
        case owner = "Owner"
        /// Created, not owned: left behind when the ExternalSecret goes.
        case orphan = "Orphan"
        /// Only the keys are written into a Secret that must already exist.
        case merge = "Merge"
        /// Nothing is written.
        case none = "None"
    }

    /// What happens when the provider no longer has the values.
    public enum DeletionPolicy: String, Sendable, Hashable, CaseIterable {
        /// Keep the Secret as it is and report the error.
        case retain = "Retain"
        /// Delete the Secret once none of its values exist any more.
        case delete = "Delete"
        /// Remove the vanished keys, keep the Secret.
        case merge = "Merge"
    }
}

/// `spec.target.template` (engine v2).
public struct SecretTemplate: Sendable, Hashable {
    /// The Secret's `type`.
    public var type: String?
    /// `metadata.labels`, each value a template.
    public var labels: [String: String] = [:]
    /// `metadata.annotations`, each value a template.
    public var annotations: [String: String] = [:]
    /// `data`: Secret keys to templates rendered with the fetched values.
    public var data: [String: String] = [:]
    /// `mergePolicy`: `Replace` (only the template's keys) or `Merge` (the fetched keys too).
    public var mergePolicy: MergePolicy = .replace

    /// An empty template.
    public init() {}

    /// `mergePolicy`.
    public enum MergePolicy: String, Sendable, Hashable, CaseIterable {
        case replace = "Replace"
        case merge = "Merge"
    }
}

/// `remoteRef` and `dataFrom[].extract`: one secret of the provider.
public struct RemoteRef: Sendable, Hashable {
    /// The secret's key (name, path, ARN) in the provider.
    public var key: String
    /// A field of the secret's JSON value (dotted for nested objects).
    public var property: String?
    /// A version of the secret (the provider's own words: `uuid/…` or a stage for AWS).
    public var version: String?
    /// How the fetched bytes are decoded.
    public var decodingStrategy: DecodingStrategy = .none

    /// Creates a reference.
    public init(key: String, property: String? = nil, version: String? = nil, decodingStrategy: DecodingStrategy = .none) {
        self.key = key
        self.property = property
        self.version = version
        self.decodingStrategy = decodingStrategy
    }
}

/// `dataFrom[].find`: secrets selected by name or tags.
public struct FindRef: Sendable, Hashable {
    /// `path`: only secrets under this prefix.
    public var path: String?
    /// `name.regexp`: a regular expression the secret's name must contain a match of.
    public var nameRegexp: String?
    /// `tags`: every tag must be present with the value.
    public var tags: [String: String] = [:]
    /// How the fetched bytes are decoded.
    public var decodingStrategy: DecodingStrategy = .none

    /// Creates a query.
    public init(path: String? = nil, nameRegexp: String? = nil, tags: [String: String] = [:], decodingStrategy: DecodingStrategy = .none) {
        self.path = path
        self.nameRegexp = nameRegexp
        self.tags = tags
        self.decodingStrategy = decodingStrategy
    }
}

/// `decodingStrategy`.
public enum DecodingStrategy: String, Sendable, Hashable, CaseIterable {
    /// The bytes as fetched.
    case none = "None"
    /// Standard base64.
    case base64 = "Base64"
    /// URL-safe base64.
    case base64URL = "Base64URL"
    /// Base64 of either alphabet when the value is that, else as fetched.
    case auto = "Auto"
}
