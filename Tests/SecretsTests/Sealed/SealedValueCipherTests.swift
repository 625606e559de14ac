import Foundation
import Manifests
import Testing

@testable import Secrets

/// The hybrid format of one sealed value, the OAEP label that binds it to its scope, and the
/// Secret ⇄ SealedSecret conversion, without a peer.
@Suite struct SealedValueCipherTests {
    let pair = SealedTestKeys.first

    // Each scope's label is Bitnami's: `namespace/name`, `namespace`, empty.
    @Test(arguments: [
        (SealingScope.strict, "shop/db"), (SealingScope.namespaceWide, "shop"), (SealingScope.clusterWide, ""),
    ])
    func labels(scope: SealingScope, label: String) {
        #expect(scope.label(namespace: "shop", name: "db") == Array(label.utf8))
    }

    // Cluster-wide wins over namespace-wide; anything but "true" means strict.
    @Test func scopeFromAnnotations() {
        #expect(SealingScope(annotations: [:]) == .strict)
        #expect(SealingScope(annotations: [SealingScope.namespaceWideAnnotation: "yes"]) == .strict)
        #expect(SealingScope(annotations: [SealingScope.namespaceWideAnnotation: "true"]) == .namespaceWide)
        #expect(
            SealingScope(annotations: [SealingScope.namespaceWideAnnotation: "true", SealingScope.clusterWideAnnotation: "true"]) == .clusterWide)
    }

    // The OAEP encoding decodes under its label and under no other; a flipped byte anywhere fails.
    @Test func oaepLabelIsBound() throws {
        let message = Array(0..<32).map { UInt8($0) }
        let encoded = try #require(RSAOAEP.encode(message, label: Array("a/b".utf8), modulusLength: 256))
        #expect(encoded.count == 256 && encoded[0] == 0)
        #expect(RSAOAEP.decode(encoded, label: Array("a/b".utf8)) == message)
        #expect(RSAOAEP.decode(encoded, label: Array("a/c".utf8)) == nil)
        #expect(RSAOAEP.decode(encoded, label: []) == nil)
        for index in [0, 1, 40, 120, 255] {
            var tampered = encoded
            tampered[index] ^= 0x10
            #expect(RSAOAEP.decode(tampered, label: Array("a/b".utf8)) == nil, "byte \(index)")
        }
    }

    // The format: a 2-byte big-endian length, the RSA block, then GCM ciphertext and 16-byte tag.
    @Test func layout() throws {
        let sealed = try SealedValueCipher.seal(Array("hunter2".utf8), to: pair.privateKey.publicKey, label: [])
        #expect(Int(sealed[0]) << 8 | Int(sealed[1]) == 256)
        #expect(sealed.count == 2 + 256 + 7 + 16)
        #expect(try SealedValueCipher.unseal(sealed, with: [pair.privateKey], label: []) == Array("hunter2".utf8))
    }

    // A value opens with the right key among several; a wrong key, label or tampered body fails
    // with the same message, naming no value.
    @Test func wrongKeyLabelOrTamperFails() throws {
        let label = SealingScope.strict.label(namespace: "shop", name: "db")
        let sealed = try SealedValueCipher.seal(Array("s3cret-canary".utf8), to: pair.privateKey.publicKey, label: label)
        #expect(
            try SealedValueCipher.unseal(sealed, with: [SealedTestKeys.second.privateKey, pair.privateKey], label: label)
                == Array("s3cret-canary".utf8))
        var tampered = sealed
        tampered[tampered.count - 20] ^= 1
        let attempts: [([UInt8], [SealingPrivateKey], [UInt8])] = [
            (sealed, [SealedTestKeys.second.privateKey], label), (sealed, [pair.privateKey], Array("shop/other".utf8)),
            (tampered, [pair.privateKey], label),
        ]
        var messages: Set<String> = []
        for (ciphertext, keys, label) in attempts {
            let error = #expect(throws: SealedSecretsError.self) { try SealedValueCipher.unseal(ciphertext, with: keys, label: label) }
            #expect(error?.code == .decryptionFailed)
            #expect(error.map { !"\($0)".contains("s3cret") } ?? false)
            messages.insert(error.map { "\($0)" } ?? "no error")
        }
        #expect(messages.count == 1, "the failures are told apart: \(messages)")
    }

    // A strict SealedSecret whose scope annotation is changed to namespace-wide or cluster-wide
    // does not unseal: the label it was sealed under is `namespace/name`, whatever it now claims.
    @Test(arguments: [SealingScope.namespaceWide, SealingScope.clusterWide])
    func widenedScopeFails(scope: SealingScope) throws {
        var sealed = try SealedSecretSealer(key: pair.privateKey.publicKey)
            .seal(Self.secret(name: "db", namespace: "shop", values: ["password": "s3cret-canary"]), scope: .strict)
        sealed.setMetadata("annotations", SealedSecretSealer.stringMap(scope.annotating([:])))
        #expect(SealingScope(annotations: sealed.annotations) == scope)
        let error = #expect(throws: SealedSecretsError.self) { try SealedSecretUnsealer(keys: [pair.privateKey]).unseal(sealed) }
        #expect(error?.code == .decryptionFailed)
    }

    // Templates the controller must not write with its own rights: one labelled as a sealing key
    // (whatever the value, and even with nothing sealed) and a ServiceAccount token.
    @Test(arguments: [
        ("sealedsecrets.bitnami.com/sealed-secrets-key", "active", "Opaque", "labels.sealedsecrets.bitnami.com/sealed-secrets-key"),
        ("sealedsecrets.bitnami.com/sealed-secrets-key", "", "kubernetes.io/tls", "labels.sealedsecrets.bitnami.com/sealed-secrets-key"),
        ("team", "payments", "kubernetes.io/service-account-token", "spec.template.type kubernetes.io/service-account-token"),
    ])
    func refusedTemplates(label: String, value: String, type: String, named: String) throws {
        var sealed = try SealedSecretSealer(key: pair.privateKey.publicKey)
            .seal(Self.secret(name: "key", namespace: "keelson", values: ["a": "b"]))
        sealed.object["spec"] = [
            "encryptedData": [:],
            "template": [
                "type": .string(type), "metadata": ["labels": [label: .string(value)]],
                "data": ["tls.crt": "planted", "tls.key": "planted"],
            ],
        ]
        let error = #expect(throws: SealedSecretsError.self) { try SealedSecretUnsealer(keys: [pair.privateKey]).unseal(sealed) }
        #expect(error?.code == .invalidObject)
        #expect(error.map { "\($0)".contains(named) && "\($0)".contains("SealedSecret/keelson/key") } ?? false, "\(String(describing: error))")
    }

    // Unsealing stops at the first value that does not open (each costs RSA operations), and
    // reports the key that opened a good one, so the next time tries it first.
    @Test func stopsAtFirstFailureAndReportsKey() throws {
        let sealer = SealedSecretSealer(key: pair.privateKey.publicKey)
        let good = try sealer.seal(Self.secret(name: "db", namespace: "shop", values: ["a": "1", "b": "2"]))
        let opened = try SealedSecretUnsealer(keys: [SealedTestKeys.second.privateKey, pair.privateKey]).open(good, preferring: nil)
        #expect(opened.keyFingerprint == pair.privateKey.publicKey.fingerprint)
        let preferred = try SealedSecretUnsealer(keys: [SealedTestKeys.second.privateKey, pair.privateKey])
            .open(good, preferring: pair.privateKey.publicKey.fingerprint)
        #expect(preferred.secret == opened.secret)

        let error = #expect(throws: SealedSecretsError.self) { try SealedSecretUnsealer(keys: [SealedTestKeys.second.privateKey]).unseal(good) }
        #expect(error.map { "\($0)".contains("spec.encryptedData.a") && !"\($0)".contains("spec.encryptedData.b") } ?? false)
    }

    // With skip-set-owner-references the Secret has no owner reference and is annotated managed,
    // so the controller still recognises it as the SealedSecret's the next time.
    @Test func skipOwnerReferencesMarksManaged() throws {
        var secret = Self.secret(name: "db", namespace: "shop", values: ["a": "1"])
        secret.setAnnotation(SealedSecretUnsealer.skipOwnerReferenceAnnotation, "true")
        let sealed = try SealedSecretSealer(key: pair.privateKey.publicKey).seal(secret)
        let unsealed = try SealedSecretUnsealer(keys: [pair.privateKey]).unseal(sealed)
        #expect(unsealed.metadata["ownerReferences"] == nil)
        #expect(unsealed.annotations[SealedSecretUnsealer.managedAnnotation] == "true")
    }

    // A length prefix longer than the value, or a value shorter than two bytes, is malformed.
    @Test func malformed() {
        for bytes: [UInt8] in [[], [1], [0x01, 0x00, 1, 2, 3]] {
            let error = #expect(throws: SealedSecretsError.self) { try SealedValueCipher.unseal(bytes, with: [pair.privateKey], label: []) }
            #expect(error?.code == .malformedCiphertext)
        }
    }

    // The certificate carries the key: what is sealed to it opens with the private key.
    @Test func certificateMatchesKey() throws {
        let publicKey = try SealingPublicKey(certificatePEM: pair.certificatePEM)
        #expect(publicKey == pair.privateKey.publicKey)
        #expect(publicKey.fingerprint.count == 64)
        #expect(throws: SealedSecretsError.self) {
            try SealingKeyPair(privateKeyPEM: SealedTestKeys.second.privateKey.pemRepresentation, certificatePEM: pair.certificatePEM)
        }
    }

    // An expired certificate is refused, as kubeseal refuses it; a current one passes.
    @Test func expiredCertificate() throws {
        let expired = try SealingKeyPair.generate(bits: 2048, now: Date().addingTimeInterval(-2 * 86400), validity: 86400)
        let key = try SealingPublicKey(certificatePEM: expired.certificatePEM)
        let error = #expect(throws: SealedSecretsError.self) { try key.checkNotExpired(source: "cert.pem") }
        #expect(error.map { "\($0)".contains("expired") && "\($0)".contains("cert.pem") } ?? false)
        #expect(throws: Never.self) { try SealingPublicKey(certificatePEM: pair.certificatePEM).checkNotExpired() }
    }

    // A strict SealedSecret renamed, or moved, no longer unseals; a namespace-wide one may be
    // renamed but not moved; a cluster-wide one unseals anywhere.
    @Test(arguments: [
        (SealingScope.strict, "shop", "db", true), (SealingScope.strict, "shop", "renamed", false), (SealingScope.strict, "other", "db", false),
        (SealingScope.namespaceWide, "shop", "renamed", true), (SealingScope.namespaceWide, "other", "db", false),
        (SealingScope.clusterWide, "other", "renamed", true),
    ])
    func scopes(scope: SealingScope, namespace: String, name: String, opens: Bool) throws {
        let secret = Self.secret(name: "db", namespace: "shop", values: ["password": "s3cret-canary"])
        var sealed = try SealedSecretSealer(key: pair.privateKey.publicKey).seal(secret, scope: scope)
        sealed.setMetadata("name", .string(name))
        sealed.setMetadata("namespace", .string(namespace))
        let unsealer = SealedSecretUnsealer(keys: [pair.privateKey])
        if opens {
            let unsealed = try unsealer.unseal(sealed)
            #expect(unsealed.name == name && unsealed.namespace == namespace)
            #expect(unsealed.object["data"]?["password"]?.stringValue == Data("s3cret-canary".utf8).base64EncodedString())
        } else {
            let error = #expect(throws: SealedSecretsError.self) { try unsealer.unseal(sealed) }
            #expect(error?.code == .decryptionFailed)
            #expect(error?.source == "SealedSecret/\(namespace)/\(name)")
            #expect(error.map { "\($0)".contains("spec.encryptedData.password") && !"\($0)".contains("s3cret") } ?? false)
        }
    }

    // kubeseal's shape: scope annotations on the SealedSecret and its template, the Secret's
    // labels, annotations (minus last-applied) and type in the template; the Secret built back
    // carries them and an owner reference to its SealedSecret.
    @Test func sealedSecretShape() throws {
        var secret = Self.secret(name: "db", namespace: "shop", values: ["password": "pw"])
        secret.setLabel("team", "payments")
        secret.setAnnotation("kubectl.kubernetes.io/last-applied-configuration", "{\"data\":{\"password\":\"cHc=\"}}")
        secret.setAnnotation("note", "kept")
        secret.object["type"] = "kubernetes.io/basic-auth"
        secret.object["stringData"] = ["username": "admin"]
        var sealed = try SealedSecretSealer(key: pair.privateKey.publicKey).seal(secret, scope: .namespaceWide)
        #expect(sealed.apiVersion == "bitnami.com/v1alpha1" && sealed.kind == "SealedSecret")
        #expect(sealed.annotations == [SealingScope.namespaceWideAnnotation: "true"])
        let template = try #require(sealed.object["spec"]?["template"])
        #expect(template["type"]?.stringValue == "kubernetes.io/basic-auth")
        #expect(template["metadata"]?["labels"]?["team"]?.stringValue == "payments")
        #expect(template["metadata"]?["annotations"]?["note"]?.stringValue == "kept")
        #expect(template["metadata"]?["annotations"]?[SealingScope.namespaceWideAnnotation]?.stringValue == "true")
        #expect(template["metadata"]?["annotations"]?["kubectl.kubernetes.io/last-applied-configuration"] == nil)
        #expect(sealed.object["spec"]?["encryptedData"]?.objectValue?.keys.elements == ["password", "username"])

        sealed.setMetadata("uid", "1234")
        let unsealed = try SealedSecretUnsealer(keys: [pair.privateKey]).unseal(sealed)
        #expect(unsealed.object["type"]?.stringValue == "kubernetes.io/basic-auth")
        #expect(unsealed.labels == ["team": "payments"])
        #expect(unsealed.object["data"]?["username"]?.stringValue == Data("admin".utf8).base64EncodedString())
        let owner = try #require(unsealed.metadata["ownerReferences"]?.arrayValue?.first)
        #expect(owner["kind"]?.stringValue == "SealedSecret" && owner["uid"]?.stringValue == "1234" && owner["controller"]?.boolValue == true)
    }

    // A Secret without a namespace is refused unless cluster-wide; an empty one is refused.
    @Test func sealRefusals() {
        let sealer = SealedSecretSealer(key: pair.privateKey.publicKey)
        #expect(throws: SealedSecretsError.self) { try sealer.seal(Self.secret(name: "db", namespace: "", values: ["a": "b"])) }
        #expect(throws: SealedSecretsError.self) { try sealer.seal(Self.secret(name: "db", namespace: "shop", values: [:])) }
        #expect(throws: Never.self) { try sealer.seal(Self.secret(name: "db", namespace: "", values: ["a": "b"]), scope: .clusterWide) }
    }

    static func secret(name: String, namespace: String, values: [String: String]) -> Manifest {
        var data = JSONObject()
        for (key, value) in values { data[key] = .string(Data(value.utf8).base64EncodedString()) }
        var metadata: JSONObject = ["name": .string(name)]
        if !namespace.isEmpty { metadata["namespace"] = .string(namespace) }
        return Manifest(unchecked: ["apiVersion": "v1", "kind": "Secret", "metadata": .object(metadata), "data": .object(data)])
    }
}
