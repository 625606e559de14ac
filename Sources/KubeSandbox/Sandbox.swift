import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// An embedded Kubernetes-API-compatible server that kubectl and Keelson's client accept.
///
/// ```swift
/// try await Sandbox.withRunning(SandboxConfiguration(kubeconfigPath: "/tmp/kc")) { endpoint in
///     // run `kubectl --kubeconfig /tmp/kc get ns` against endpoint.url
/// }
/// ```
public struct Sandbox: Service {
    /// The configuration.
    public let configuration: SandboxConfiguration
    private let logger: Logger
    private let onReady: @Sendable (SandboxEndpoint) async -> Void

    /// Creates a sandbox; `onReady` runs once it listens (after the kubeconfig is written).
    public init(
        configuration: SandboxConfiguration, logger: Logger = Logger(label: "keelson.sandbox"),
        onReady: @escaping @Sendable (SandboxEndpoint) async -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.logger = logger
        self.onReady = onReady
    }

    /// Serves until cancelled or shut down gracefully.
    public func run() async throws {
        let catalog = ResourceCatalog()
        let store = ClusterStore(catalog: catalog, historyLimit: configuration.watchHistory, logger: logger)
        if let path = configuration.dataPath { try await store.attach(SQLiteStore(path: path)) }
        let traffic = TrafficLedger(clock: configuration.trafficClock)
        await store.observe(replaying: TrafficPolicy.watched) { traffic.observe($0) }
        let address = Mutex("")
        let responder = APIResponder(
            store: store, catalog: catalog, faults: FaultInjector(), audit: WriteAudit(), traffic: traffic,
            prometheus: ScriptedPrometheus(), configuration: configuration, serverAddress: { address.withLock { $0 } }, logger: logger)
        let configuration = self.configuration
        let logger = self.logger
        let onReady = self.onReady
        let certificates = configuration.tls ? try SandboxCertificates.generate(host: configuration.host) : nil
        let server: HTTPServerBuilder = try certificates.map { try .tls(.http1(), tlsConfiguration: $0.serverTLSConfiguration()) } ?? .http1()
        let simulator = WorkloadSimulator(store: store, catalog: catalog, readyDelay: configuration.readyDelay, logger: logger)
        let app = Application(
            responder: HostGuard(inner: responder, listenHost: configuration.tls ? nil : configuration.host),
            server: server,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "keelson-sandbox"),
            services: [simulator],
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                address.withLock { $0 = "\(configuration.host):\(port)" }
                let endpoint = SandboxEndpoint(
                    host: configuration.host, port: port, kubeconfigPath: configuration.kubeconfigPath, certificates: certificates)
                if let path = configuration.kubeconfigPath {
                    do {
                        try Kubeconfig.write(server: endpoint.url, certificates: certificates, to: path)
                    } catch {
                        logger.error("cannot write kubeconfig", metadata: ["path": "\(path)", "error": "\(error)"])
                    }
                }
                logger.info("sandbox listening", metadata: ["url": "\(endpoint.url)"])
                await onReady(endpoint)
            },
            logger: logger)
        // Shut down by the group this service runs in, never by signals of its own (see ServerService.run).
        try await app.run()
    }

    /// Runs a sandbox for the duration of `body`, then stops it gracefully (open watches end,
    /// requests in flight finish), as the `ServiceGroup` of a command stops it.
    public static func withRunning<Result: Sendable>(
        _ configuration: SandboxConfiguration, logger: Logger = Logger(label: "keelson.sandbox"),
        _ body: @Sendable (SandboxEndpoint) async throws -> Result
    ) async throws -> Result {
        let (ready, readySink) = AsyncStream<SandboxEndpoint>.makeStream()
        let sandbox = Sandbox(configuration: configuration, logger: logger) { readySink.yield($0) }
        // A group rather than cancellation: a cancelled HTTP server logs errors on its way out.
        let services = ServiceGroup(configuration: .init(services: [.init(service: sandbox, serviceName: "sandbox")], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { readySink.finish() }
                try await services.run()
            }
            var iterator = ready.makeAsyncIterator()
            guard let endpoint = await iterator.next() else {
                // The sandbox stopped before it listened: its error says why.
                try await group.waitForAll()
                throw CancellationError()
            }
            let result: Result
            do {
                result = try await body(endpoint)
            } catch {
                await services.triggerGracefulShutdown()
                try? await group.waitForAll()
                throw error
            }
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
            return result
        }
    }
}
