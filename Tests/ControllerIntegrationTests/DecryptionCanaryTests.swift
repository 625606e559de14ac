import Foundation
import KeelsonTesting
import Kube
import Manifests
import Secrets
import Testing

/// A SOPS-encrypted Secret in Git reaches the cluster decrypted, and its value appears nowhere
/// else Keelson writes: not in the Application's status, not in debug logs, not in any file of
/// the Git cache or checkouts.
@Suite struct DecryptionCanaryTests {
    static let canary = "CANARY-sops-7d1e44-never-shown"

    @Test func decryptedOnlyInMemoryAndNeverShown() async throws {
        let identity = AgeIdentity.generate()
        let plain = "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\nstringData:\n  password: \(Self.canary)\n"
        let encrypted = try SOPS.encrypt(
            Array(plain.utf8), format: .yaml, recipients: [identity.recipient],
            rules: SOPSEncryptionRules(selector: .encryptedRegex("^(data|stringData)$")))
        let app = ControllerHarness.app(
            "vault", path: "app", extra: "    \n"
        ).replacingOccurrences(
            of: "path: app}", with: "path: app, decryption: {provider: sops, secretRef: {name: age-keys}}}")
        let logs = LogCapture()
        try await ControllerHarness.with(files: ["app/db.yaml": String(decoding: encrypted, as: UTF8.self)], apps: ["vault": app], logs: logs) { h in
            // The identity lives in a Secret next to the Application, as an operator would put it.
            try await h.eventually("the keelson namespace exists") {
                (try? await h.client.get(GroupVersionKind(group: "", version: "v1", kind: "Namespace"), name: "keelson", namespace: nil)) != nil
            }
            let keys = try Manifest([
                "apiVersion": "v1", "kind": "Secret", "metadata": ["name": "age-keys", "namespace": "keelson"],
                "data": ["identity.agekey": .string(Data(identity.fileContents().utf8).base64EncodedString())],
            ])
            _ = try await h.client.create(keys, options: WriteOptions())
            let secrets = GroupVersionKind(group: "", version: "v1", kind: "Secret")
            try await h.eventually("the decrypted Secret reaches the cluster") {
                let live = try await h.client.get(secrets, name: "db", namespace: "default")
                let inData = live.object["data"]?["password"]?.stringValue.flatMap { Data(base64Encoded: $0) }.map {
                    String(decoding: $0, as: UTF8.self)
                }
                return inData == Self.canary || live.object["stringData"]?["password"]?.stringValue == Self.canary
            }
            // Let a few more reconciles run, so status and logs have had every chance to leak.
            let reconciled = h.reconciles["keelson/vault"]
            try await h.eventually("three more reconciles") { h.reconciles["keelson/vault"] >= reconciled + 3 }
            let status = await h.status("vault")
            #expect(status?["sync"]?["status"] == "Synced")
            #expect(!JSONWriter.compact(status ?? .null).contains(Self.canary), "status leaks the value")
            let lines = logs.lines
            #expect(lines.contains { $0.contains("sync finished") && $0.contains("keelson/vault") }, "the sync's logs were captured")
            #expect(!lines.contains { $0.contains(Self.canary) }, "logs leak the value")
            // No plaintext copy on disk: the cache and checkouts hold only the encrypted file.
            let scan = h.folder.scan(for: Self.canary)
            #expect(scan.containing.isEmpty, "files holding the plaintext: \(scan.containing)")
            #expect(scan.files > 10, "the cache was scanned")
        }
    }
}
