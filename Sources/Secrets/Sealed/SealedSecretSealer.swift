import Foundation
import Manifests

/// Turns a Secret manifest into the `bitnami.com/v1alpha1` SealedSecret that `kubeseal` makes of
/// it: each `data`/`stringData` value sealed on its own, the Secret's metadata and type kept as
/// `spec.template`, the scope annotated on both.
///
/// ```swift
/// let key = try SealingPublicKey(certificatePEM: pem)
/// let sealed = try SealedSecretSealer(key: key).seal(secret, scope: .namespaceWide)
/// ```
public struct SealedSecretSealer: Sendable {
    /// The API version of SealedSecrets.
    public static let apiVersion = "bitnami.com/v1alpha1"
    /// Their kind.
    public static let kind = "SealedSecret"
    /// Annotations `kubectl apply` and kubecfg add that hold the whole object, values included.
    static let lastAppliedAnnotations = ["kubectl.kubernetes.io/last-applied-configuration", "kubecfg.ksonnet.io/last-applied-configuration"]
    /// The most keys a Secret may have.
    static let maximumKeys = 1000

    /// The controller's public key.
    public let key: SealingPublicKey

    /// A sealer for `key`.
    public init(key: SealingPublicKey) { self.key = key }

    /// The SealedSecret of `secret`. `scope` (when given) overrides the Secret's scope
    /// annotations; `defaultNamespace` fills a Secret that names no namespace.
    public func seal(_ secret: Manifest, scope: SealingScope? = nil, defaultNamespace: String? = nil) throws(SealedSecretsError) -> Manifest {
        let source = "Secret/\(secret.namespace.isEmpty ? defaultNamespace ?? "" : secret.namespace)/\(secret.name)"
        guard secret.apiVersion == "v1", secret.kind == "Secret" else {
            throw SealedSecretsError(.invalidObject, "expected a v1 Secret, found \(secret.apiVersion) \(secret.kind)", source: source)
        }
        guard !secret.name.isEmpty else { throw SealedSecretsError(.invalidObject, "metadata.name is required", source: source) }
        var annotations = secret.annotations
        for annotation in Self.lastAppliedAnnotations { annotations[annotation] = nil }
        if let scope { annotations = scope.annotating(annotations) }
        let scope = SealingScope(annotations: annotations)
        let namespace = secret.namespace.isEmpty ? defaultNamespace ?? "" : secret.namespace
        guard scope == .clusterWide || !namespace.isEmpty else {
            throw SealedSecretsError(.invalidObject, "metadata.namespace is required unless the scope is cluster-wide", source: source)
        }
        let values = try Self.values(of: secret, source: source)
        guard !values.isEmpty else {
            throw SealedSecretsError(.invalidObject, "the Secret has no data or stringData; refusing to seal nothing", source: source)
        }
        let label = scope.label(namespace: namespace, name: secret.name)
        var encrypted = JSONObject()
        for (name, value) in values.sorted(by: { $0.key < $1.key }) {
            do {
                encrypted[name] = .string(Data(try SealedValueCipher.seal(value, to: key, label: label)).base64EncodedString())
            } catch {
                throw SealedSecretsError(error.code, "data.\(name): \(error.message)", source: source)
            }
        }
        var metadata: JSONObject = ["name": .string(secret.name)]
        if !namespace.isEmpty { metadata["namespace"] = .string(namespace) }
        var templateMetadata = metadata
        let labels = secret.labels
        if !labels.isEmpty { templateMetadata["labels"] = Self.stringMap(labels) }
        if !annotations.isEmpty { templateMetadata["annotations"] = Self.stringMap(annotations) }
        let scopeAnnotations = scope.annotating([:])
        if !scopeAnnotations.isEmpty { metadata["annotations"] = Self.stringMap(scopeAnnotations) }
        var template: JSONObject = ["metadata": .object(templateMetadata)]
        template["type"] = .string(secret.object["type"]?.stringValue ?? "Opaque")
        if let immutable = secret.object["immutable"]?.boolValue { template["immutable"] = .bool(immutable) }
        return Manifest(unchecked: [
            "apiVersion": .string(Self.apiVersion), "kind": .string(Self.kind), "metadata": .object(metadata),
            "spec": ["encryptedData": .object(encrypted), "template": .object(template)],
        ])
    }

    /// The Secret's values: `data` decoded from base64, then `stringData` (which wins, as in Kubernetes).
    static func values(of secret: Manifest, source: String) throws(SealedSecretsError) -> [String: [UInt8]] {
        var values: [String: [UInt8]] = [:]
        for field in ["data", "stringData"] {
            guard let entries = secret.object[field], !entries.isNull else { continue }
            guard let object = entries.objectValue else { throw SealedSecretsError(.invalidObject, "\(field) must be a map", source: source) }
            guard object.count <= maximumKeys else {
                throw SealedSecretsError(.inputTooLarge, "\(field) has more than \(maximumKeys) keys", source: source)
            }
            for (name, value) in object {
                guard let text = value.stringValue else {
                    throw SealedSecretsError(.invalidObject, "\(field).\(name) must be a string", source: source)
                }
                if field == "stringData" {
                    values[name] = Array(text.utf8)
                } else {
                    guard let decoded = Data(base64Encoded: text) else {
                        throw SealedSecretsError(.invalidObject, "data.\(name) is not base64", source: source)
                    }
                    values[name] = Array(decoded)
                }
            }
        }
        return values
    }

    static func stringMap(_ map: [String: String]) -> JSONValue {
        var object = JSONObject()
        for (key, value) in map.sorted(by: { $0.key < $1.key }) { object[key] = .string(value) }
        return .object(object)
    }
}
