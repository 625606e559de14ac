import Foundation
import Manifests
import Secrets

/// The Secrets that hold sealing keys: `kubernetes.io/tls` with `tls.key` and `tls.crt`, labelled
/// `sealedsecrets.bitnami.com/sealed-secrets-key: active` as Bitnami's controller labels them, so
/// a backup of Bitnami's keys applied to the controller's namespace is used as it is.
public enum SealingKeySecret {
    /// The label that marks a sealing key.
    public static let label = "sealedsecrets.bitnami.com/sealed-secrets-key"
    /// Its value on keys in use.
    public static let activeValue = "active"
    /// The prefix of generated key Secrets' names.
    public static let namePrefix = "sealed-secrets-key"

    /// Whether `secret` is a sealing key.
    public static func isSealingKey(_ secret: Manifest) -> Bool { secret.labels[label] == activeValue }

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

    /// The Secret that keeps `pair` in `namespace`, with a fresh name.
    public static func manifest(for pair: SealingKeyPair, namespace: String) -> Manifest {
        let suffix = String((0..<5).map { _ in "bcdfghjklmnpqrstvwxz2456789".randomElement()! })
        return Manifest(unchecked: [
            "apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/tls",
            "metadata": [
                "name": .string(namePrefix + suffix), "namespace": .string(namespace), "labels": .object([label: .string(activeValue)]),
            ],
            "data": [
                "tls.crt": .string(Data(pair.certificatePEM.utf8).base64EncodedString()),
                "tls.key": .string(Data(pair.privateKey.pemRepresentation.utf8).base64EncodedString()),
            ],
        ])
    }
}
