import Foundation
import Manifests

/// Turns a `bitnami.com/v1alpha1` SealedSecret into its Secret, as Bitnami's controller does:
/// the values decrypted under the scope the SealedSecret's own annotations say (so a strict one
/// renamed or moved does not decrypt), the metadata, type and literal `data` of `spec.template`,
/// the SealedSecret's name and namespace, and an owner reference to it (`controller: true`)
/// unless the template says `sealedsecrets.bitnami.com/skip-set-owner-references: "true"` (then
/// the Secret is annotated `sealedsecrets.bitnami.com/managed: "true"` instead, so it stays the
/// SealedSecret's). Templates that would make a sealing key or a ServiceAccount token are refused:
/// the controller writes Secrets with its own rights, not the author's.
///
/// ```swift
/// let secret = try SealedSecretUnsealer(keys: registry.privateKeys).unseal(sealedSecret)
/// ```
public struct SealedSecretUnsealer: Sendable {
    /// The annotation that keeps the owner reference off the Secret.
    public static let skipOwnerReferenceAnnotation = "sealedsecrets.bitnami.com/skip-set-owner-references"
    /// The annotation that marks a Secret as the SealedSecret's without an owner reference.
    public static let managedAnnotation = "sealedsecrets.bitnami.com/managed"
    /// The label of sealing-key Secrets, which no template may carry (whatever its value).
    public static let sealingKeyLabel = "sealedsecrets.bitnami.com/sealed-secrets-key"
    /// Secret types a template may not have, with the reason given.
    public static let refusedTypes: [String: String] = [
        "kubernetes.io/service-account-token": "it would have the token controller mint a token for any ServiceAccount"
    ]
    /// The most encrypted bytes one SealedSecret may hold (base64, all values).
    public static let maximumEncryptedBytes = 2 * 1024 * 1024

    /// Every key that may have sealed a value, newest first.
    public let keys: [SealingPrivateKey]

    /// An unsealer trying `keys` in order.
    public init(keys: [SealingPrivateKey]) { self.keys = keys }

    /// A Secret unsealed, and the fingerprint of the key that opened it (`nil` without sealed values).
    public struct Unsealed: Sendable {
        /// The Secret to write.
        public var secret: Manifest
        /// `SealingPublicKey.fingerprint` of the key that opened the values.
        public var keyFingerprint: String?
    }

    /// The Secret of `sealed`. Errors name the SealedSecret and the field, never a value.
    public func unseal(_ sealed: Manifest) throws(SealedSecretsError) -> Manifest { try open(sealed, preferring: nil).secret }

    /// The Secret of `sealed`, trying the key with fingerprint `preferred` first (the one that
    /// opened it last time). Stops at the first value that does not open: each try costs an RSA
    /// private operation per key.
    public func open(_ sealed: Manifest, preferring preferred: String?) throws(SealedSecretsError) -> Unsealed {
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
        // Everything the template says is checked before any RSA operation.
        let metadata = try Self.metadata(of: sealed, template: template, source: source)
        let type = template["type"]?.stringValue ?? "Opaque"
        if let reason = Self.refusedTypes[type] {
            throw SealedSecretsError(.invalidObject, "spec.template.type \(type) is not allowed: \(reason)", source: source)
        }
        let literal = try Self.literalData(template["data"], source: source)

        var order = keys
        if let preferred, let index = order.firstIndex(where: { $0.publicKey.fingerprint == preferred }) {
            order.insert(order.remove(at: index), at: 0)
        }
        let label = SealingScope(annotations: sealed.annotations).label(namespace: sealed.namespace, name: sealed.name)
        var data: [String: [UInt8]] = [:]
        var opener: String?
        for (name, value) in encrypted.sorted(by: { $0.key < $1.key }) {
            guard let bytes = Data(base64Encoded: value) else {
                throw SealedSecretsError(.malformedCiphertext, "spec.encryptedData.\(name): not base64", source: source)
            }
            do {
                let opened = try SealedValueCipher.open(Array(bytes), with: order, label: label)
                data[name] = opened.plaintext
                // The key that opened one value most likely opens the next.
                if opened.key != 0 { order.insert(order.remove(at: opened.key), at: 0) }
                opener = order[0].publicKey.fingerprint
            } catch {
                throw SealedSecretsError(error.code, "spec.encryptedData.\(name): \(error.message)", source: source)
            }
        }
        for (name, value) in literal { data[name] = value }
        for (name, value) in template["data"]?.objectValue ?? [:] where value.isNull { data[name] = nil }

        var encoded = JSONObject()
        for (name, value) in data.sorted(by: { $0.key < $1.key }) { encoded[name] = .string(Data(value).base64EncodedString()) }
        var secret: JSONObject = ["apiVersion": "v1", "kind": "Secret", "metadata": .object(metadata)]
        secret["type"] = .string(type)
        if let immutable = template["immutable"]?.boolValue { secret["immutable"] = .bool(immutable) }
        secret["data"] = .object(encoded)
        return Unsealed(secret: Manifest(unchecked: secret), keyFingerprint: opener)
    }

    /// The Secret's metadata: the template's labels and annotations, the SealedSecret's name and
    /// namespace, and the owner reference or the managed annotation.
    static func metadata(of sealed: Manifest, template: JSONObject, source: String) throws(SealedSecretsError) -> JSONObject {
        let templateMetadata = template["metadata"]?.objectValue ?? [:]
        var metadata: JSONObject = ["name": .string(sealed.name), "namespace": .string(sealed.namespace)]
        let labels = try Self.stringMap(templateMetadata["labels"], field: "spec.template.metadata.labels", source: source)
        if labels[sealingKeyLabel] != nil {
            throw SealedSecretsError(
                .invalidObject, "spec.template.metadata.labels.\(sealingKeyLabel) is not allowed: it marks the controller's sealing keys",
                source: source)
        }
        if !labels.isEmpty { metadata["labels"] = SealedSecretSealer.stringMap(labels) }
        var annotations = try Self.stringMap(templateMetadata["annotations"], field: "spec.template.metadata.annotations", source: source)
        if annotations[skipOwnerReferenceAnnotation] == "true" {
            annotations[managedAnnotation] = "true"
        } else {
            metadata["ownerReferences"] = [
                [
                    "apiVersion": .string(sealed.apiVersion), "kind": .string(sealed.kind), "name": .string(sealed.name),
                    "uid": .string(sealed.metadata["uid"]?.stringValue ?? ""), "controller": true,
                ]
            ]
        }
        if !annotations.isEmpty { metadata["annotations"] = SealedSecretSealer.stringMap(annotations) }
        return metadata
    }

    /// The literal values of `spec.template.data` (`null` entries remove a key and are not here).
    static func literalData(_ value: JSONValue?, source: String) throws(SealedSecretsError) -> [String: [UInt8]] {
        guard let value, !value.isNull else { return [:] }
        guard let entries = value.objectValue else { throw SealedSecretsError(.invalidObject, "spec.template.data must be a map", source: source) }
        guard entries.count <= SealedSecretSealer.maximumKeys else {
            throw SealedSecretsError(.inputTooLarge, "spec.template.data has more than \(SealedSecretSealer.maximumKeys) keys", source: source)
        }
        var data: [String: [UInt8]] = [:]
        for (name, value) in entries where !value.isNull {
            guard let text = value.stringValue else {
                throw SealedSecretsError(.invalidObject, "spec.template.data.\(name) must be a string", source: source)
            }
            guard !text.contains("{{") else {
                throw SealedSecretsError(.invalidObject, "spec.template.data.\(name): Go templates are not supported yet", source: source)
            }
            data[name] = Array(text.utf8)
        }
        return data
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
