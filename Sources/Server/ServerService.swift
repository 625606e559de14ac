import Controller
import Foundation
import Hummingbird
import Kube
import Logging
import NIOCore
import ServiceLifecycle

/// Settings of the HTTP server.
public struct ServerConfiguration: Sendable {
    /// The address to listen on (`127.0.0.1`, `0.0.0.0`, `::1`).
    public var host = "127.0.0.1"
    /// The port; 0 picks a free one (see `ServerService.onListening`).
    public var port = 8080
    /// The tokens that may call the API.
    public var tokens: TokenStore
    /// The webhook shared secret; without one every webhook is refused with 401.
    public var webhookSecret: [UInt8]?
    /// How often an idle event stream carries a comment line.
    public var heartbeat: Duration = .seconds(15)
    /// Where registry webhooks (`/hooks/registry/{provider}`) go; without one they get 404.
    public var registryWebhooks: (any RegistryWebhookSink)?
    /// Failed authentications a client may make at once, and how many per second refill.
    public var failedAuthBurst = 10
    public var failedAuthPerSecond = 0.5

    /// Creates a configuration.
    public init(host: String = "127.0.0.1", port: Int = 8080, tokens: TokenStore, webhookSecret: [UInt8]? = nil) {
        self.host = host
        self.port = port
        self.tokens = tokens
        self.webhookSecret = webhookSecret
    }

    /// Whether `host` only accepts connections from this machine.
    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// Parses `--listen`: `HOST:PORT`, `[IPv6]:PORT`, `:PORT` (loopback) or `none` (`nil`).
    public static func parseListen(_ text: String) throws -> (host: String, port: Int)? {
        if text == "none" { return nil }
        let host: Substring
        let port: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                throw ServerConfigurationError("--listen \(text): expected [IPv6]:PORT")
            }
            host = text[text.index(after: text.startIndex)..<close]
            port = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw ServerConfigurationError("--listen \(text): expected HOST:PORT, :PORT or none") }
            host = text[..<colon]
            port = text[text.index(after: colon)...]
        }
        guard let number = Int(port), (0...65535).contains(number) else { throw ServerConfigurationError("--listen \(text): the port must be 0-65535") }
        return (host.isEmpty ? "127.0.0.1" : String(host), number)
    }
}

/// A bad server setting, named.
public struct ServerConfigurationError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var description: String
    init(_ description: String) { self.description = description }
}

/// What a route registration gets besides the router: the checks and data the API uses, so
/// other parts of the server (the dashboard) see the same callers and the same applications.
public struct ServerRouteContext: Sendable {
    /// Checks tokens and session cookies (`authenticate(request, client:)`, `check(token:client:)`).
    public let authenticator: Authenticator
    /// The middleware that authenticates a route group and sets `ServerContext.principal`.
    public var authMiddleware: AuthMiddleware { AuthMiddleware(authenticator) }
    /// The controller's applications, renders, requests and events.
    public let handle: ControllerHandle
    /// The audit log.
    public let audit: AuditLog
    /// The API's JSON for applications, resources and diffs, scoped to a principal.
    public let data: ApplicationData
}

/// Extra routes mounted on the server's router (the dashboard), given the router and the
/// server's authentication and data. Routes that need a caller add `context.authMiddleware`
/// to their group (it answers 401 itself; a page that should redirect to a login form instead
/// calls `context.authenticator.authenticate(request, client:)` and catches the `APIError`);
/// `/api`, `/hooks`, `/metrics`, `/healthz` and `/readyz` are taken. Errors thrown as `APIError`
/// answer in the API's JSON error shape.
///
/// ```swift
/// let dashboard: RouteRegistration = { router, server in
///     router.group("/").add(middleware: server.authMiddleware).get("/") { request, context in ... }
/// }
/// ServerService(configuration: settings, handle: controller.handle, client: client, audit: audit, routes: [dashboard])
/// ```
public typealias RouteRegistration = @Sendable (Router<ServerContext>, ServerRouteContext) -> Void

/// Keelson's HTTP server: the REST API under `/api/v1`, webhook receivers under `/hooks/`,
/// `/metrics`, `/healthz` and `/readyz`, plus any `RouteRegistration`s. A `Service` run in the
/// same `ServiceGroup` as the controller whose `handle` it serves.
public struct ServerService: Service {
    let configuration: ServerConfiguration
    let handle: ControllerHandle
    let client: any KubernetesAPI
    let audit: AuditLog
    let metrics: ServerMetrics
    let routes: [RouteRegistration]
    let logger: Logger
    let onListening: @Sendable (String) async -> Void

    /// Creates the server; `onListening` gets `http://HOST:PORT` once it accepts connections.
    public init(
        configuration: ServerConfiguration, handle: ControllerHandle, client: any KubernetesAPI, audit: AuditLog,
        metrics: ServerMetrics = ServerMetrics(), routes: [RouteRegistration] = [], logger: Logger = Logger(label: "keelson.server"),
        onListening: @escaping @Sendable (String) async -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.handle = handle
        self.client = client
        self.audit = audit
        self.metrics = metrics
        self.routes = routes
        self.logger = logger
        self.onListening = onListening
    }

    /// The router with every route; exposed for tests that drive it without a socket.
    public func router() -> Router<ServerContext> {
        let router = Router(context: ServerContext.self)
        router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
        router.add(middleware: ErrorMiddleware())
        let authenticator = Authenticator(
            tokens: configuration.tokens, limiter: FailedAuthLimiter(burst: configuration.failedAuthBurst, perSecond: configuration.failedAuthPerSecond))
        let handle = self.handle
        let metrics = self.metrics

        router.get("/healthz") { _, _ in JSONResponse.make(["status": "ok"]) }
        router.get("/readyz") { _, _ in
            guard await handle.isReady else { throw APIError(.serviceUnavailable, "NotReady", "the controller has not listed the applications yet") }
            return JSONResponse.make(["status": "ready"])
        }
        for path in ["/healthz", "/readyz"] { MethodGuard.allow([.get], on: router, path: path) }

        let authenticated = router.group().add(middleware: AuthMiddleware(authenticator))
        authenticated.get("/metrics") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.render(applications: await handle.applications()))))
        }
        MethodGuard.allow([.get], on: authenticated, path: "/metrics")

        let api = ServerAPI(handle: handle, client: client, audit: audit, heartbeat: configuration.heartbeat, logger: logger)
        api.register(on: router.group("/api/v1").add(middleware: AuthMiddleware(authenticator)))

        let verifier = configuration.webhookSecret.flatMap { $0.isEmpty ? nil : WebhookVerifier(secret: $0) }
        WebhookReceiver(verifier: verifier, handle: handle, audit: audit, metrics: metrics).register(on: router)
        if let sink = configuration.registryWebhooks {
            RegistryWebhookRoute(sink: sink, audit: audit, metrics: metrics).register(on: router)
        }

        let extra = ServerRouteContext(authenticator: authenticator, handle: handle, audit: audit, data: ApplicationData(api: api))
        for registration in routes { registration(router, extra) }
        return router
    }

    public func run() async throws {
        let handle = self.handle
        let metrics = self.metrics
        handle.metrics.install { metrics.record($0) }
        let host = configuration.host
        let onListening = self.onListening
        let logger = self.logger
        let application = Application(
            router: router(),
            configuration: .init(address: .hostname(host, port: configuration.port), serverName: "keelson"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                let url = host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)"
                logger.info("server listening", metadata: ["url": "\(url)"])
                await onListening(url)
            },
            logger: logger)
        try await application.runService()
    }
}
