import Foundation
import KeelsonTesting
import Kube
import KubeSandbox
import Manifests
import Secrets
import Testing

/// A Secret in Git whose SOPS data key is wrapped by an AWS KMS key (on the real moto, checking
/// signatures) reaches the cluster decrypted, with the credentials from the decryption Secret's
/// `sops.aws-kms` (Flux's key and YAML); the value and the secret key appear in no status, log
/// line or file on disk. Wrong credentials fail the render, naming the key, not the secret.
@Suite(.enabled(if: RealMoto.isAvailable, "needs moto_server and boto3 (scripts/test installs moto[server])"))
struct KMSDecryptionCanaryTests {
    static let canary = "CANARY-kms-\(UUID().uuidString)"

    static func credentialsSecret(_ name: String, id: String, secret: String) throws -> Manifest {
        let yaml = "aws_access_key_id: \(id)\naws_secret_access_key: \(secret)\n"
        return try Manifest([
            "apiVersion": "v1", "kind": "Secret", "metadata": ["name": .string(name), "namespace": "keelson"],
            "data": ["sops.aws-kms": .string(Data(yaml.utf8).base64EncodedString())],
        ])
    }

    @Test func kmsWrappedSecretDecryptedWithCredentialsFromSecret() async throws {
        try await RealMoto.withRunning(requiringCredentials: true) { moto in
            let arn = try await moto.createKMSKey()
            let key = moto.accessKey
            let plain = "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\nstringData:\n  password: \(Self.canary)\n"
            let encrypted = try await SOPS.encrypt(
                Array(plain.utf8), format: .yaml, recipients: [], kmsKeys: [SOPSKMSKey(arn: arn, context: ["app": "db"])],
                credentials: SOPSCredentials(
                    aws: AWSCredentials(accessKeyID: key.id, secretAccessKey: key.secret), environment: ["AWS_ENDPOINT_URL_KMS": moto.endpoint]),
                rules: SOPSEncryptionRules(selector: .encryptedRegex("^(data|stringData)$")))
            var apps: [String: String] = [:]
            for (name, namespace) in [("kms", "default"), ("wrong", "other")] {
                apps[name] = ControllerHarness.app(name, path: "app", extra: "    \n")
                    .replacingOccurrences(of: "path: app}", with: "path: app, decryption: {provider: sops, secretRef: {name: aws-\(name)}}}")
                    .replacingOccurrences(of: "destination: {namespace: default}", with: "destination: {namespace: \(namespace)}")
            }
            let wrongSecret = "CANARY-wrong-secret-\(UUID().uuidString)"
            let logs = LogCapture()
            try await ControllerHarness.with(
                files: ["app/db.yaml": String(decoding: encrypted, as: UTF8.self)], apps: apps, logs: logs,
                awsEnvironment: ["AWS_ENDPOINT_URL_KMS": moto.endpoint]
            ) { h in
                try await h.eventually("the keelson namespace exists") {
                    (try? await h.client.get(GroupVersionKind(group: "", version: "v1", kind: "Namespace"), name: "keelson", namespace: nil)) != nil
                }
                _ = try await h.client.create(Self.credentialsSecret("aws-kms", id: key.id, secret: key.secret), options: WriteOptions())
                _ = try await h.client.create(Self.credentialsSecret("aws-wrong", id: key.id, secret: wrongSecret), options: WriteOptions())
                let secrets = GroupVersionKind(group: "", version: "v1", kind: "Secret")
                try await h.eventually("the decrypted Secret reaches the cluster") {
                    let live = try await h.client.get(secrets, name: "db", namespace: "default")
                    return live.object["data"]?["password"]?.stringValue == Data(Self.canary.utf8).base64EncodedString()
                }
                try await h.eventually("wrong's render fails on KMS's refusal, naming the key") {
                    let status = JSONWriter.compact(await h.status("wrong") ?? .null)
                    return status.contains(arn) && status.contains("SignatureDoesNotMatch")
                }
                let reconciled = h.reconciles["keelson/kms"]
                try await h.eventually("three more reconciles") { h.reconciles["keelson/kms"] >= reconciled + 3 }
                let status = await h.status("kms")
                #expect(status?["sync"]?["status"] == "Synced")
                let leaks = [Self.canary, key.secret, wrongSecret]
                for app in ["kms", "wrong"] {
                    let text = JSONWriter.compact(await h.status(app) ?? .null)
                    #expect(!leaks.contains { text.contains($0) }, "\(app)'s status leaks the value or a secret key")
                }
                await #expect(throws: KubeError.self) { _ = try await h.client.get(secrets, name: "db", namespace: "other") }
                let lines = logs.lines
                #expect(lines.contains { $0.contains("sync finished") && $0.contains("keelson/kms") }, "the sync's logs were captured")
                #expect(!lines.contains { line in leaks.contains { line.contains($0) } }, "logs leak the value or a secret key")
                for needle in leaks {
                    #expect(h.folder.scan(for: needle).containing.isEmpty, "files hold a value or secret key")
                }
                #expect(h.folder.scan(for: Self.canary).files > 10, "the cache was scanned")
            }
        }
    }
}
