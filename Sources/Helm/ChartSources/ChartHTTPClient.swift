import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// HTTP GETs for a chart repository: TLS from the options, Basic auth only to the repository's
/// own host (unless `passCredentials`), redirects followed by hand so credentials never follow
/// one to another host, and reply bodies read up to a limit.
final class ChartHTTPClient: Sendable {
    /// A reply whose body was read within the limit.
    struct Reply: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: [UInt8]
    }

    let options: ChartSourceOptions
    private let http: HTTPClient

    init(options: ChartSourceOptions, source: String) throws(ChartSourceError) {
        var configuration = HTTPClient.Configuration()
        configuration.tlsConfiguration = try Self.tls(options, source: source)
        configuration.timeout = HTTPClient.Configuration.Timeout(
            connect: .nanoseconds(Int64(options.connectTimeout / .nanoseconds(1))),
            read: .nanoseconds(Int64(options.requestTimeout / .nanoseconds(1))))
        configuration.redirectConfiguration = .disallow
        // A refused connection is reported at once rather than retried until the timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.options = options
    }

    func shutdown() async throws { try await http.shutdown() }

    /// The client TLS configuration: extra CA certificates and a client certificate, from PEM.
    static func tls(_ options: ChartSourceOptions, source: String) throws(ChartSourceError) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        do {
            if let pem = options.caPEM {
                let certificates = try NIOSSLCertificate.fromPEMBytes(pem)
                guard !certificates.isEmpty else { throw ChartSourceError(.credentials, "the CA bundle holds no certificates", source: source) }
                tls.additionalTrustRoots = [.certificates(certificates)]
            }
            switch (options.certificatePEM, options.keyPEM) {
            case (nil, nil): break
            case (let certificate?, let key?):
                tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(certificate).map { .certificate($0) }
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: key, format: .pem))
            default: throw ChartSourceError(.credentials, "a TLS client certificate needs both the certificate and the key", source: source)
            }
        } catch {
            if let error = error as? ChartSourceError { throw error }
            throw ChartSourceError(.credentials, "the TLS material is not valid PEM", source: source, cause: error)
        }
        return tls
    }

    /// GETs `url`, following up to five redirects; credentials go only to `home` (`host:port`
    /// of the repository) unless `passCredentials` is on. Any status comes back.
    func get(_ url: String, home: String, headers: [(String, String)] = [], maxBytes: Int, source: String) async throws(ChartSourceError) -> Reply {
        var current = url
        for _ in 0...5 {
            let reply = try await once(
                current, headers: headers, authorize: options.passCredentials || Self.hostPort(current) == home, maxBytes: maxBytes, source: source)
            guard [301, 302, 303, 307, 308].contains(reply.status), let location = reply.headers.first(name: "Location") else { return reply }
            guard let next = URL(string: location, relativeTo: URL(string: current))?.absoluteString, next.hasPrefix("http") else {
                throw ChartSourceError(.server, "GET \(Self.redacted(current)) redirected to an unusable location", source: source)
            }
            current = next
        }
        throw ChartSourceError(.server, "GET \(Self.redacted(url)) redirected more than five times", source: source)
    }

    private func once(_ url: String, headers: [(String, String)], authorize: Bool, maxBytes: Int, source: String) async throws(ChartSourceError)
        -> Reply
    {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "User-Agent", value: "keelson")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if authorize, let username = options.username {
            let basic = Data("\(username):\(options.password ?? "")".utf8).base64EncodedString()
            request.headers.add(name: "Authorization", value: "Basic " + basic)
        }
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: .nanoseconds(Int64(options.requestTimeout / .nanoseconds(1))), logger: nil)
        } catch {
            throw ChartSourceError(.unreachable, "GET \(Self.redacted(url)) failed: \(Self.reason(error))", source: source, cause: error)
        }
        do {
            let body = try await response.body.collect(upTo: maxBytes)
            return Reply(status: Int(response.status.code), headers: response.headers, body: Array(body.readableBytesView))
        } catch is NIOTooManyBytesError {
            throw ChartSourceError(.tooLarge, "GET \(Self.redacted(url)) is larger than \(maxBytes) bytes", source: source)
        } catch {
            throw ChartSourceError(.unreachable, "reading GET \(Self.redacted(url)) failed: \(Self.reason(error))", source: source, cause: error)
        }
    }

    /// `host:port` of `url` (port only when written), lowercased.
    static func hostPort(_ url: String) -> String? {
        guard let components = URLComponents(string: url), let host = components.host else { return nil }
        return host.lowercased() + (components.port.map { ":\($0)" } ?? "")
    }

    /// `url` without user info or query, for messages.
    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return "<url>" }
        components.user = nil
        components.password = nil
        components.query = nil
        return components.string ?? "<url>"
    }

    private static func reason(_ error: any Error) -> String {
        if let error = error as? HTTPClientError, error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            return "timed out"
        }
        return String(describing: error).prefix(200).description
    }
}
