import AsyncHTTPClient
import Foundation
import KeelsonTesting
import Kube
import Manifests
import Secrets
import Server
import Testing

/// A SOPS-encrypted Secret synced through the controller, then drifted in the cluster: neither
/// its value from Git nor the drifted value appears in any API reply, event, metric, dashboard
/// page, the audit log, or any file under the data directory — while the API still says that
/// the Secret drifted.
@Suite struct ServerCanaryTests {
    static let canary = "CANARY-server-4f2a91-never-shown"
    static let drifted = "DRIFTED-by-hand-83c1d0"

    @Test func secretValuesReachNoReplyPageOrFile() async throws {
        let identity = AgeIdentity.generate()
        let plain = "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\nstringData:\n  password: \(Self.canary)\n"
        let encrypted = try SOPS.encrypt(
            Array(plain.utf8), format: .yaml, recipients: [identity.recipient],
            rules: SOPSEncryptionRules(selector: .encryptedRegex("^(data|stringData)$")))
        let app = ServerHarness.app("vault", path: "app", selfHeal: false).replacingOccurrences(
            of: "path: app}", with: "path: app, decryption: {provider: sops, secretRef: {name: age-keys}}}")
        try await ServerHarness.with(
            files: ["app/db.yaml": String(decoding: encrypted, as: UTF8.self)], apps: ["vault": app], routes: [try Dashboard.serverRoutes()]
        ) { h in
            let secrets = GroupVersionKind(group: "", version: "v1", kind: "Secret")
            try await h.eventually("the keelson namespace exists") {
                (try? await h.client.get(GroupVersionKind(group: "", version: "v1", kind: "Namespace"), name: "keelson", namespace: nil)) != nil
            }
            let keys = try Manifest([
                "apiVersion": "v1", "kind": "Secret", "metadata": ["name": "age-keys", "namespace": "keelson"],
                "data": ["identity.agekey": .string(Data(identity.fileContents().utf8).base64EncodedString())],
            ])
            _ = try await h.client.create(keys, options: WriteOptions())
            @Sendable func password() async -> String? {
                let live = try? await h.client.get(secrets, name: "db", namespace: "default")
                return live?.object["data"]?["password"]?.stringValue.flatMap { Data(base64Encoded: $0) }.map { String(decoding: $0, as: UTF8.self) }
            }
            try await h.eventually("the decrypted Secret reaches the cluster") { await password() == Self.canary }
            // Drift it by hand (no self-heal): live and desired now differ in the secret value.
            _ = try await h.client.mergePatch(
                secrets, name: "db", namespace: "default", patch: ["data": ["password": .string(Data(Self.drifted.utf8).base64EncodedString())]],
                options: WriteOptions(fieldManager: "kubectl-edit"))
            try await h.eventually("the drift is reported") { try await h.syncStatus("vault") == "OutOfSync" }

            var replies: [(String, String)] = []
            for path in [
                "/api/v1/applications", "/api/v1/applications/vault", "/api/v1/applications/vault/resources", "/api/v1/applications/vault/diff",
                "/api/v1/applications/vault/diff?group=&kind=Secret&namespace=default&name=db", "/api/v1/applications/vault/history", "/metrics",
            ] {
                let reply = try await h.call(.GET, path)
                #expect(reply.status == 200, "\(path): \(reply.status)")
                replies.append((path, reply.body))
            }
            let dryRun = try await h.call(.POST, "/api/v1/applications/vault/sync", body: #"{"dryRun": true}"#)
            replies.append(("POST sync dryRun", dryRun.body))
            replies.append(("events", try await h.events(lastEventID: 0) { $0.contains("event: application") }))
            replies.append(("audit log", (try? String(contentsOfFile: h.auditPath, encoding: .utf8)) ?? ""))
            // The dashboard's pages, as a signed-in browser gets them.
            let session = try #require(try await h.signIn(as: "admin"))
            for page in ["/", "/applications/keelson/vault"] {
                var request = HTTPClientRequest(url: h.baseURL + page)
                request.headers.add(name: "Cookie", value: "keelson_session=\(session)")
                let response = try await h.http.execute(request, timeout: .seconds(30))
                let html = String(buffer: try await response.body.collect(upTo: 16 << 20))
                #expect(response.status == .ok && html.contains("vault"), "\(page): \(response.status)")
                replies.append(("dashboard \(page)", html))
            }
            #expect(replies.last?.1.contains("Secret") == true, "the application page shows the drifted Secret")

            let diff = replies.first { $0.0.hasSuffix("/diff") }?.1 ?? ""
            #expect(
                diff.contains("\"kind\":\"Secret\"") || diff.contains("\"kind\": \"Secret\""),
                "the diff names the drifted Secret: \(diff.prefix(300))")
            for (what, body) in replies {
                #expect(!body.contains(Self.canary) && !body.contains(Self.drifted), "\(what) shows a secret value")
                let encoded = [Self.canary, Self.drifted].map { Data($0.utf8).base64EncodedString() }
                #expect(!encoded.contains { body.contains($0) }, "\(what) shows a secret value in base64")
            }
            // Nothing under the data directory (Git cache, checkouts, audit log) holds the plaintext.
            let scan = h.folder.scan(for: Self.canary)
            #expect(scan.containing.isEmpty, "files holding the plaintext: \(scan.containing)")
            #expect(scan.files > 5, "the data directory was scanned")
        }
    }
}
