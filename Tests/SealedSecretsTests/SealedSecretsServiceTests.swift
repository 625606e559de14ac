import Foundation
import KeelsonTesting
import Kube
import Manifests
import SealedSecrets
import Secrets
import Testing

/// The SealedSecrets controller against the sandbox: unsealing into owned Secrets, refusals,
/// key renewal on a manual clock, and the leak canary.
@Suite struct SealedSecretsServiceTests {
    typealias Cluster = SealedSecretsCluster

    // A SealedSecret kubesealpy sealed with the controller's certificate becomes a Secret of the
    // same name, owned by it, and its status says Synced.
    @Test(.enabled(if: KubesealPy.isAvailable, "python3 cannot import kubesealpy"))
    func kubesealpySealedSecretIsUnsealed() async throws {
        try await Cluster.withCluster { client in
            try await Cluster.withService(client) { service in
                let folder = try TemporaryDirectory()
                defer { folder.remove() }
                let certificate = try folder.write("cert.pem", try #require(service.keys.certificatePEM))
                let json = try await KubesealPy.seal(
                    certificatePath: certificate, namespace: "shop", name: "db", scope: "strict", data: ["password": "s3cret-canary"])
                let sealed = try #require(try Manifest.decode(Array(json.utf8), file: "sealed.json").first)
                let created = try await Cluster.create(sealed, client: client)
                try await eventually("the Secret is unsealed") { try await Cluster.value("db", "password", client: client) == "s3cret-canary" }
                let secret = try await client.get(Cluster.secrets, name: "db", namespace: "shop")
                let owner = try #require(secret.metadata["ownerReferences"]?.arrayValue?.first)
                #expect(owner["uid"]?.stringValue == created.metadata["uid"]?.stringValue)
                #expect(owner["controller"]?.boolValue == true && owner["kind"]?.stringValue == "SealedSecret")
                try await eventually("the status says Synced") { try await Cluster.synced("db", client: client)?["status"]?.stringValue == "True" }
                let status = try await client.get(Cluster.sealedSecrets, name: "db", namespace: "shop").object["status"]
                #expect(status?["observedGeneration"]?.intValue == created.metadata["generation"]?.intValue)
            }
        }
    }

    // A strict SealedSecret renamed is refused with a clear condition; a Secret someone else
    // owns is not overwritten until annotated managed; nothing of the value reaches a log line
    // or a status.
    @Test func refusalsAndLeakCanary() async throws {
        let logs = LogCapture()
        let canary = "s3cret-canary-\(UUID().uuidString)"
        let time = Cluster.Time()
        try await Cluster.withCluster { client in
            try await Cluster.withService(client, time: time, logger: logs.logger) { service in
                let key = try SealingPublicKey(certificatePEM: try #require(service.keys.certificatePEM))
                let sealer = SealedSecretSealer(key: key)
                let strict = try sealer.seal(Cluster.secret(name: "db", values: ["password": canary]))
                try await Cluster.create(strict, name: "renamed", client: client)
                try await eventually("the renamed SealedSecret is refused") {
                    let condition = try await Cluster.synced("renamed", client: client)
                    return condition?["status"]?.stringValue == "False" && condition?["reason"]?.stringValue == "ErrUnsealFailed"
                }
                let message = try await Cluster.synced("renamed", client: client)?["message"]?.stringValue ?? ""
                #expect(message.contains("spec.encryptedData.password") && message.contains("SealedSecret/shop/renamed"))
                await #expect(throws: KubeError.self) { try await client.get(Cluster.secrets, name: "renamed", namespace: "shop") }

                _ = try await client.create(
                    Cluster.secret(name: "foreign", values: ["password": "theirs"]), options: WriteOptions(fieldManager: "test"))
                try await Cluster.create(try sealer.seal(Cluster.secret(name: "foreign", values: ["password": canary])), client: client)
                try await eventually("the foreign Secret is refused") {
                    try await Cluster.synced("foreign", client: client)?["reason"]?.stringValue == "ErrUpdateFailed"
                }
                #expect(try await Cluster.value("foreign", "password", client: client) == "theirs")

                // Handed over with the managed annotation, the next resync takes it.
                var foreign = try await client.get(Cluster.secrets, name: "foreign", namespace: "shop")
                foreign.setAnnotation("sealedsecrets.bitnami.com/managed", "true")
                _ = try await client.update(foreign, options: WriteOptions(fieldManager: "test"))
                try await eventually("the managed Secret is taken over") {
                    time.clock.advance(by: .seconds(601))
                    return try await Cluster.value("foreign", "password", client: client) == canary
                }

                let statuses = try await client.list(Cluster.sealedSecrets, namespace: "shop", options: ListOptions()).items
                    .map { JSONWriter.compact($0.object["status"] ?? .null) }
                #expect(statuses.count == 2)
                #expect(!statuses.contains { $0.contains(canary) || $0.contains(Data(canary.utf8).base64EncodedString()) })
            }
        }
        let lines = logs.lines
        #expect(lines.contains { $0.contains("cannot unseal") })
        #expect(!lines.contains { $0.contains(canary) || $0.contains(Data(canary.utf8).base64EncodedString()) })
        #expect(!lines.contains { $0.contains("PRIVATE KEY") })
    }

    // Thirty days on (virtual time), a second key is made and seals; the first stays in its
    // Secret and still unseals what it sealed.
    @Test func keyRenewalKeepsOldKeys() async throws {
        let time = Cluster.Time()
        try await Cluster.withCluster { client in
            try await Cluster.withService(client, time: time) { service in
                let firstCertificate = try #require(service.keys.certificatePEM)
                let old = try SealedSecretSealer(key: try SealingPublicKey(certificatePEM: firstCertificate))
                    .seal(Cluster.secret(name: "old", values: ["v": "sealed-with-the-first-key"]))

                time.clock.advance(by: .seconds(30 * 86400 + 1))
                try await eventually("a second key is made") { service.keys.count == 2 }
                let keySecrets = try await client.list(Cluster.secrets, namespace: "keelson", options: ListOptions()).items
                    .filter { $0.labels[SealingKeySecret.label] == "active" }
                #expect(keySecrets.count == 2)
                #expect(keySecrets.allSatisfy { $0.object["type"]?.stringValue == "kubernetes.io/tls" })
                let secondCertificate = try #require(service.keys.certificatePEM)
                #expect(secondCertificate != firstCertificate)

                let new = try SealedSecretSealer(key: try SealingPublicKey(certificatePEM: secondCertificate))
                    .seal(Cluster.secret(name: "new", values: ["v": "sealed-with-the-second-key"]))
                try await Cluster.create(old, client: client)
                try await Cluster.create(new, client: client)
                try await eventually("both unseal") {
                    let old = try await Cluster.value("old", "v", client: client)
                    let new = try await Cluster.value("new", "v", client: client)
                    return old == "sealed-with-the-first-key" && new == "sealed-with-the-second-key"
                }
                // The new seal is the new key's: the first key alone cannot open it.
                let firstKey = try #require(service.keys.privateKeys.last)
                #expect(throws: SealedSecretsError.self) { try SealedSecretUnsealer(keys: [firstKey]).unseal(new) }
            }
        }
    }
}
