import Foundation
import HTTPTypes
import Hummingbird
import Manifests
import NIOCore
import Sync

/// The web dashboard: server-rendered pages over the same data the REST API serves.
///
/// Mount it on the server's router; it handles its own session (the `keelson_session` cookie
/// set by `POST /login`) and leaves `/api/...` to the API, which the pages' script calls for
/// live events and actions with the same cookie.
///
/// ```swift
/// let dashboard = try Dashboard(backend: myBackend)
/// dashboard.addRoutes(to: router)   // /, /applications/{ns}/{name}, /login, /logout, /assets/...
/// ```
public struct Dashboard: Sendable {
    /// Options of the dashboard.
    public struct Configuration: Sendable {
        /// Mark the session cookie `Secure` (set when the server is reached over HTTPS).
        public var secureCookie: Bool
        /// How long the browser keeps the session cookie, in seconds (the server ends the session
        /// itself after its idle timeout or lifetime, whichever comes first).
        public var sessionMaxAge: Int

        /// Creates a configuration.
        public init(secureCookie: Bool = false, sessionMaxAge: Int = 12 * 3600) {
            self.secureCookie = secureCookie
            self.sessionMaxAge = sessionMaxAge
        }
    }

    /// The name of the session cookie, which holds a session id (the API accepts it too).
    public static let sessionCookie = Authenticator.cookieName
    /// The Content-Security-Policy of every dashboard response: nothing inline, nothing foreign.
    public static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    /// Longest accepted login form body.
    static let maxLoginBody = 8 * 1024
    /// Longest accepted token.
    static let maxTokenLength = 4096
    /// Longest namespace or name in a page's path (Kubernetes names are at most 253 bytes).
    static let maxNameLength = 253
    /// Longest accepted text filter.
    static let maxFilterLength = 200

    let backend: any DashboardBackend
    let renderer: DashboardRenderer
    let configuration: Configuration

    /// Creates the dashboard over `backend`.
    public init(backend: any DashboardBackend, configuration: Configuration = Configuration()) throws(DashboardRenderer.TemplateError) {
        self.backend = backend
        self.configuration = configuration
        renderer = try DashboardRenderer()
    }

    init(backend: any DashboardBackend, renderer: DashboardRenderer, configuration: Configuration) {
        self.backend = backend
        self.renderer = renderer
        self.configuration = configuration
    }

    /// Registers the dashboard's routes: `GET /`, `GET /applications/{namespace}/{name}`,
    /// `GET|POST /login`, `POST /logout`, `GET /assets/dashboard.css|js`.
    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get("/assets/dashboard.css") { _, _ in asset(DashboardStylesheet.css, type: "text/css; charset=utf-8") }
        router.get("/assets/dashboard.js") { _, _ in asset(DashboardScript.javascript, type: "text/javascript; charset=utf-8") }
        router.get("/login") { request, context in await loginForm(request, client: Self.client(context)) }
        router.post("/login") { request, context in try await login(request, client: Self.client(context)) }
        router.post("/logout") { request, context in await logout(request, client: Self.client(context)) }
        router.get("/") { request, context in await listPage(request, client: Self.client(context)) }
        router.get("/applications/:namespace/:name") { request, context in
            let app = ApplicationReference(
                namespace: context.parameters.get("namespace") ?? "", name: context.parameters.get("name") ?? "")
            guard app.namespace.utf8.count <= Self.maxNameLength, app.name.utf8.count <= Self.maxNameLength else {
                return html(
                    renderer.errorPage(DashboardFetchError(status: 404, reason: "NotFound", message: "no such application"), principal: nil),
                    status: .notFound)
            }
            return await applicationPage(request, app, client: Self.client(context))
        }
    }

    /// The caller's IP address when the context knows it (for the backend's failed-auth limit).
    static func client(_ context: some RequestContext) -> String {
        ((context as? any RemoteAddressRequestContext)?.remoteAddress?.ipAddress) ?? "unknown"
    }

    // MARK: Pages

    func listPage(_ request: Request, client: String) async -> Response {
        let fragment = request.uri.queryParameters.get("fragment") == "1"
        guard let principal = await principal(of: request, client: client) else { return unauthenticated(request, fragment: fragment) }
        let parameters = request.uri.queryParameters
        let filter = ApplicationFilter(
            sync: Self.known(parameters.get("sync"), in: SyncStatus.allCases.map(\.rawValue)),
            health: Self.known(parameters.get("health"), in: ["Healthy", "Progressing", "Degraded", "Suspended", "Missing", "Unknown"]),
            text: String((parameters.get("q") ?? "").prefix(Self.maxFilterLength)))
        do {
            let answer = try await backend.fetch(.applications(filter), as: principal)
            // Admins also see the registered clusters and whether each answers; the page stands without them.
            let clusters = principal.role >= .admin ? try? await backend.fetch(.clusters, as: principal) : nil
            let notifications = principal.role >= .admin ? try? await backend.fetch(.notifications, as: principal) : nil
            return html(
                renderer.listPage(answer, filter: filter, principal: principal, clusters: clusters, notifications: notifications, fragment: fragment))
        } catch {
            return failure(error, principal: principal, request: request, fragment: fragment)
        }
    }

    func applicationPage(_ request: Request, _ app: ApplicationReference, client: String) async -> Response {
        let fragment = request.uri.queryParameters.get("fragment") == "1"
        guard let principal = await principal(of: request, client: client) else { return unauthenticated(request, fragment: fragment) }
        let summary: JSONValue
        do { summary = try await backend.fetch(.application(app), as: principal) } catch {
            return failure(error, principal: principal, request: request, fragment: fragment)
        }
        // The parts below may be missing before the first render; the page shows what there is.
        async let resources = optionalFetch(.resources(app), principal)
        async let diff = optionalFetch(.diff(app), principal)
        async let history = optionalFetch(.history(app), principal)
        async let rollouts = optionalFetch(.rollouts(app), principal)
        let page = renderer.applicationPage(
            application: summary, resources: await resources, diff: await diff, history: await history, rollouts: await rollouts,
            principal: principal, fragment: fragment)
        return html(page)
    }

    private func optionalFetch(_ query: DashboardQuery, _ principal: Principal) async -> JSONValue {
        (try? await backend.fetch(query, as: principal)) ?? .null
    }

    // MARK: Responses

    func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = Self.securityHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    func asset(_ text: String, type: String) -> Response {
        var headers = Self.securityHeaders
        headers[.contentType] = type
        headers[.cacheControl] = "public, max-age=86400"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    func redirect(to location: String, cookie: Cookie? = nil) -> Response {
        var headers = Self.securityHeaders
        headers[.location] = location
        headers[.cacheControl] = "no-store"
        var response = Response(status: .seeOther, headers: headers)
        if let cookie { response.setCookie(cookie) }
        return response
    }

    private func failure(_ error: any Error, principal: Principal, request: Request, fragment: Bool) -> Response {
        let fetchError =
            error as? DashboardFetchError
            ?? DashboardFetchError(status: 502, reason: "BadGateway", message: "the API did not answer")
        if fetchError.status == 401 { return unauthenticated(request, fragment: fragment) }
        let status = HTTPResponse.Status(code: fetchError.status)
        if fragment { return html("", status: status) }
        return html(renderer.errorPage(fetchError, principal: principal), status: status)
    }

    /// Headers every dashboard response carries.
    static let securityHeaders: HTTPFields = [
        HTTPField.Name("Content-Security-Policy")!: contentSecurityPolicy,
        HTTPField.Name("X-Content-Type-Options")!: "nosniff",
        HTTPField.Name("X-Frame-Options")!: "DENY",
        HTTPField.Name("Referrer-Policy")!: "same-origin",
    ]

    /// `value` when it is one of `allowed`, else `""` (an unknown filter is no filter).
    static func known(_ value: String?, in allowed: [String]) -> String {
        guard let value, allowed.contains(value) else { return "" }
        return value
    }
}
