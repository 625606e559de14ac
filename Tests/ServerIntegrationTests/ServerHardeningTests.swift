import AsyncHTTPClient
import Foundation
import KeelsonTesting
import Kube
import Manifests
import NIOHTTP1
import Server
import Testing

/// The holes of issue #13 in the API, each attacked over HTTP against a running controller.
@Suite(.serialized) struct ServerHardeningTests {
    typealias H = ServerHarness

    /// Item 7: ten wrong tokens from one address used to lock every user behind it out, valid
    /// tokens included, and left no trace. Now a valid token is always accepted, wrong ones are
    /// limited, and each counted failure is in the audit log (without the token).
    @Test func theFailedAuthLimiterNeverRefusesAValidTokenAndAuditsFailures() async throws {
        try await H.with(files: ["web/config.yaml": H.configMap("web-config", "1")], apps: [:], failedAuthBurst: 3) { h in
            let guess = "guessed-token-91c2"
            for _ in 0..<3 {
                #expect(try await h.call(.GET, "/api/v1/me", as: nil, headers: [("Authorization", "Bearer \(guess)")]).status == 401)
            }
            let limited = try await h.call(.GET, "/api/v1/me", as: nil, headers: [("Authorization", "Bearer \(guess)")])
            #expect(limited.status == 429 && limited.headers.first(name: "Retry-After") != nil)
            // Someone else behind the same address, with a valid token, is not locked out.
            #expect(try await h.call(.GET, "/api/v1/me", as: "admin").status == 200)
            #expect(try await h.call(.GET, "/api/v1/applications", as: "viewer").status == 200)
            let audit = try String(contentsOfFile: h.auditPath, encoding: .utf8)
            let failures = audit.split(separator: "\n").filter { $0.contains(#""action":"authenticate""#) && $0.contains(#""outcome":"denied""#) }
            #expect(failures.count == 3, "each counted failure is audited:\n\(audit)")
            #expect(failures.allSatisfy { $0.contains(#""client":"127.0.0.1""#) })
            #expect(!audit.contains(guess), "the audit log never holds a token")
        }
    }

    /// Item 8: an operator could sync an automated application to any revision. Now that needs
    /// an admin; the same operator may still override the revision of a manual application.
    @Test func revisionOverridesOnAutomatedApplicationsNeedAnAdmin() async throws {
        let manual = """
            apiVersion: keelson.dev/v1alpha1
            kind: Application
            metadata: {name: manual, namespace: keelson}
            spec:
              source: {repoURL: REPO, revision: main, path: manual}
              destination: {namespace: default}
            """
        let files = ["web/config.yaml": H.configMap("web-config", "1"), "manual/config.yaml": H.configMap("manual-config", "1")]
        try await H.with(files: files, apps: ["web": H.app("web", path: "web"), "manual": manual]) { h in
            try await h.eventually("both applications are listed") {
                try await h.call(.GET, "/api/v1/applications").json["items"]?.arrayValue?.count == 2
            }
            let override = #"{"revision": "unreviewed"}"#
            let refused = try await h.call(.POST, "/api/v1/applications/web/sync", as: "operator", body: override)
            #expect(refused.status == 403, "\(refused.body)")
            #expect(refused.json["error"]?["message"]?.stringValue?.contains("automatically") == true, "\(refused.body)")
            #expect(try await h.call(.POST, "/api/v1/applications/web/sync", as: "operator", body: "{}").status == 202, "a plain sync is fine")
            #expect(try await h.call(.POST, "/api/v1/applications/web/sync", as: "admin", body: override).status == 202)
            #expect(try await h.call(.POST, "/api/v1/applications/manual/sync", as: "operator", body: #"{"revision": "main"}"#).status == 202)
            let audit = try String(contentsOfFile: h.auditPath, encoding: .utf8)
            #expect(audit.contains("revision override on an automated application"))
        }
    }

    /// Item 12: a token scoped to `other-*` learned that `web` exists (403, not 404), and a 409
    /// listed namespaces outside its scope. Now out-of-scope is exactly "not found", a bare glob
    /// means the controller's namespace, `namespace/name` globs and project globs work.
    @Test func scopedTokensSeeOnlyTheirApplications() async throws {
        let files = [
            "web/config.yaml": H.configMap("web-config", "1"), "other/config.yaml": H.configMap("other-config", "1"),
            "tenant/config.yaml": H.configMap("tenant-config", "1"), "team/config.yaml": H.configMap("team-config", "1"),
        ]
        let tenantApp = H.app("other-app", path: "tenant", namespace: "tenant")
        let projectApp = H.app("team-app", path: "team").replacingOccurrences(of: "spec:\n", with: "spec:\n  project: team-a\n")
        let apps = [
            "web": H.app("web", path: "web"), "other-app": H.app("other-app", path: "other"), "tenant-other": tenantApp, "team-app": projectApp,
        ]
        try await H.with(files: files, apps: apps, namespaces: ["tenant"]) { h in
            try await h.eventually("the four applications are listed") {
                try await h.call(.GET, "/api/v1/applications").json["items"]?.arrayValue?.count == 4
            }
            // Out of scope answers as missing, for reads and actions, word for word.
            for (path, body) in [("", nil), ("/sync", "{}"), ("/refresh", ""), ("/suspend", "")] as [(String, String?)] {
                let method: HTTPMethod = body == nil ? .GET : .POST
                let hidden = try await h.call(method, "/api/v1/applications/web" + path, as: "scoped", body: body)
                let missing = try await h.call(method, "/api/v1/applications/nope" + path, as: "scoped", body: body)
                #expect(hidden.status == 404 && missing.status == 404, "\(path): \(hidden.status) \(missing.status)")
                #expect(hidden.body.replacingOccurrences(of: "web", with: "nope") == missing.body, "\(path): \(hidden.body) vs \(missing.body)")
            }
            // `other-*` means keelson/other-*: other-app is not ambiguous for it, and tenant is never named.
            let scoped = try await h.call(.GET, "/api/v1/applications/other-app", as: "scoped")
            #expect(scoped.status == 200 && scoped.json["namespace"] == "keelson", "\(scoped.body)")
            let names = (try await h.call(.GET, "/api/v1/applications", as: "scoped").json["items"]?.arrayValue ?? []).map {
                "\($0["namespace"]?.stringValue ?? "")/\($0["name"]?.stringValue ?? "")"
            }
            #expect(names == ["keelson/other-app"])
            let ambiguous = try await h.call(.GET, "/api/v1/applications/other-app", as: "admin")
            #expect(ambiguous.status == 409, "an admin sees both")
            // `tenant/*` sees only the tenant's application, and acts on it.
            let tenant = try await h.call(.GET, "/api/v1/applications/other-app", as: "tenant")
            #expect(tenant.status == 200 && tenant.json["namespace"] == "tenant", "\(tenant.body)")
            #expect(try await h.call(.POST, "/api/v1/applications/other-app/refresh", as: "tenant").status == 202)
            #expect(try await h.call(.GET, "/api/v1/applications/web", as: "tenant").status == 404)
            // `projects: [team-a]` sees only the applications of that project.
            let project = (try await h.call(.GET, "/api/v1/applications", as: "project").json["items"]?.arrayValue ?? []).map { $0["name"] }
            #expect(project == ["team-app"])
            #expect(try await h.call(.GET, "/api/v1/me", as: "project").json["projects"] == ["team-a"])
            let events = try await h.events(as: "project", lastEventID: 0) { $0.contains("keelson/team-app") }
            #expect(!events.contains("keelson/web") && !events.contains("other-app"), "events are scoped by project too")
        }
    }

    /// Item 13: the session cookie was the token, valid forever. Now it is a random id that ends
    /// when idle, after its lifetime, and on logout; the token itself is no cookie.
    @Test func sessionsExpireAndLogoutRevokes() async throws {
        let clock = ManualClock()
        try await H.with(
            files: ["web/config.yaml": H.configMap("web-config", "1")], apps: [:], heartbeat: .milliseconds(200),
            routes: [try Dashboard.serverRoutes()],
            configure: {
                $0.sessionIdleTimeout = .seconds(600)
                $0.sessionLifetime = .seconds(3600)
                $0.sessionClock = clock
            }
        ) { h in
            func me(_ session: String) async throws -> Int {
                try await h.call(.GET, "/api/v1/me", as: nil, headers: [("Cookie", "keelson_session=\(session)")]).status
            }
            // The raw token is not a session.
            #expect(try await me(H.tokens["operator"]!) == 401)
            let first = try #require(try await h.signIn(as: "operator"))
            #expect(first.count == 64 && first != H.tokens["operator"])
            #expect(try await me(first) == 200)
            // Idle for the idle timeout: gone.
            clock.advance(by: .seconds(601))
            #expect(try await me(first) == 401)
            // In use, it still ends at its lifetime.
            let second = try #require(try await h.signIn(as: "operator"))
            for _ in 0..<6 {
                clock.advance(by: .seconds(500))
                #expect(try await me(second) == 200)
            }
            clock.advance(by: .seconds(601))
            #expect(try await me(second) == 401, "past its lifetime")
            // Logout ends it on the server, whatever the browser keeps, and ends its open event stream.
            let third = try #require(try await h.signIn(as: "operator"))
            var stream = HTTPClientRequest(url: h.baseURL + "/api/v1/events")
            stream.headers.add(name: "Cookie", value: "keelson_session=\(third)")
            let events = try await h.http.execute(stream, timeout: .seconds(30))
            #expect(events.status == .ok)
            var request = HTTPClientRequest(url: h.baseURL + "/logout")
            request.method = .POST
            request.headers.add(name: "Cookie", value: "keelson_session=\(third)")
            _ = try await h.http.execute(request, timeout: .seconds(10))
            #expect(try await me(third) == 401)
            let start = ContinuousClock.now
            var read = 0
            for try await chunk in events.body { read += chunk.readableBytes }
            #expect(read > 0 && ContinuousClock.now - start < .seconds(10), "the stream ended after the logout")
        }
    }

    /// Item 3 (the cap): past `maximumConnections` a connection is answered 503 and closed at
    /// once, without waiting for its request; once one closes, connections are served again.
    @Test func connectionsPastTheCapAreRefusedAtOnce() async throws {
        try await H.with(files: ["web/config.yaml": H.configMap("web-config", "1")], apps: [:], configure: { $0.maximumConnections = 2 }) { h in
            let port = Int(h.baseURL.split(separator: ":").last ?? "") ?? 0
            var held = [try RawConnection(port: port), try RawConnection(port: port)]
            // Both are admitted: each answers a request (and stays open, kept alive).
            for connection in held {
                connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(await connection.read(until: { $0.contains(#"{"status":"ok"}"#) }, timeout: .seconds(10)).hasPrefix("HTTP/1.1 200"))
            }
            let refused = try RawConnection(port: port)
            let start = ContinuousClock.now
            let answer = await refused.readUntilClosed(timeout: .seconds(10))
            #expect(answer.closed && answer.text.hasPrefix("HTTP/1.1 503"), "\(answer.text)")
            let parts = answer.text.components(separatedBy: "\r\n\r\n")
            #expect(
                parts.count == 2 && (parts[0] + "\r\n").contains("Content-Length: \(parts.last?.utf8.count ?? -1)\r\n")
                    && parts[1].contains("TooManyConnections"), "\(answer.text)")
            #expect(ContinuousClock.now - start < .seconds(5), "refused at once, not after a timeout")
            held.removeFirst()
            try await h.eventually("a connection is served again once one closed") {
                let next = try RawConnection(port: port)
                next.send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                return await next.readUntilClosed(timeout: .seconds(5)).text.hasPrefix("HTTP/1.1 200")
            }
            _ = held
        }
    }

    /// Item 15 (replies): a verified push's reply counts what it refreshed but names nothing.
    @Test func webhookRepliesNameNoApplication() async throws {
        try await H.with(
            files: ["hooked/config.yaml": H.configMap("hooked", "v1")], apps: ["hooked": H.app("hooked", path: "hooked", interval: "10m")]
        ) { h in
            try await h.eventually("hooked is listed") { try await h.call(.GET, "/api/v1/applications").json["items"]?.arrayValue?.count == 1 }
            let push = Array(#"{"ref":"refs/heads/main","repository":{"clone_url":"\#(h.repositoryURL)"}}"#.utf8)
            let reply = try await h.hook(
                "github", body: push, headers: [("X-GitHub-Event", "push"), ("X-Hub-Signature-256", "sha256=" + H.hmac(push))])
            #expect(reply.status == 202 && reply.json["refreshed"] == 1, "\(reply.body)")
            #expect(!reply.body.contains("hooked"), "\(reply.body)")
            let pullRequest = try await h.hook(
                "github", body: push, headers: [("X-GitHub-Event", "pull_request"), ("X-Hub-Signature-256", "sha256=" + H.hmac(push))])
            #expect(pullRequest.status == 202 && pullRequest.json["refreshed"] == 0, "\(pullRequest.body)")
        }
    }
}
