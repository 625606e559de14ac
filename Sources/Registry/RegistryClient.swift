import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL

/// A client of the OCI distribution API: tag listing with pagination, manifest digests, pulls and
/// uploads, with anonymous, Basic and Bearer-token auth.
///
/// ```swift
/// try await RegistryClient.withClient(credentials: { _ in .anonymous }) { registry in
///     let tags = try await registry.tags(of: ImageReference.parse("ghcr.io/stefanprodan/podinfo"))
/// }
/// ```
public final class RegistryClient: Sendable {
    /// Looks up the credential for a registry host.
    public typealias Credentials = @Sendable (_ registry: String) throws(RegistryError) -> RegistryCredential

    /// The tunables the client was made with.
    public let options: RegistryOptions
    let credentials: Credentials
    let http: HTTPClient
    let tokens = TokenCache()
    var logger: Logger { options.logger }

    /// Creates a client; call `shutdown()` when done, or use `withClient`.
    public init(options: RegistryOptions = RegistryOptions(), credentials: @escaping Credentials) throws(RegistryError) {
        var configuration = HTTPClient.Configuration()
        var tls = TLSConfiguration.makeClientConfiguration()
        if let pem = options.caCertificatesPEM {
            let certificates: [NIOSSLCertificate]
            do { certificates = try NIOSSLCertificate.fromPEMBytes(pem) } catch {
                throw RegistryError(.credentials, "the CA bundle is not PEM certificates", subject: "ca", cause: error)
            }
            guard !certificates.isEmpty else { throw RegistryError(.credentials, "the CA bundle holds no certificates", subject: "ca") }
            tls.additionalTrustRoots = [.certificates(certificates)]
        }
        switch (options.clientCertificatePEM, options.clientKeyPEM) {
        case (nil, nil): break
        case (let certificate?, let key?):
            do {
                tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(certificate).map { .certificate($0) }
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: key, format: .pem))
            } catch {
                throw RegistryError(.credentials, "the TLS client certificate or key is not PEM", subject: "client certificate", cause: error)
            }
        default: throw RegistryError(.credentials, "a TLS client certificate needs both the certificate and the key", subject: "client certificate")
        }
        configuration.tlsConfiguration = tls
        configuration.timeout = HTTPClient.Configuration.Timeout(
            connect: .nanoseconds(Int64(options.connectTimeout / .nanoseconds(1))),
            read: .nanoseconds(Int64(options.requestTimeout / .nanoseconds(1))))
        // Tag pages, manifest HEADs and tokens are not redirected; refusing redirects means an
        // Authorization header can never be carried to another host.
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .enabled(limit: .ratio(20))
        // A TLS or connection failure is reported at once rather than retried until the timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.options = options
        self.credentials = credentials
    }

    /// Closes connections; the client cannot be used afterwards.
    public func shutdown() async throws {
        try await http.shutdown()
    }

    /// Runs `body` with a client that is shut down afterwards.
    public static func withClient<T: Sendable>(
        options: RegistryOptions = RegistryOptions(), credentials: @escaping Credentials,
        _ body: (RegistryClient) async throws -> T
    ) async throws -> T {
        let client = try RegistryClient(options: options, credentials: credentials)
        do {
            let result = try await body(client)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// `https://HOST`, or `http://HOST` when insecure mode is on and the host is loopback.
    func baseURL(_ image: ImageReference) throws(RegistryError) -> String {
        let host = image.apiHost
        guard options.insecure else { return "https://" + host }
        guard RegistryOptions.isLoopback(host) else {
            throw RegistryError(.insecure, "plain HTTP is only allowed to loopback registries", subject: host)
        }
        return "http://" + host
    }
}

/// One registry request before auth.
struct RegistryRequest: Sendable {
    var method: HTTPMethod = .GET
    var url: String
    var headers: [(String, String)] = []
    var body: [UInt8]?
    /// The repository the request is about (for the token scope and errors).
    var image: ImageReference
    /// `pull` or `pull,push`.
    var actions = "pull"
    /// The most bytes of the reply body, when not the client's `maxResponseBytes`.
    var maxBytes: Int?
    /// Whether a 3xx reply is followed (once, without credentials) rather than an error.
    var followsRedirect = false

    /// `GET https://host/v2/...` without the query, for errors.
    var summary: String { "\(method.rawValue) \(url.split(separator: "?", maxSplits: 1).first ?? "")" }
}

/// A reply whose body was read within the size limit.
struct RegistryReply: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]
}
