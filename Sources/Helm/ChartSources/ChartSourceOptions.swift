import Logging

/// How to reach a chart repository or registry: credentials and TLS material as plain values
/// (the controller reads them from a Secret), and limits.
public struct ChartSourceOptions: Sendable {
    /// Basic-auth user name (HTTP repositories; OCI registries, also for their token service).
    public var username: String?
    /// Basic-auth password or token.
    public var password: String?
    /// Extra trusted CA certificates (PEM).
    public var caPEM: [UInt8]?
    /// A TLS client certificate chain (PEM), with `keyPEM`.
    public var certificatePEM: [UInt8]?
    /// The TLS client key (PEM).
    public var keyPEM: [UInt8]?
    /// Sends the credentials to chart URLs on another host than the repository's (Helm's `--pass-credentials`).
    public var passCredentials: Bool
    /// Plain HTTP to a loopback OCI registry (Helm's `--plain-http`).
    public var plainHTTP: Bool
    /// The most bytes of an `index.yaml`.
    public var maxIndexBytes: Int
    /// The most bytes of a chart archive.
    public var maxChartBytes: Int
    /// How long connecting may take.
    public var connectTimeout: Duration
    /// How long one request may take.
    public var requestTimeout: Duration
    /// Where fetches are logged (never credentials).
    public var logger: Logger

    /// Creates options; the limits suit public repositories (large indexes such as Bitnami's).
    public init(
        username: String? = nil, password: String? = nil, caPEM: [UInt8]? = nil, certificatePEM: [UInt8]? = nil, keyPEM: [UInt8]? = nil,
        passCredentials: Bool = false, plainHTTP: Bool = false, maxIndexBytes: Int = 64 << 20, maxChartBytes: Int = 20 << 20,
        connectTimeout: Duration = .seconds(10), requestTimeout: Duration = .seconds(60), logger: Logger = Logger(label: "keelson.charts")
    ) {
        self.username = username
        self.password = password
        self.caPEM = caPEM
        self.certificatePEM = certificatePEM
        self.keyPEM = keyPEM
        self.passCredentials = passCredentials
        self.plainHTTP = plainHTTP
        self.maxIndexBytes = maxIndexBytes
        self.maxChartBytes = maxChartBytes
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.logger = logger
    }
}
