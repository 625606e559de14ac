import Foundation
import HTTPTypes
import Hummingbird

/// Checks the caller of a request: `Authorization: Bearer <token>`, or the dashboard's
/// `keelson_session` cookie, which holds a server-side session id (see `SessionStore`), never the
/// token (for anything but GET and HEAD it also needs the header `X-Keelson-Request: 1`, so
/// another site cannot make a browser send a request in its name).
/// A valid credential is always accepted; only failures are rate-limited (per client address,
/// so a shared proxy's users are never locked out by someone else's guesses) and written to
/// the audit log (never the token).
public struct Authenticator: Sendable {
    /// The dashboard's session cookie (HttpOnly, SameSite=Strict, Secure under TLS).
    public static let cookieName = "keelson_session"
    /// The header cookie-authenticated requests that change something must carry (value `1`).
    public static let csrfHeader = HTTPField.Name("X-Keelson-Request")!
    /// Longer tokens are refused unread.
    public static let maximumTokenLength = 4096

    /// The known tokens.
    public let tokens: TokenStore
    /// The failed-attempt limiter.
    public let limiter: FailedAuthLimiter
    /// Where failed attempts are recorded; `nil` records nothing.
    public let audit: AuditLog?
    /// The dashboard's sessions.
    public let sessions: SessionStore

    /// Creates an authenticator.
    public init(tokens: TokenStore, limiter: FailedAuthLimiter = FailedAuthLimiter(), audit: AuditLog? = nil, sessions: SessionStore = SessionStore())
    {
        self.tokens = tokens
        self.limiter = limiter
        self.audit = audit
        self.sessions = sessions
    }

    /// The principal a request authenticates as; throws 401 (no or unknown token), 403 (cookie
    /// without the CSRF header on a non-GET request) or 429 (too many failures from `client`).
    public func authenticate(_ request: Request, client: String) throws(APIError) -> Principal {
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else {
                throw APIError.unauthorized("the Authorization header must be `Bearer <token>`")
            }
            return try check(token: String(parts[1]).trimmingCharacters(in: .whitespaces), client: client)
        }
        guard let cookie = request.cookies[Self.cookieName]?.value, !cookie.isEmpty else {
            throw APIError.unauthorized("a bearer token is required (Authorization: Bearer <token>)")
        }
        let principal = try session(cookie, client: client)
        if request.method != .get && request.method != .head && request.headers[Self.csrfHeader] != "1" {
            throw APIError.forbidden("requests authenticated by the session cookie must carry the header X-Keelson-Request: 1")
        }
        return principal
    }

    /// The principal of the live session `id`. An unknown or expired one answers 401 without
    /// counting as a failure: ids are 256 random bits (nothing to guess), and a browser whose
    /// session expired retries its event stream every few seconds, which is no attack.
    public func session(_ id: String, client: String) throws(APIError) -> Principal {
        if let principal = sessions.principal(id) { return principal }
        throw APIError.unauthorized("the session expired or ended; sign in again")
    }

    /// Checks `token` and starts a session for it: the id for the cookie, and the principal.
    public func signIn(token: String, client: String) throws(APIError) -> (session: String, principal: Principal) {
        let principal = try check(token: token, client: client)
        audit?.record(AuditEntry(actor: principal.name, client: client, action: "login", application: "", outcome: "succeeded", status: 303))
        return (sessions.start(principal), principal)
    }

    /// Ends session `id` (logout).
    public func signOut(_ id: String, client: String) {
        if let principal = sessions.principal(id) {
            audit?.record(AuditEntry(actor: principal.name, client: client, action: "logout", application: "", outcome: "succeeded", status: 303))
        }
        sessions.end(id)
    }

    /// The principal for `token` (the login form's check). The token is checked first: a valid
    /// one is never refused. A wrong one answers 401 and drains `client`'s bucket; once it is
    /// empty, wrong tokens answer 429 until it refills. Counted failures are audited (the 429s
    /// are not, so a flood writes at most the bucket's worth of lines per address).
    public func check(token: String, client: String) throws(APIError) -> Principal {
        if token.utf8.count <= Self.maximumTokenLength, let principal = tokens.authenticate(token) { return principal }
        throw failure(client: client, detail: "unknown token")
    }

    /// Counts and audits a failed authentication by `client` and returns the error to answer.
    func failure(client: String, detail: String) -> APIError {
        guard limiter.allows(client) else {
            return APIError(
                .tooManyRequests, "TooManyRequests", "too many failed authentications from this address; try again later",
                headers: [.retryAfter: String(limiter.retryAfter(client))])
        }
        limiter.recordFailure(client)
        audit?.record(
            AuditEntry(actor: "anonymous", client: client, action: "authenticate", application: "", outcome: "denied", status: 401, detail: detail))
        return APIError.unauthorized("the token is not valid")
    }
}

/// Authenticates every request of the routes it is added to and stores the caller in
/// `ServerContext.principal`; failures answer 401/403/429 before the route runs.
public struct AuthMiddleware: RouterMiddleware {
    public typealias Context = ServerContext
    let authenticator: Authenticator

    /// Creates the middleware.
    public init(_ authenticator: Authenticator) { self.authenticator = authenticator }

    public func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        var context = context
        context.principal = try authenticator.authenticate(request, client: context.clientAddress)
        if request.headers[.authorization] == nil { context.sessionID = request.cookies[Authenticator.cookieName]?.value }
        return try await next(request, context)
    }
}
