import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL

/// What image automation needs from a registry; `RegistryClient` is the production one.
public protocol ImageRegistry: Sendable {
    /// Every tag of the repository `image` names.
    func tags(of image: ImageReference) async throws(ImageAutomationError) -> [String]
    /// The manifest digest of `image`'s tag.
    func digest(of image: ImageReference) async throws(ImageAutomationError) -> String
}

/// A client of the OCI distribution API: tag listing with pagination, manifest digests, and
/// uploads, with anonymous, Basic and Bearer-token auth.
///
/// ```swift
/// try await RegistryClient.withClient(credentials: { _ in .anonymous }) { registry in
///     let tags = try await registry.tags(of: ImageReference.parse("ghcr.io/stefanprodan/podinfo"))
/// }
/// ```
public final class RegistryClient: ImageRegistry {
    /// Looks up the credential for a registry host.
    public typealias Credentials = @Sendable (_ registry: String) throws(ImageAutomationError) -> RegistryCredential

    /// The tunables the client was made with.
    public let options: RegistryOptions
    let credentials: Credentials
    let http: HTTPClient
    let tokens = TokenCache()
    var logger: Logger { options.logger }

    /// Creates a client; call `shutdown()` when done, or use `withClient`.
    public init(options: RegistryOptions = RegistryOptions(), credentials: @escaping Credentials) throws(ImageAutomationError) {
        var configuration = HTTPClient.Configuration()
        var tls = TLSConfiguration.makeClientConfiguration()
        if let pem = options.caCertificatesPEM {
            let certificates: [NIOSSLCertificate]
            do { certificates = try NIOSSLCertificate.fromPEMBytes(pem) } catch {
                throw ImageAutomationError(.credentials, "the CA bundle is not PEM certificates", subject: "ca", cause: error)
            }
            guard !certificates.isEmpty else { throw ImageAutomationError(.credentials, "the CA bundle holds no certificates", subject: "ca") }
            tls.additionalTrustRoots = [.certificates(certificates)]
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
    func baseURL(_ image: ImageReference) throws(ImageAutomationError) -> String {
        let host = image.apiHost
        guard options.insecure else { return "https://" + host }
        guard RegistryOptions.isLoopback(host) else {
            throw ImageAutomationError(.insecure, "plain HTTP is only allowed to loopback registries", subject: host)
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

    /// `GET https://host/v2/...` without the query, for errors.
    var summary: String { "\(method.rawValue) \(url.split(separator: "?", maxSplits: 1).first ?? "")" }
}

/// A reply whose body was read within the size limit.
struct RegistryReply: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]
}
