import Foundation
import HTTPTypes
import Hummingbird

/// Checks the caller of a request: `Authorization: Bearer <token>`, or the dashboard's
/// `keelson_session` cookie (which, for anything but GET and HEAD, also needs the header
/// `X-Keelson-Request: 1`, so another site cannot make a browser send a request in its name).
/// Failed attempts are rate-limited per client address.
public struct Authenticator: Sendable {
    /// The dashboard's session cookie (HttpOnly, SameSite=Strict).
    public static let cookieName = "keelson_session"
    /// The header cookie-authenticated requests that change something must carry (value `1`).
    public static let csrfHeader = HTTPField.Name("X-Keelson-Request")!
    /// Longer tokens are refused unread.
    public static let maximumTokenLength = 4096

    /// The known tokens.
    public let tokens: TokenStore
    /// The failed-attempt limiter.
    public let limiter: FailedAuthLimiter

    /// Creates an authenticator.
    public init(tokens: TokenStore, limiter: FailedAuthLimiter = FailedAuthLimiter()) {
        self.tokens = tokens
        self.limiter = limiter
    }

    /// The principal a request authenticates as; throws 401 (no or unknown token), 403 (cookie
    /// without the CSRF header on a non-GET request) or 429 (too many failures from `client`).
    public func authenticate(_ request: Request, client: String) throws(APIError) -> Principal {
        var token: String?
        var fromCookie = false
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else {
                throw APIError.unauthorized("the Authorization header must be `Bearer <token>`")
            }
            token = String(parts[1]).trimmingCharacters(in: .whitespaces)
        } else if let cookie = request.cookies[Self.cookieName]?.value, !cookie.isEmpty {
            token = cookie
            fromCookie = true
        }
        guard let token else { throw APIError.unauthorized("a bearer token is required (Authorization: Bearer <token>)") }
        let principal = try check(token: token, client: client)
        if fromCookie && request.method != .get && request.method != .head && request.headers[Self.csrfHeader] != "1" {
            throw APIError.forbidden("requests authenticated by the session cookie must carry the header X-Keelson-Request: 1")
        }
        return principal
    }

    /// The principal for `token` (the login form's check), with the same rate limit.
    public func check(token: String, client: String) throws(APIError) -> Principal {
        guard limiter.allows(client) else {
            throw APIError(
                .tooManyRequests, "TooManyRequests", "too many failed authentications from this address; try again later",
                headers: [.retryAfter: String(limiter.retryAfter(client))])
        }
        guard token.utf8.count <= Self.maximumTokenLength, let principal = tokens.authenticate(token) else {
            limiter.recordFailure(client)
            throw APIError.unauthorized("the token is not valid")
        }
        return principal
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
        return try await next(request, context)
    }
}
