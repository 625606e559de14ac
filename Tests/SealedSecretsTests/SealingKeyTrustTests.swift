import Foundation
import KeelsonTesting
import Kube
import Manifests
import SealedSecrets
import Secrets
import Testing

/// Which Secrets become sealing keys, against the sandbox: nothing a SealedSecret's author can
/// make, Bitnami's unlabelled first key, and keys read on a replica that does not lead.
@Suite struct SealingKeyTrustTests {
    typealias Cluster = SealedSecretsCluster

    // A SealedSecret in the controller's namespace whose template labels a plaintext key pair as
    // a sealing key is refused (no Secret is made); a labelled key Secret with an owner reference
    // is ignored even with a certificate dated 2099; Bitnami's unlabelled `sealed-secrets-key`,
    // created last, is loaded and seals.
    @Test func plantedKeysAreRefusedAndLegacyKeyLoads() async throws {
        let time = Cluster.Time()
        try await Cluster.withCluster { client in
            try await Cluster.withService(client, time: time) { service in
                let attacker = try SealingKeyPair.generate(bits: 2048, now: Date(timeIntervalSince1970: 4_070_908_800))
                let planted = Manifest(unchecked: [
                    "apiVersion": "bitnami.com/v1alpha1", "kind": "SealedSecret", "metadata": ["name": "planted", "namespace": "keelson"],
                    "spec": [
                        "encryptedData": [:],
                        "template": [
                            "type": "kubernetes.io/tls", "metadata": ["labels": [SealingKeySecret.label: "active"]],
                            "data": ["tls.crt": .string(attacker.certificatePEM), "tls.key": .string(attacker.privateKey.pemRepresentation)],
                        ],
                    ],
                ])
                try await Cluster.create(planted, client: client)
                try await eventually("the planted key is refused") {
                    let condition = try await Cluster.synced("planted", namespace: "keelson", client: client)
                    return condition?["reason"]?.stringValue == "ErrUnsealFailed"
                        && condition?["message"]?.stringValue?.contains(SealingKeySecret.label) == true
                }
                await #expect(throws: KubeError.self) { try await client.get(Cluster.secrets, name: "planted", namespace: "keelson") }

                var owned = SealingKeySecret.manifest(for: attacker, namespace: "keelson")
                owned.setMetadata("name", "owned-key")
                owned.setMetadata("ownerReferences", [["apiVersion": "v1", "kind": "ConfigMap", "name": "x", "uid": "u"]])
                _ = try await client.create(owned, options: WriteOptions(fieldManager: "test"))

                // Created after the owned one, so once it is loaded the owned one was seen.
                time.clock.advance(by: .seconds(5))
                let legacy = try SealingKeyPair.generate(bits: 2048, now: time.now())
                var legacySecret = SealingKeySecret.manifest(for: legacy, namespace: "keelson")
                legacySecret.setMetadata("name", .string(SealingKeySecret.legacyName))
                legacySecret.setMetadata("labels", nil)
                _ = try await client.create(legacySecret, options: WriteOptions(fieldManager: "test"))
                try await eventually("the legacy key is loaded") { service.keys.count == 2 }
                #expect(service.keys.certificatePEM == legacy.certificatePEM)
                let fingerprints = service.keys.privateKeys.map(\.publicKey.fingerprint)
                #expect(!fingerprints.contains(attacker.privateKey.publicKey.fingerprint))
            }
        }
    }

    // The key watch alone (what a replica that does not lead runs) fills the registry from the
    // key Secrets, so /v1/cert.pem answers there too; it writes nothing.
    @Test func keyWatchAloneLoadsKeys() async throws {
        try await Cluster.withCluster { client in
            try await client.createNamespaceIfMissing("keelson", fieldManager: "test")
            let pair = try SealingKeyPair.generate(bits: 2048)
            _ = try await client.create(SealingKeySecret.manifest(for: pair, namespace: "keelson"), options: WriteOptions(fieldManager: "test"))
            let service = SealedSecretsService(client: client)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await service.keyWatch.run() }
                defer { group.cancelAll() }
                try await eventually("the key is loaded") { service.keys.certificatePEM == pair.certificatePEM }
            }
            let secrets = try await client.list(Cluster.secrets, namespace: "keelson", options: ListOptions()).items
            #expect(secrets.count == 1)
        }
    }
}
