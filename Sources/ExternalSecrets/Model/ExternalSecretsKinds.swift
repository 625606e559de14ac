import Kube

/// The API groups whose SecretStore, ClusterSecretStore and ExternalSecret objects Keelson runs:
/// its own `keelson.dev/v1alpha1`, and External Secrets Operator's `external-secrets.io/v1`, read
/// as-is where those CRDs are served.
public enum ExternalSecretsAPI: String, Sendable, Hashable, CaseIterable {
    /// `keelson.dev/v1alpha1`.
    case keelson = "keelson.dev/v1alpha1"
    /// External Secrets Operator's `external-secrets.io/v1`.
    case eso = "external-secrets.io/v1"

    /// The API group.
    public var group: String { rawValue.split(separator: "/").first.map(String.init) ?? "" }
    /// The version.
    public var version: String { rawValue.split(separator: "/").last.map(String.init) ?? "" }

    /// The group-version-kind of `kind` in this API.
    public func kind(_ kind: ExternalSecretsKind) -> GroupVersionKind { GroupVersionKind(group: group, version: version, kind: kind.rawValue) }

    /// The API of `apiVersion`, when it is one of these.
    public init?(apiVersion: String) { self.init(rawValue: apiVersion) }
}

/// The three kinds.
public enum ExternalSecretsKind: String, Sendable, Hashable, CaseIterable {
    case secretStore = "SecretStore"
    case clusterSecretStore = "ClusterSecretStore"
    case externalSecret = "ExternalSecret"
}
