import Controller
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
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
    /// Each Git provider's webhook secret; a provider without one has every delivery refused with 401.
    public var webhookSecrets: WebhookSecrets
    /// How often an idle event stream carries a comment line.
    public var heartbeat: Duration = .seconds(15)
    /// Where registry webhooks (`/hooks/registry/{provider}`) go; without one they get 404.
    public var registryWebhooks: (any RegistryWebhookSink)?
    /// Where verified pull-request events of `/hooks/github|gitlab|gitea` go (`--pr-plans`);
    /// without one they are answered 202 and ignored.
    public var pullRequestPlans: (any PullRequestPlanSink)?
    /// Failed authentications a client may make at once (refused webhooks audited likewise).
    public var failedAuthBurst = 10
    /// How many of those per second refill.
    public var failedAuthPerSecond = 0.5
    /// How long a client may take over a request head, a request body, and between requests.
    public var timeouts = ConnectionTimeouts()
    /// The most connections served at once; up to `FileDescriptorBudget.refusalHeadroom` more are
    /// accepted only to be answered 503 and closed, and past those none is accepted until some
    /// close (`FileDescriptorBudget.maximumConnections` derives the cap from the file limit).
    public var maximumConnections = 1024
    /// The most `/api/v1/events` streams open at once; more are answered 503.
    public var maximumEventStreams = 256
    /// HTTPS: the certificate chain and key; `nil` serves plain HTTP.
    public var tls: TLSConfiguration?
    /// How long a dashboard session lives unused.
    public var sessionIdleTimeout: Duration = .seconds(3600)
    /// How long a dashboard session lives at most, however used.
    public var sessionLifetime: Duration = .seconds(12 * 3600)
    /// The clock sessions expire on (a virtual one in tests).
    public var sessionClock: any Clock<Duration> = ContinuousClock()

    /// Creates a configuration.
    public init(host: String = "127.0.0.1", port: Int = 8080, tokens: TokenStore, webhookSecrets: WebhookSecrets = WebhookSecrets()) {
        self.host = host
        self.port = port
        self.tokens = tokens
        self.webhookSecrets = webhookSecrets
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
        guard let number = Int(port), (0...65535).contains(number) else {
            throw ServerConfigurationError("--listen \(text): the port must be 0-65535")
        }
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
            tokens: configuration.tokens,
            limiter: FailedAuthLimiter(burst: configuration.failedAuthBurst, perSecond: configuration.failedAuthPerSecond),
            audit: audit,
            sessions: SessionStore(
                idleTimeout: configuration.sessionIdleTimeout, lifetime: configuration.sessionLifetime, clock: configuration.sessionClock))
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
            return Response(
                status: .ok, headers: headers,
                body: ResponseBody(
                    byteBuffer: ByteBuffer(string: metrics.render(applications: await handle.applications(), clusters: await handle.clusters()))))
        }
        MethodGuard.allow([.get], on: authenticated, path: "/metrics")

        let api = ServerAPI(
            handle: handle, client: client, audit: audit, heartbeat: configuration.heartbeat,
            streams: ConnectionGate(limit: configuration.maximumEventStreams), sessions: authenticator.sessions, logger: logger)
        api.register(on: router.group("/api/v1").add(middleware: AuthMiddleware(authenticator)))

        // Refused webhooks are audited at the failed-authentication pace, per address.
        let refusals = FailedAuthLimiter(burst: configuration.failedAuthBurst, perSecond: configuration.failedAuthPerSecond)
        WebhookReceiver(
            verifier: WebhookVerifier(secrets: configuration.webhookSecrets, pullRequests: configuration.pullRequestPlans != nil), handle: handle,
            pullRequests: configuration.pullRequestPlans, audit: audit, metrics: metrics, refusals: refusals
        )
        .register(on: router)
        if let sink = configuration.registryWebhooks {
            RegistryWebhookRoute(sink: sink, audit: audit, metrics: metrics, refusals: refusals).register(on: router)
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
        let scheme = configuration.tls == nil ? "http" : "https"
        let application = Application(
            router: router(),
            server: try serverBuilder(),
            configuration: .init(
                address: .hostname(host, port: configuration.port), serverName: "keelson",
                // Past the cap (plus the refused connections' few moments), stop accepting: the
                // kernel's backlog holds the rest, and `accept` never meets the file limit.
                availableConnectionsDelegate: MaximumAvailableConnections(
                    configuration.maximumConnections + FileDescriptorBudget.refusalHeadroom, logger: logger)),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                let url = host.contains(":") ? "\(scheme)://[\(host)]:\(port)" : "\(scheme)://\(host):\(port)"
                logger.info("server listening", metadata: ["url": "\(url)"])
                await onListening(url)
            },
            logger: logger)
        // Shut down by the group this service runs in, never by signals of its own: a second
        // handler of SIGTERM would race the group's (its shutdown then meets a closed channel).
        try await application.run()
    }

    /// HTTP/1 (under TLS when configured) behind the connection cap and deadlines.
    func serverBuilder() throws -> HTTPServerBuilder {
        let gate = ConnectionGate(limit: configuration.maximumConnections)
        let timeouts = configuration.timeouts
        guard let tls = configuration.tls else {
            return HTTPServerBuilder { responder in
                GuardedHTTPChannel(base: GuardedHTTPChannel<HTTP1Channel>.http1(responder, timeouts: timeouts), gate: gate, tls: false)
            }
        }
        return HTTPServerBuilder { responder in
            let secured = try TLSChannel(GuardedHTTPChannel<HTTP1Channel>.http1(responder, timeouts: timeouts), tlsConfiguration: tls)
            return GuardedHTTPChannel(base: secured, gate: gate, tls: true)
        }
    }
}
