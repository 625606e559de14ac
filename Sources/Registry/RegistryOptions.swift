import Logging

/// Tunables of a `RegistryClient`.
public struct RegistryOptions: Sendable {
    /// Allows plain HTTP, and only to loopback hosts (`localhost`, `127.0.0.0/8`, `::1`).
    public var insecure: Bool
    /// Extra trusted CA certificates (PEM) for registries with a private CA.
    public var caCertificatesPEM: [UInt8]?
    /// A TLS client certificate chain (PEM) for registries that ask for one, with `clientKeyPEM`.
    public var clientCertificatePEM: [UInt8]?
    /// The TLS client key (PEM).
    public var clientKeyPEM: [UInt8]?
    /// Tags asked for per page (`n=`).
    public var pageSize: Int
    /// The most pages of tags followed.
    public var maxPages: Int
    /// The most bytes of one reply body (a tag page, a token, a manifest).
    public var maxResponseBytes: Int
    /// How long connecting may take.
    public var connectTimeout: Duration
    /// How long one request may take.
    public var requestTimeout: Duration
    /// Sent as `User-Agent`.
    public var userAgent: String
    /// Where the client logs (never credentials).
    public var logger: Logger

    /// Creates options with defaults fit for public registries.
    public init(
        insecure: Bool = false, caCertificatesPEM: [UInt8]? = nil, pageSize: Int = 1000, maxPages: Int = 1000,
        maxResponseBytes: Int = 4 << 20, connectTimeout: Duration = .seconds(10), requestTimeout: Duration = .seconds(30),
        userAgent: String = "keelson", logger: Logger = Logger(label: "keelson.registry")
    ) {
        self.insecure = insecure
        self.caCertificatesPEM = caCertificatesPEM
        self.pageSize = pageSize
        self.maxPages = maxPages
        self.maxResponseBytes = maxResponseBytes
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.userAgent = userAgent
        self.logger = logger
    }

    /// Whether `host` (with or without port) is a loopback address.
    static func isLoopback(_ host: String) -> Bool {
        var name = Substring(host)
        if name.hasPrefix("["), let close = name.firstIndex(of: "]") {
            name = name[name.index(after: name.startIndex)..<close]
        } else if let colon = name.lastIndex(of: ":"), name.filter({ $0 == ":" }).count == 1 {
            name = name[..<colon]
        }
        return name == "localhost" || name == "::1" || name.hasPrefix("127.")
    }
}
