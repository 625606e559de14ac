import Foundation
import Server
import Testing

/// Every endpoint without a token, with a viewer, an operator, and a token scoped to other
/// applications; the session cookie's CSRF guard; the audit log.
@Suite(.serialized) struct ServerAuthTests {
    typealias H = ServerHarness

    static let files = ["web/config.yaml": H.configMap("web-config", "1"), "other/config.yaml": H.configMap("other-config", "1")]
    static let apps = ["web": H.app("web", path: "web"), "other-app": H.app("other-app", path: "other")]

    static let reads = [
        "/metrics", "/api/v1/me", "/api/v1/applications", "/api/v1/applications/web", "/api/v1/applications/web/resources",
        "/api/v1/applications/web/diff", "/api/v1/applications/web/history",
    ]
    /// Action paths (under /api/v1/applications/NAME/) with a body.
    static let actions = [("sync", "{}"), ("refresh", ""), ("rollback", #"{"id": 1}"#), ("suspend", ""), ("resume", "")]

    @Test func everyEndpointByRole() async throws {
        try await H.with(files: Self.files, apps: Self.apps, failedAuthBurst: 3, routes: [try Dashboard.serverRoutes()]) { h in
            try await h.eventually("both applications are synced") {
                let items = try await h.call(.GET, "/api/v1/applications").json["items"]?.arrayValue ?? []
                return items.count == 2 && items.allSatisfy { $0["sync"]?["status"] == "Synced" }
            }
            // No token: 401 with a Bearer challenge, everywhere but the health checks and webhooks.
            for path in Self.reads + ["/api/v1/events"] {
                let reply = try await h.call(.GET, path, as: nil)
                #expect(reply.status == 401, "\(path)")
                #expect(reply.headers.first(name: "WWW-Authenticate")?.hasPrefix("Bearer") == true, "\(path)")
            }
            for (action, body) in Self.actions {
                #expect(try await h.call(.POST, "/api/v1/applications/web/\(action)", as: nil, body: body).status == 401, "\(action)")
            }
            #expect(try await h.call(.GET, "/healthz", as: nil).status == 200)

            // Viewer: reads everything, acts on nothing.
            for path in Self.reads { #expect(try await h.call(.GET, path, as: "viewer").status == 200, "\(path)") }
            #expect(try await h.events(as: "viewer") { $0.contains(": connected") }.contains("retry:"))
            for (action, body) in Self.actions {
                let reply = try await h.call(.POST, "/api/v1/applications/web/\(action)", as: "viewer", body: body)
                #expect(reply.status == 403 && reply.json["error"]?["reason"] == "Forbidden", "\(action)")
            }
            #expect(try await h.call(.GET, "/api/v1/me", as: "viewer").json["role"] == "viewer")

            // Operator: reads and acts.
            for path in Self.reads { #expect(try await h.call(.GET, path, as: "operator").status == 200, "\(path)") }
            for (action, body) in Self.actions {
                let reply = try await h.call(.POST, "/api/v1/applications/web/\(action)", as: "operator", body: body)
                #expect([200, 202].contains(reply.status), "\(action): \(reply.body)")
            }

            // Scoped to other-*: web does not exist for it, for reads and actions alike.
            let listed = try await h.call(.GET, "/api/v1/applications", as: "scoped").json["items"]?.arrayValue ?? []
            #expect(listed.map { $0["name"] } == ["other-app"])
            for path in Self.reads where path.hasPrefix("/api/v1/applications/web") {
                #expect(try await h.call(.GET, path, as: "scoped").status == 404, "\(path)")
            }
            for (action, body) in Self.actions {
                #expect(try await h.call(.POST, "/api/v1/applications/web/\(action)", as: "scoped", body: body).status == 404, "\(action)")
            }
            #expect(try await h.call(.GET, "/api/v1/applications/other-app", as: "scoped").status == 200)
            #expect(try await h.call(.POST, "/api/v1/applications/other-app/refresh", as: "scoped").status == 202)
            #expect(try await h.call(.GET, "/api/v1/me", as: "scoped").json["applications"] == ["other-*"])
            let scopedEvents = try await h.events(as: "scoped", lastEventID: 0) { $0.contains("keelson/other-app") }
            #expect(!scopedEvents.contains("keelson/web"), "scoped tokens see only their applications' events")

            // The session cookie: reads as is; changes only with X-Keelson-Request: 1.
            let cookie = ("Cookie", "keelson_session=\(try #require(try await h.signIn(as: "operator")))")
            #expect(try await h.call(.GET, "/api/v1/me", as: nil, headers: [cookie]).json["name"] == "ci")
            let forged = try await h.call(.POST, "/api/v1/applications/web/refresh", as: nil, headers: [cookie])
            #expect(forged.status == 403)
            #expect(
                try await h.call(.POST, "/api/v1/applications/web/refresh", as: nil, headers: [cookie, ("X-Keelson-Request", "1")]).status == 202)

            // The audit log names who did what, never a token.
            let audit = try String(contentsOfFile: h.auditPath, encoding: .utf8)
            #expect(audit.contains(#""actor":"ci""#) && audit.contains(#""action":"sync""#) && audit.contains(#""outcome":"accepted""#))
            #expect(audit.contains(#""actor":"dashboard-viewer""#) && audit.contains(#""outcome":"denied""#))
            for token in H.tokens.values { #expect(!audit.contains(token)) }
        }
    }
}
