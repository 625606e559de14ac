import Foundation
import Manifests

/// Turns a `bitnami.com/v1alpha1` SealedSecret into its Secret, as Bitnami's controller does:
/// the values decrypted under the scope the SealedSecret's own annotations say (so a strict one
/// renamed or moved does not decrypt), the metadata, type and literal `data` of `spec.template`,
/// the SealedSecret's name and namespace, and an owner reference to it (`controller: true`)
/// unless the template says `sealedsecrets.bitnami.com/skip-set-owner-references: "true"`.
///
/// ```swift
/// let secret = try SealedSecretUnsealer(keys: registry.privateKeys).unseal(sealedSecret)
/// ```
public struct SealedSecretUnsealer: Sendable {
    /// The annotation that keeps the owner reference off the Secret.
    public static let skipOwnerReferenceAnnotation = "sealedsecrets.bitnami.com/skip-set-owner-references"
    /// The most encrypted bytes one SealedSecret may hold (base64, all values).
    public static let maximumEncryptedBytes = 2 * 1024 * 1024

    /// Every key that may have sealed a value, newest first.
    public let keys: [SealingPrivateKey]

    /// An unsealer trying `keys` in order.
    public init(keys: [SealingPrivateKey]) { self.keys = keys }

    /// The Secret of `sealed`. Errors name the SealedSecret and the field, never a value.
    public func unseal(_ sealed: Manifest) throws(SealedSecretsError) -> Manifest {
        let source = "SealedSecret/\(sealed.namespace)/\(sealed.name)"
        guard sealed.group == "bitnami.com", sealed.kind == SealedSecretSealer.kind else {
            throw SealedSecretsError(.invalidObject, "expected a bitnami.com SealedSecret, found \(sealed.apiVersion) \(sealed.kind)", source: source)
        }
        guard let spec = sealed.object["spec"]?.objectValue else {
            throw SealedSecretsError(.invalidObject, "spec must be an object", source: source)
        }
        if let legacy = spec["data"], !legacy.isNull {
            throw SealedSecretsError(
                .invalidObject, "spec.data (the deprecated whole-Secret format) is not supported; reseal into spec.encryptedData", source: source)
        }
        let encrypted = try Self.stringMap(spec["encryptedData"], field: "spec.encryptedData", source: source)
        guard encrypted.values.reduce(0, { $0 + $1.utf8.count }) <= Self.maximumEncryptedBytes else {
            throw SealedSecretsError(.inputTooLarge, "spec.encryptedData holds more than 2 MiB", source: source)
        }
        let template = spec["template"]?.objectValue ?? [:]
        let templateMetadata = template["metadata"]?.objectValue ?? [:]
        let label = SealingScope(annotations: sealed.annotations).label(namespace: sealed.namespace, name: sealed.name)

        var data: [String: [UInt8]] = [:]
        var failures: [String] = []
        for (name, value) in encrypted.sorted(by: { $0.key < $1.key }) {
            guard let bytes = Data(base64Encoded: value) else {
                failures.append("spec.encryptedData.\(name): not base64")
                continue
            }
            do { data[name] = try SealedValueCipher.unseal(Array(bytes), with: keys, label: label) } catch {
                failures.append("spec.encryptedData.\(name): \(error.message)")
            }
        }
        guard failures.isEmpty else { throw SealedSecretsError(.decryptionFailed, failures.joined(separator: "; "), source: source) }
        if let literal = template["data"], !literal.isNull {
            guard let entries = literal.objectValue else {
                throw SealedSecretsError(.invalidObject, "spec.template.data must be a map", source: source)
            }
            for (name, value) in entries {
                if value.isNull {
                    data[name] = nil
                    continue
                }
                guard let text = value.stringValue else {
                    throw SealedSecretsError(.invalidObject, "spec.template.data.\(name) must be a string", source: source)
                }
                guard !text.contains("{{") else {
                    throw SealedSecretsError(.invalidObject, "spec.template.data.\(name): Go templates are not supported yet", source: source)
                }
                data[name] = Array(text.utf8)
            }
        }

        var metadata: JSONObject = ["name": .string(sealed.name), "namespace": .string(sealed.namespace)]
        for field in ["labels", "annotations"] {
            let map = try Self.stringMap(templateMetadata[field], field: "spec.template.metadata.\(field)", source: source)
            if !map.isEmpty { metadata[field] = SealedSecretSealer.stringMap(map) }
        }
        let annotations = metadata["annotations"]?.objectValue
        if annotations?[Self.skipOwnerReferenceAnnotation]?.stringValue != "true" {
            metadata["ownerReferences"] = [
                [
                    "apiVersion": .string(sealed.apiVersion), "kind": .string(sealed.kind), "name": .string(sealed.name),
                    "uid": .string(sealed.metadata["uid"]?.stringValue ?? ""), "controller": true,
                ]
            ]
        }
        var encoded = JSONObject()
        for (name, value) in data.sorted(by: { $0.key < $1.key }) { encoded[name] = .string(Data(value).base64EncodedString()) }
        var secret: JSONObject = ["apiVersion": "v1", "kind": "Secret", "metadata": .object(metadata)]
        secret["type"] = .string(template["type"]?.stringValue ?? "Opaque")
        if let immutable = template["immutable"]?.boolValue { secret["immutable"] = .bool(immutable) }
        secret["data"] = .object(encoded)
        return Manifest(unchecked: secret)
    }

    static func stringMap(_ value: JSONValue?, field: String, source: String) throws(SealedSecretsError) -> [String: String] {
        guard let value, !value.isNull else { return [:] }
        guard let object = value.objectValue else { throw SealedSecretsError(.invalidObject, "\(field) must be a map of strings", source: source) }
        guard object.count <= SealedSecretSealer.maximumKeys else {
            throw SealedSecretsError(.inputTooLarge, "\(field) has more than \(SealedSecretSealer.maximumKeys) keys", source: source)
        }
        var map: [String: String] = [:]
        for (key, item) in object {
            guard let text = item.stringValue else { throw SealedSecretsError(.invalidObject, "\(field).\(key) must be a string", source: source) }
            map[key] = text
        }
        return map
    }
}
