import AsyncHTTPClient
import Logging
import Manifests
import NIOCore

/// Tunables of a `KubeClient`.
public struct KubeClientOptions: Sendable {
    /// Requests per second allowed in the long run (client-side rate limit).
    public var qps: Double
    /// Requests allowed at once after a quiet spell.
    public var burst: Int
    /// Retries of 429 and 5xx replies.
    public var retry: RetryPolicy
    /// The most bytes of one reply body (and of one watch event line).
    public var maxResponseBytes: Int
    /// The most HTTP/1.1 connections to the server at once; each open watch holds one, so this
    /// must exceed the number of watches plus the requests wanted in flight beside them.
    public var maxConnections: Int
    /// How long one non-watch request may take.
    public var requestTimeout: Duration
    /// The clock that backoff and rate limiting wait on.
    public var clock: any Clock<Duration>
    /// Sent as `User-Agent`.
    public var userAgent: String
    /// Where the client logs (never secrets).
    public var logger: Logger

    /// Creates options with client defaults close to kubectl's.
    public init(
        qps: Double = 50, burst: Int = 100, retry: RetryPolicy = RetryPolicy(), maxResponseBytes: Int = 64 << 20,
        maxConnections: Int = 128, requestTimeout: Duration = .seconds(60), clock: any Clock<Duration> = ContinuousClock(),
        userAgent: String = "keelson",
        logger: Logger = Logger(label: "keelson.kube")
    ) {
        self.qps = qps
        self.burst = burst
        self.retry = retry
        self.maxResponseBytes = maxResponseBytes
        self.maxConnections = maxConnections
        self.requestTimeout = requestTimeout
        self.clock = clock
        self.userAgent = userAgent
        self.logger = logger
    }
}

/// The production Kubernetes API client: discovery, dynamic CRUD, server-side apply and watch
/// over AsyncHTTPClient.
///
/// ```swift
/// try await KubeClient.withClient(KubeConfiguration.load()) { client in
///     let pods = try await client.list(GroupVersionKind(apiVersion: "v1", kind: "Pod"), namespace: "default")
/// }
/// ```
public final class KubeClient: KubernetesAPI {
    /// The cluster and user this client talks to.
    public let configuration: KubeConfiguration
    /// The tunables it was made with.
    public let options: KubeClientOptions
    /// The identity every request impersonates, or `nil` to act as the kubeconfig's own user.
    public let impersonation: Impersonation?
    let http: HTTPClient
    let credentials: CredentialProvider
    let limiter: RateLimiter
    let discovery: DiscoveryCache
    /// Whether `shutdown()` closes the HTTP client: only the client that made it does.
    private let ownsTransport: Bool
    var logger: Logger { options.logger }

    /// Creates a client; call `shutdown()` when done, or use `withClient`.
    public init(configuration: KubeConfiguration, options: KubeClientOptions = KubeClientOptions()) throws(KubeconfigError) {
        guard configuration.server.hasPrefix("https://") || configuration.server.hasPrefix("http://") else {
            throw KubeconfigError(.invalid, "server \(configuration.server) is not an http(s) URL")
        }
        var httpConfiguration = HTTPClient.Configuration()
        if configuration.server.hasPrefix("https://") {
            httpConfiguration.tlsConfiguration = try configuration.tls.makeTLSConfiguration()
        }
        // Watches are long-lived: the server ends them (timeoutSeconds); no idle read timeout here.
        httpConfiguration.timeout = HTTPClient.Configuration.Timeout(connect: .seconds(10), read: nil)
        httpConfiguration.redirectConfiguration = .disallow
        httpConfiguration.decompression = .disabled
        // Fail fast on TLS and connection errors; the client's own retry policy decides.
        httpConfiguration.connectionPool.retryConnectionEstablishment = false
        // AsyncHTTPClient's default of 8 would let eight watches starve every other request.
        httpConfiguration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(1, options.maxConnections)
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: httpConfiguration)
        self.configuration = configuration
        self.options = options
        credentials = CredentialProvider(configuration.credentials, logger: options.logger)
        limiter = RateLimiter(qps: options.qps, burst: options.burst, clock: options.clock)
        discovery = DiscoveryCache()
        impersonation = nil
        ownsTransport = true
    }

    /// A client acting as `identity` on `base`'s connections, credentials, rate limit and discovery.
    private init(sharing base: KubeClient, impersonation: Impersonation) {
        configuration = base.configuration
        options = base.options
        http = base.http
        credentials = base.credentials
        limiter = base.limiter
        discovery = base.discovery
        self.impersonation = impersonation
        ownsTransport = false
    }

    /// A client acting as `base` does, on `base`'s connections only, with `options`.
    private init(connectionsOf base: KubeClient, options: KubeClientOptions) {
        configuration = base.configuration
        self.options = options
        http = base.http
        credentials = CredentialProvider(base.configuration.credentials, logger: options.logger)
        limiter = RateLimiter(qps: options.qps, burst: options.burst, clock: options.clock)
        discovery = DiscoveryCache()
        impersonation = base.impersonation
        ownsTransport = false
    }

    /// A client whose every request, watches included, impersonates `identity` (replacing any
    /// identity this one impersonates). It shares this client's connections, credentials, rate
    /// limit and discovery cache, so making one per reconcile costs nothing; it stops working when
    /// this client is shut down.
    public func impersonating(_ identity: Impersonation) -> any KubernetesAPI {
        KubeClient(sharing: self, impersonation: identity)
    }

    /// A client with this one's identity and connections, and nothing else shared: its own rate
    /// limit (`options.qps` and `options.burst` beside this one's), discovery cache and credential
    /// cache (a task waiting on another's actor could be held up by it), its waits on `clock`.
    /// It stops working when this client is shut down.
    public func withOwnBudget(clock: any Clock<Duration>) -> any KubernetesAPI {
        var options = options
        options.clock = clock
        return KubeClient(connectionsOf: self, options: options)
    }

    /// Closes connections; the client cannot be used afterwards. On an impersonating client this
    /// does nothing: the client it came from owns the connections.
    public func shutdown() async throws {
        guard ownsTransport else { return }
        try await http.shutdown()
    }

    /// Runs `body` with a client that is shut down afterwards, whether `body` throws or not.
    public static func withClient<T: Sendable>(
        _ configuration: KubeConfiguration, options: KubeClientOptions = KubeClientOptions(),
        _ body: (KubeClient) async throws -> T
    ) async throws -> T {
        let client = try KubeClient(configuration: configuration, options: options)
        let result: T
        do {
            result = try await body(client)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
        return result
    }
}
