import AsyncHTTPClient
import Foundation
import GitSource
import KeelsonTesting
import Kube
import Manifests
import Server
import Testing

/// Applications whose `repoURL` carries a password (`user:pass@`) and a signed query
/// (`?sig=...`): neither appears in any API reply, event, metric, dashboard page, the audit
/// log, the Applications' status, or a file of the Git cache — while the redacted URL is shown.
@Suite struct RepositoryURLCanaryTests {
    static let password = "PASSWORD-canary-51e0c2"
    static let signature = "SIGNATURE-canary-a7c3f9"

    @Test func repositoryURLSecretsReachNoReplyPageMetricOrStatus() async throws {
        let port = try Ports.free()  // nothing listens: the fetch fails and git says why
        let https = "https://deploy:\(Self.password)@127.0.0.1:\(port)/org/repo.git?sig=\(Self.signature)"
        let apps = [
            "signed": ServerHarness.app("signed", path: "app").replacingOccurrences(of: "REPO", with: https),
            // git prints a local path it cannot open, query included.
            "signed-file": ServerHarness.app("signed-file", path: "app").replacingOccurrences(of: "REPO", with: "REPO-missing?sig=\(Self.signature)"),
        ]
        try await ServerHarness.with(files: ["app/a.yaml": ServerHarness.configMap("a", "1")], apps: apps, routes: [try Dashboard.serverRoutes()]) {
            h in
            let applications = GroupVersionKind(group: "keelson.dev", version: "v1alpha1", kind: "Application")
            @Sendable func status(_ name: String) async -> String {
                let object = try? await h.client.get(applications, name: name, namespace: "keelson")
                return JSONWriter.compact(object?.object["status"] ?? .null)
            }
            try await h.eventually("both fetches failed and said so in the status") {
                let texts = [await status("signed"), await status("signed-file")]
                return texts.allSatisfy { $0.contains("FetchFailed") }
            }
            var replies: [(String, String)] = [("status signed", await status("signed")), ("status signed-file", await status("signed-file"))]
            for path in ["/api/v1/applications", "/api/v1/applications/signed", "/api/v1/applications/signed-file", "/metrics"] {
                let reply = try await h.call(.GET, path)
                #expect(reply.status == 200, "\(path): \(reply.status)")
                replies.append((path, reply.body))
            }
            replies.append(("events", try await h.events(lastEventID: 0) { $0.contains("event: application") }))
            replies.append(("audit log", (try? String(contentsOfFile: h.auditPath, encoding: .utf8)) ?? ""))
            let session = try #require(try await h.signIn(as: "admin"))
            for page in ["/", "/applications/keelson/signed"] {
                var request = HTTPClientRequest(url: h.baseURL + page)
                request.headers.add(name: "Cookie", value: "keelson_session=\(session)")
                let response = try await h.http.execute(request, timeout: .seconds(30))
                let html = String(buffer: try await response.body.collect(upTo: 16 << 20))
                #expect(response.status == .ok, "\(page): \(response.status)")
                replies.append(("dashboard \(page)", html))
            }

            // The redacted URL is what is shown, in the API, the dashboard and the metric label.
            let shown = "https://127.0.0.1:\(port)/org/repo.git?"
            let detail = replies.first { $0.0 == "/api/v1/applications/signed" }?.1 ?? ""
            #expect(detail.contains(shown), "the API shows the redacted URL")
            #expect(replies.first { $0.0 == "/metrics" }?.1.contains("127.0.0.1:\(port)") == true, "the fetch is in /metrics")
            #expect(replies.first { $0.0 == "dashboard /applications/keelson/signed" }?.1.contains(shown) == true)
            for (what, body) in replies {
                #expect(!body.contains(Self.password), "\(what) shows the password")
                #expect(!body.contains(Self.signature), "\(what) shows the signed query")
            }
            // Only the Application manifests themselves (under apps/) hold the secrets.
            for secret in [Self.password, Self.signature] {
                let scan = h.folder.scan(for: secret)
                #expect(scan.containing.filter { !$0.hasPrefix("apps/") }.isEmpty, "files holding a secret: \(scan.containing)")
                let names = FileManager.default.enumerator(atPath: h.folder.path)?.allObjects.compactMap { $0 as? String } ?? []
                #expect(!names.contains { $0.contains(secret) }, "a file name holds a secret")
            }
        }
    }
}
