import Foundation
import HTTPTypes
import Hummingbird

/// Sign-in and sign-out: the token from the login form is checked by the backend, which starts
/// a server-side session; the `keelson_session` cookie (HttpOnly, SameSite=Strict, Path=/,
/// Secure under TLS) holds only the session's random id. Logout ends the session on the server.
extension Dashboard {
    /// The principal of the request's session cookie, if it names a live session.
    func principal(of request: Request, client: String) async -> Principal? {
        guard let id = Self.sessionID(request) else { return nil }
        return await backend.principal(session: id, client: client)
    }

    /// The session cookie's value, when it has a plausible length.
    static func sessionID(_ request: Request) -> String? {
        guard let id = request.cookies[sessionCookie]?.value, !id.isEmpty, id.utf8.count <= 256 else { return nil }
        return id
    }

    /// Where an unauthenticated request goes: the login page (a script's fragment request gets 401).
    func unauthenticated(_ request: Request, fragment: Bool) -> Response {
        if fragment { return html("", status: .unauthorized) }
        let next = Self.safeNext(request.uri.path + (request.uri.query.map { "?" + $0 } ?? ""))
        return redirect(to: "/login?next=" + URLComponent.encode(next))
    }

    /// The login form; someone already signed in goes on to `next`.
    func loginForm(_ request: Request, client: String) async -> Response {
        let next = Self.safeNext(request.uri.queryParameters.get("next"))
        if await principal(of: request, client: client) != nil { return redirect(to: next) }
        return html(renderer.loginPage(error: nil, next: next))
    }

    func login(_ request: Request, client: String) async throws -> Response {
        guard Self.isSameOrigin(request) else {
            return html(renderer.loginPage(error: "Sign-in must come from this site's own login form.", next: "/"), status: .forbidden)
        }
        var request = request
        let body: ByteBuffer
        do { body = try await request.collectBody(upTo: Self.maxLoginBody) } catch {
            return html(renderer.loginPage(error: "The form is too large.", next: "/"), status: .contentTooLarge)
        }
        let form = Self.parseForm(String(buffer: body))
        let next = Self.safeNext(form["next"])
        let token = (form["token"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty, token.utf8.count <= Self.maxTokenLength else {
            return html(renderer.loginPage(error: "Enter a token.", next: next), status: .badRequest)
        }
        let session: DashboardSession
        do {
            session = try await backend.signIn(token: token, client: client)
        } catch {
            // A failed guess costs time; the backend's limiter counts it too.
            try? await Task.sleep(for: .milliseconds(300))
            let message = error.status == 401 ? "That token is not valid." : error.message
            return html(renderer.loginPage(error: message, next: next), status: HTTPResponse.Status(code: error.status))
        }
        let cookie = Cookie(
            name: Self.sessionCookie, value: session.id, maxAge: configuration.sessionMaxAge, path: "/",
            secure: configuration.secureCookie, httpOnly: true, sameSite: .strict)
        return redirect(to: next, cookie: cookie)
    }

    func logout(_ request: Request, client: String) async -> Response {
        guard Self.isSameOrigin(request) else { return html("", status: .forbidden) }
        if let id = Self.sessionID(request) { await backend.signOut(session: id, client: client) }
        let cookie = Cookie(
            name: Self.sessionCookie, value: "", maxAge: 0, path: "/", secure: configuration.secureCookie, httpOnly: true, sameSite: .strict)
        return redirect(to: "/login", cookie: cookie)
    }

    // MARK: Rules

    /// A local path to return to after sign-in; anything else (other hosts, `//host`, `\`) is `/`.
    static func safeNext(_ value: String?) -> String {
        guard let value, value.hasPrefix("/"), !value.hasPrefix("//"), !value.contains("\\"), value.utf8.count <= 512,
            !value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }), !value.hasPrefix("/login")
        else { return "/" }
        return value
    }

    /// Whether a form post comes from this site: `Sec-Fetch-Site` (when sent) is `same-origin`
    /// or `none`, and `Origin` (when sent) names the `Host` the request was sent to.
    static func isSameOrigin(_ request: Request) -> Bool {
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!], site != "same-origin", site != "none" { return false }
        guard let origin = request.headers[.origin] else { return true }
        guard let host = request.head.authority, let url = URL(string: origin), let originHost = url.host else { return false }
        let originAuthority = originHost + (url.port.map { ":\($0)" } ?? "")
        return originAuthority.lowercased() == host.lowercased()
    }

    /// `application/x-www-form-urlencoded` fields (the first of repeated names wins).
    static func parseForm(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (text: Substring) in String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            guard let name = parts.first.map(decode), fields[name] == nil else { continue }
            fields[name] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }
}
