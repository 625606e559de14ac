import Manifests

/// A `SecretStore` (namespaced, usable by ExternalSecrets of its namespace) or
/// `ClusterSecretStore` (made by an administrator, usable from the namespaces its `conditions`
/// allow). The provider's own settings are read by the provider's builder
/// (`SecretStoreProviderFactory`), so a new provider needs no change here.
public struct SecretStore: Sendable, Hashable {
    /// Keelson's API or ESO's.
    public var api: ExternalSecretsAPI
    /// `SecretStore` or `ClusterSecretStore`.
    public var kind: ExternalSecretsKind
    /// The store's namespace; `nil` for a ClusterSecretStore.
    public var namespace: String?
    /// Its name.
    public var name: String
    /// The provider's name under `spec.provider` (`aws`, `kubernetes`, `vault`…).
    public var providerName: String
    /// The provider's object, `spec.provider.<name>`, unread.
    public var providerSpec: JSONObject
    /// Where a ClusterSecretStore may be used (any namespace when empty).
    public var conditions: [StoreCondition] = []
    /// `spec.controller`: the controller class that runs the store. Keelson runs only stores
    /// without one and leaves the others (and their ExternalSecrets) alone, as ESO does.
    public var controller: String?

    /// The non-empty `spec.controller` of a store's object, read without parsing the rest (a store
    /// of another controller is skipped even when Keelson could not read it).
    public static func controllerClass(of object: Manifest) -> String? {
        guard let controller = object.object["spec"]?["controller"]?.stringValue, !controller.isEmpty else { return nil }
        return controller
    }

    /// `Kind namespace/name` or `ClusterSecretStore name`.
    public var id: String { namespace.map { "\(kind.rawValue) \($0)/\(name)" } ?? "\(kind.rawValue) \(name)" }

    /// Whether an ExternalSecret in `namespace` (whose Namespace has `labels`) may use the store.
    public func admits(namespace candidate: String, labels: [String: String]) -> Bool {
        if let namespace { return namespace == candidate }
        return conditions.isEmpty || conditions.contains { $0.admits(namespace: candidate, labels: labels) }
    }
}

/// One entry of a ClusterSecretStore's `spec.conditions`: a namespace is admitted when it is
/// listed, matches a regular expression, or its labels match the selector.
public struct StoreCondition: Sendable, Hashable {
    /// `namespaces`.
    public var namespaces: [String] = []
    /// `namespaceRegexes`: a namespace matches when the expression is found in its name (Go's `MatchString`).
    public var namespaceRegexes: [String] = []
    /// `namespaceSelector`.
    public var namespaceSelector: LabelSelector?

    /// Whether `namespace` is admitted.
    public func admits(namespace: String, labels: [String: String]) -> Bool {
        if namespaces.contains(namespace) { return true }
        for pattern in namespaceRegexes {
            if let regex = try? Regex(pattern), (try? regex.firstMatch(in: namespace)) != nil { return true }
        }
        return namespaceSelector?.matches(labels) ?? false
    }
}

extension SecretStore {
    /// Reads a SecretStore or ClusterSecretStore of either API, strictly.
    public init(_ manifest: Manifest) throws(ObjectFieldError) {
        guard let api = ExternalSecretsAPI(apiVersion: manifest.apiVersion),
            let kind = ExternalSecretsKind(rawValue: manifest.kind), kind != .externalSecret
        else {
            throw ObjectFieldError(kind: manifest.kind, object: manifest.name, field: "apiVersion", message: "is not a secret store")
        }
        let reader = FieldReader(kind: kind.rawValue, manifest: manifest)
        let isCluster = kind == .clusterSecretStore
        let known: Set<String> =
            isCluster ? ["provider", "conditions", "refreshInterval", "controller"] : ["provider", "refreshInterval", "controller"]
        let spec = try reader.object(manifest.object["spec"], "spec", known: known)
        let controller = try reader.string(spec["controller"], "spec.controller")
        _ = try reader.duration(spec["refreshInterval"], "spec.refreshInterval", in: .zero...(.seconds(86_400 * 365)))
        let provider = try reader.object(spec["provider"], "spec.provider")
        guard provider.count == 1, let providerName = provider.keys.first, let value = provider[providerName] else {
            throw reader.error("spec.provider", "must name exactly one provider")
        }
        let providerSpec = try reader.object(value, "spec.provider.\(providerName)")
        self.init(
            api: api, kind: kind, namespace: isCluster ? nil : reader.namespace, name: manifest.name, providerName: providerName,
            providerSpec: providerSpec)
        self.controller = controller.flatMap { $0.isEmpty ? nil : $0 }
        for (index, item) in try reader.array(spec["conditions"], "spec.conditions", maximum: 100).enumerated() {
            let field = "spec.conditions[\(index)]"
            let fields = try reader.object(item, field, known: ["namespaces", "namespaceRegexes", "namespaceSelector"])
            var condition = StoreCondition()
            condition.namespaces = try strings(reader, fields["namespaces"], field + ".namespaces")
            condition.namespaceRegexes = try strings(reader, fields["namespaceRegexes"], field + ".namespaceRegexes")
            for (position, pattern) in condition.namespaceRegexes.enumerated() where (try? Regex(pattern)) == nil {
                throw reader.error(field + ".namespaceRegexes[\(position)]", "is not a regular expression")
            }
            if let selector = fields["namespaceSelector"], !selector.isNull {
                let fields = try reader.object(selector, field + ".namespaceSelector")
                do throws(LabelSelectorError) {
                    condition.namespaceSelector = try LabelSelector(fields)
                } catch {
                    throw reader.error(field + ".namespaceSelector", error.description)
                }
            }
            conditions.append(condition)
        }
    }
}

/// A list of strings at `field`.
func strings(_ reader: FieldReader, _ value: JSONValue?, _ field: String) throws(ObjectFieldError) -> [String] {
    var out: [String] = []
    for (index, item) in try reader.array(value, field).enumerated() {
        guard let text = try reader.string(item, "\(field)[\(index)]") else { throw reader.error("\(field)[\(index)]", "must be a string") }
        out.append(text)
    }
    return out
}
