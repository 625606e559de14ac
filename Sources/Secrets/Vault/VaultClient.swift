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
        /// The largest response body read.
        public var maxResponseBytes: Int
        /// How long before its lease ends a login is renewed by logging in again.
        public var renewBefore: Duration

        /// Creates a configuration with limits that fit any KV secret and transit call.
        public init(
            address: String, auth: VaultAuth, namespace: String? = nil, caPEM: String? = nil, requestTimeout: Duration = .seconds(30),
            maxResponseBytes: Int = 2 << 20, renewBefore: Duration = .seconds(30)
        ) {
            self.address = address
            self.auth = auth
            self.namespace = namespace
            self.caPEM = caPEM
            self.requestTimeout = requestTimeout
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
    /// The TLS settings of each request: the CA of `configuration`, or the system's roots.
    let tls: TLSConfiguration?
    let session = Mutex<Session?>(nil)
    let now: @Sendable () -> Date

    /// One HTTP client for every VaultClient of the process, so a client per ExternalSecret sync
    /// or render costs no connection pool of its own (and needs no shutdown). Redirects are not
    /// followed: the token must go nowhere but the configured address.
    static let transport: HTTPClient = {
        var http = HTTPClient.Configuration()
        http.timeout = HTTPClient.Configuration.Timeout(connect: .seconds(10))
        http.redirectConfiguration = .disallow
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: http)
    }()

    /// Creates a client.
    public init(_ configuration: Configuration, now: @escaping @Sendable () -> Date = Date.init) throws(VaultError) {
        var configuration = configuration
        while configuration.address.hasSuffix("/") { configuration.address.removeLast() }
        let address = configuration.address
        guard let url = URL(string: address), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil,
            url.path.isEmpty || url.path == "/", url.query == nil
        else {
            throw VaultError(.configuration, "the address is not an http(s)://host[:port] URL", address: address)
        }
        var tls: TLSConfiguration?
        if let caPEM = configuration.caPEM {
            let certificates: [NIOSSLCertificate]
            do { certificates = try NIOSSLCertificate.fromPEMBytes(Array(caPEM.utf8)) } catch {
                throw VaultError(.configuration, "the CA is not a PEM certificate bundle", address: address, cause: error)
            }
            guard !certificates.isEmpty else { throw VaultError(.configuration, "the CA holds no certificates", address: address) }
            var custom = TLSConfiguration.makeClientConfiguration()
            custom.trustRoots = .certificates(certificates)
            tls = custom
        }
        self.configuration = configuration
        self.tls = tls
        self.now = now
        if case .token(let token) = configuration.auth { session.withLock { $0 = Session(token: token, renewAt: nil) } }
    }

    /// Revokes the token of this client's login (AppRole, Kubernetes) and forgets it, so it does
    /// not live on for the role's TTL once the caller is done; a later call logs in again. A
    /// static token is left alone. Failures are ignored (the token still expires with its TTL).
    public func revokeLogin() async {
        guard !isStaticToken else { return }
        let token = session.withLock { current -> String? in
            defer { current = nil }
            return current?.token
        }
        if let token { await revoke(token) }
    }

    /// Runs `body` with a client, then revokes the client's login, if it made one.
    public static func withClient<T: Sendable>(
        _ configuration: Configuration, _ body: (VaultClient) async throws -> T
    ) async throws -> T {
        let client = try VaultClient(configuration)
        do {
            let result = try await body(client)
            await client.revokeLogin()
            return result
        } catch {
            await client.revokeLogin()
            throw error
        }
    }
}
