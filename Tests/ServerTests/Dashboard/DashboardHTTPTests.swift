import AsyncHTTPClient
import Foundation
import Testing

@testable import Server

/// The dashboard over real HTTP: sign-in, the session cookie, headers, redirects and pages.
@Suite struct DashboardHTTPTests {
    static let form = ["Content-Type": "application/x-www-form-urlencoded"].map { ($0.key, $0.value) }

    /// Without a session, pages redirect to the login page (keeping the path) and fragments get 401.
    @Test func anonymousRequestsGoToLogin() async throws {
        try await DashboardServer.withRunning { base, client in
            let page = try await Reply.send(client, .GET, base + "/applications/keelson/guestbook")
            #expect(page.status == 303)
            #expect(page.headers.first(name: "Location") == "/login?next=%2Fapplications%2Fkeelson%2Fguestbook")
            let fragment = try await Reply.send(client, .GET, base + "/?fragment=1")
            #expect(fragment.status == 401)
            let badCookie = try await Reply.send(client, .GET, base + "/", headers: [("Cookie", "keelson_session=wrong")])
            #expect(badCookie.status == 303)
        }
    }

    /// A valid token sets an HttpOnly, SameSite=Strict session cookie and returns to `next`;
    /// the cookie then opens the pages. A wrong token gets 401 and no cookie.
    @Test func loginSetsSessionCookie() async throws {
        try await DashboardServer.withRunning { base, client in
            let wrong = try await Reply.send(client, .POST, base + "/login", headers: Self.form, body: "token=nope&next=%2F")
            #expect(wrong.status == 401)
            #expect(wrong.headers["Set-Cookie"].isEmpty)
            #expect(wrong.body.contains("That token is not valid."))
            #expect(!wrong.body.contains("nope"))

            let login = try await Reply.send(
                client, .POST, base + "/login", headers: Self.form, body: "token=operator-token&next=%2Fapplications%2Fkeelson%2Fguestbook")
            #expect(login.status == 303)
            #expect(login.headers.first(name: "Location") == "/applications/keelson/guestbook")
            let cookie = try #require(login.headers.first(name: "Set-Cookie"))
            // The cookie holds the backend's session id, never the token.
            #expect(cookie.hasPrefix("keelson_session=operator-session;") && !cookie.contains("operator-token"))
            for attribute in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200"] { #expect(cookie.contains(attribute)) }

            let session = [("Cookie", "keelson_session=operator-session")]
            let again = try await Reply.send(client, .GET, base + "/login?next=%2Fapplications%2Fkeelson%2Fguestbook", headers: session)
            #expect(again.status == 303 && again.headers.first(name: "Location") == "/applications/keelson/guestbook")
            let list = try await Reply.send(client, .GET, base + "/", headers: session)
            #expect(list.status == 200)
            #expect(list.body.contains("href=\"/applications/keelson/guestbook\""))
            #expect(!list.body.contains("operator-token"))
            let filtered = try await Reply.send(client, .GET, base + "/?sync=Synced&health=bogus", headers: session)
            #expect(filtered.body.contains("/applications/team-b/frozen"))
            #expect(!filtered.body.contains("/applications/keelson/guestbook"))
            let app = try await Reply.send(client, .GET, base + "/applications/keelson/guestbook", headers: session)
            #expect(app.status == 200)
            #expect(app.body.contains("data-action=\"sync\""))
            let viewer = try await Reply.send(
                client, .GET, base + "/applications/keelson/guestbook", headers: [("Cookie", "keelson_session=viewer-session")])
            #expect(viewer.status == 200)
            #expect(!viewer.body.contains("data-action"))

            let logout = try await Reply.send(client, .POST, base + "/logout", headers: session)
            #expect(logout.status == 303)
            #expect(logout.headers.first(name: "Set-Cookie")?.hasPrefix("keelson_session=;") == true)
            #expect(logout.headers.first(name: "Set-Cookie")?.contains("Max-Age=0") == true)
        }
    }

    /// A login posted from another site, or with a `next` leading elsewhere, goes nowhere.
    @Test func loginRefusesOtherSitesAndForeignRedirects() async throws {
        try await DashboardServer.withRunning { base, client in
            let crossSite = try await Reply.send(
                client, .POST, base + "/login", headers: Self.form + [("Origin", "https://evil.example")], body: "token=operator-token")
            #expect(crossSite.status == 403)
            #expect(crossSite.headers["Set-Cookie"].isEmpty)
            let fetchSite = try await Reply.send(
                client, .POST, base + "/login", headers: Self.form + [("Sec-Fetch-Site", "cross-site")], body: "token=operator-token")
            #expect(fetchSite.status == 403)
            for next in ["%2F%2Fevil.example", "https%3A%2F%2Fevil.example", "%2F%5Cevil.example"] {
                let login = try await Reply.send(client, .POST, base + "/login", headers: Self.form, body: "token=viewer-token&next=\(next)")
                #expect(login.status == 303)
                #expect(login.headers.first(name: "Location") == "/")
            }
            let sameOrigin = try await Reply.send(
                client, .POST, base + "/login", headers: Self.form + [("Origin", base)], body: "token=viewer-token")
            #expect(sameOrigin.status == 303)
            let huge = try await Reply.send(
                client, .POST, base + "/login", headers: Self.form, body: "token=" + String(repeating: "a", count: 20_000))
            #expect(huge.status == 413)
        }
    }

    /// Every response forbids inline script, framing and MIME sniffing; assets have their types.
    @Test func securityHeadersAndAssets() async throws {
        try await DashboardServer.withRunning { base, client in
            for path in ["/login", "/assets/dashboard.css", "/assets/dashboard.js", "/"] {
                let reply = try await Reply.send(client, .GET, base + path)
                let csp = try #require(reply.headers.first(name: "Content-Security-Policy"))
                #expect(csp.contains("default-src 'self'"))
                #expect(csp.contains("frame-ancestors 'none'"))
                #expect(!csp.contains("unsafe-inline"))
                #expect(reply.headers.first(name: "X-Content-Type-Options") == "nosniff")
            }
            let script = try await Reply.send(client, .GET, base + "/assets/dashboard.js")
            #expect(script.headers.first(name: "Content-Type") == "text/javascript; charset=utf-8")
            #expect(script.body.contains("new EventSource('/api/v1/events')"))
            #expect(script.body.contains("'X-Keelson-Request': '1'"))
            let css = try await Reply.send(client, .GET, base + "/assets/dashboard.css")
            #expect(css.headers.first(name: "Content-Type") == "text/css; charset=utf-8")
            #expect(css.body.contains("@media (max-width: 700px)"))
        }
    }

    /// An unknown application is a 404 page (and an empty 404 fragment).
    @Test func unknownApplicationIsNotFound() async throws {
        try await DashboardServer.withRunning { base, client in
            let session = [("Cookie", "keelson_session=viewer-session")]
            let page = try await Reply.send(client, .GET, base + "/applications/keelson/nope", headers: session)
            #expect(page.status == 404)
            #expect(page.body.contains("404 NotFound"))
            let fragment = try await Reply.send(client, .GET, base + "/applications/keelson/nope?fragment=1", headers: session)
            #expect(fragment.status == 404)
            #expect(fragment.body.isEmpty)
            let long = try await Reply.send(client, .GET, base + "/applications/keelson/" + String(repeating: "a", count: 300), headers: session)
            #expect(long.status == 404)
        }
    }
}
