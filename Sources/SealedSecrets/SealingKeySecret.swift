import Foundation
import Manifests
import Secrets

/// The Secrets that hold sealing keys: `kubernetes.io/tls` with `tls.key` and `tls.crt`, labelled
/// `sealedsecrets.bitnami.com/sealed-secrets-key: active` as Bitnami's controller labels them (or
/// named `sealed-secrets-key`, Bitnami's first key, without the label), so a backup of Bitnami's
/// keys applied to the controller's namespace is used as it is. A Secret with an owner reference
/// is never a key: the controller's own Secrets (those it unseals) always have one or the
/// managed annotation, and keys are made by the controller or an admin, not derived from objects.
public enum SealingKeySecret {
    /// The label that marks a sealing key.
    public static let label = SealedSecretUnsealer.sealingKeyLabel
    /// Its value on keys in use.
    public static let activeValue = "active"
    /// The prefix of generated key Secrets' names (`generateName`).
    public static let namePrefix = "sealed-secrets-key"
    /// The name of Bitnami's first, unlabelled key Secret.
    public static let legacyName = "sealed-secrets-key"

    /// Whether `secret` is a sealing key.
    public static func isSealingKey(_ secret: Manifest) -> Bool {
        guard (secret.metadata["ownerReferences"]?.arrayValue ?? []).isEmpty,
            secret.annotations[SealedSecretUnsealer.managedAnnotation] == nil
        else { return false }
        if let value = secret.labels[label] { return value == activeValue }
        return secret.name == legacyName
    }

    /// The key pair of a sealing-key Secret.
    public static func keyPair(of secret: Manifest) throws(SealedSecretsError) -> SealingKeyPair {
        let source = "Secret/\(secret.namespace)/\(secret.name)"
        func field(_ name: String) throws(SealedSecretsError) -> String {
            guard let text = secret.object["data"]?[name]?.stringValue, let data = Data(base64Encoded: text) else {
                throw SealedSecretsError(.invalidKey, "data.\(name) is missing or not base64", source: source)
            }
            return String(decoding: data, as: UTF8.self)
        }
        return try SealingKeyPair(privateKeyPEM: try field("tls.key"), certificatePEM: try field("tls.crt"), source: source)
    }

    /// The sealing key of a Secret, `nil` when the Secret is not one.
    public static func key(of secret: Manifest) throws(SealedSecretsError) -> SealingKey? {
        guard isSealingKey(secret) else { return nil }
        let created = secret.metadata["creationTimestamp"]?.stringValue.flatMap { try? Date($0, strategy: .iso8601) }
        return SealingKey(pair: try keyPair(of: secret), name: secret.name, created: created ?? .distantPast)
    }

    /// The Secret that keeps `pair` in `namespace`; the API server names it (`generateName`).
    public static func manifest(for pair: SealingKeyPair, namespace: String) -> Manifest {
        Manifest(unchecked: [
            "apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/tls",
            "metadata": [
                "generateName": .string(namePrefix), "namespace": .string(namespace), "labels": .object([label: .string(activeValue)]),
            ],
            "data": [
                "tls.crt": .string(Data(pair.certificatePEM.utf8).base64EncodedString()),
                "tls.key": .string(Data(pair.privateKey.pemRepresentation.utf8).base64EncodedString()),
            ],
        ])
    }
}
