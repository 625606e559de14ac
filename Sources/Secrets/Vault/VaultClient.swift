import AsyncHTTPClient
import Foundation
import NIOSSL
import Synchronization

/// A client of the Vault (and OpenBao) HTTP API: KV v1 and v2 reads and lists, and transit
/// encryption, authenticated by a token, AppRole or the Kubernetes method.
///
/// ```swift
/// try await VaultClient.withClient(.init(address: "https://vault:8200", auth: .token(token))) { vault in
///     let secret = try await vault.readKV(mount: "secret", path: "apps/db")
///     let wrapped = try await vault.transitEncrypt(mount: "transit", key: "sops", plaintext: dataKey)
/// }
/// ```
public final class VaultClient: Sendable {
    /// Where the server is and how to talk to it.
    public struct Configuration: Sendable {
        /// The server's base URL, `scheme://host:port` (a trailing `/` is ignored).
        public var address: String
        /// How to get a token.
        public var auth: VaultAuth
        /// The Vault Enterprise / OpenBao namespace, sent as `X-Vault-Namespace`.
        public var namespace: String?
        /// PEM certificates trusted for an https address instead of the system's roots.
        public var caPEM: String?
        /// The limit on one request, connection to last byte.
        public var requestTimeout: Duration
        /// The limit on opening a connection.
        public var connectTimeout: Duration
        /// The largest response body read.
        public var maxResponseBytes: Int
        /// How long before its lease ends a login is renewed by logging in again.
        public var renewBefore: Duration

        /// Creates a configuration with limits that fit any KV secret and transit call.
        public init(
            address: String, auth: VaultAuth, namespace: String? = nil, caPEM: String? = nil, requestTimeout: Duration = .seconds(30),
            connectTimeout: Duration = .seconds(10), maxResponseBytes: Int = 2 << 20, renewBefore: Duration = .seconds(30)
        ) {
            self.address = address
            self.auth = auth
            self.namespace = namespace
            self.caPEM = caPEM
            self.requestTimeout = requestTimeout
            self.connectTimeout = connectTimeout
            self.maxResponseBytes = maxResponseBytes
            self.renewBefore = renewBefore
        }
    }

    /// A token from a login and when it should be replaced.
    struct Session: Sendable {
        var token: String
        var renewAt: Date?
    }

    /// The configuration in force (its address without a trailing `/`).
    public let configuration: Configuration
    let http: HTTPClient
    let session = Mutex<Session?>(nil)
    let now: @Sendable () -> Date

    /// Creates a client; call `shutdown()` when done, or use `withClient`.
    public init(_ configuration: Configuration, now: @escaping @Sendable () -> Date = Date.init) throws(VaultError) {
        var configuration = configuration
        while configuration.address.hasSuffix("/") { configuration.address.removeLast() }
        let address = configuration.address
        guard let url = URL(string: address), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil,
            url.path.isEmpty || url.path == "/", url.query == nil
        else {
            throw VaultError(.configuration, "the address is not an http(s)://host[:port] URL", address: address)
        }
        var http = HTTPClient.Configuration()
        http.timeout = HTTPClient.Configuration.Timeout(
            connect: .nanoseconds(Int64(configuration.connectTimeout / .nanoseconds(1))),
            read: .nanoseconds(Int64(configuration.requestTimeout / .nanoseconds(1))))
        http.redirectConfiguration = .disallow
        if let caPEM = configuration.caPEM {
            let certificates: [NIOSSLCertificate]
            do { certificates = try NIOSSLCertificate.fromPEMBytes(Array(caPEM.utf8)) } catch {
                throw VaultError(.configuration, "the CA is not a PEM certificate bundle", address: address, cause: error)
            }
            guard !certificates.isEmpty else { throw VaultError(.configuration, "the CA holds no certificates", address: address) }
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .certificates(certificates)
            http.tlsConfiguration = tls
        }
        self.configuration = configuration
        self.http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: http)
        self.now = now
        if case .token(let token) = configuration.auth { session.withLock { $0 = Session(token: token, renewAt: nil) } }
    }

    /// Closes the connections.
    public func shutdown() async {
        try? await http.shutdown()
    }

    /// Runs `body` with a client, shut down afterwards whether `body` succeeds or not.
    public static func withClient<T: Sendable>(
        _ configuration: Configuration, _ body: (VaultClient) async throws -> T
    ) async throws -> T {
        let client = try VaultClient(configuration)
        do {
            let result = try await body(client)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }
}
