import Foundation

/// How a sandbox runs: where it listens, where it writes its kubeconfig, how its simulation behaves.
public struct SandboxConfiguration: Sendable {
    /// The address to listen on; the sandbox only ever binds to loopback by default.
    public var host: String
    /// The port; `0` picks a free one (reported by `SandboxEndpoint.port`).
    public var port: Int
    /// Where to write a kubeconfig for the sandbox (context `keelson-sandbox`), if anywhere.
    public var kubeconfigPath: String?
    /// The SQLite file that keeps the sandbox's state across restarts; `nil` keeps it in memory.
    public var dataPath: String?
    /// Serve HTTPS with generated certificates and require a client certificate.
    public var tls: Bool
    /// How long simulated workloads take to become ready.
    public var readyDelay: Duration
    /// How many past changes watches can resume from; older resourceVersions get `410 Expired`.
    public var watchHistory: Int
    /// How often watches that allow bookmarks receive one.
    public var bookmarkInterval: Duration
    /// The clock simulated traffic runs on (`sandbox.keelson.dev/rps` is per second of it); a
    /// test passes a manual clock to count requests exactly.
    public var trafficClock: any Clock<Duration>

    /// Creates a configuration.
    public init(
        host: String = "127.0.0.1", port: Int = 0, kubeconfigPath: String? = nil, dataPath: String? = nil, tls: Bool = false,
        readyDelay: Duration = .seconds(1),
        watchHistory: Int = 10_000, bookmarkInterval: Duration = .seconds(5), trafficClock: any Clock<Duration> = ContinuousClock()
    ) {
        self.host = host
        self.port = port
        self.kubeconfigPath = kubeconfigPath
        self.dataPath = dataPath
        self.tls = tls
        self.readyDelay = readyDelay
        self.watchHistory = watchHistory
        self.bookmarkInterval = bookmarkInterval
        self.trafficClock = trafficClock
    }
}

/// Where a running sandbox can be reached.
public struct SandboxEndpoint: Sendable, Hashable {
    /// The host it listens on.
    public var host: String
    /// The port it listens on.
    public var port: Int
    /// The kubeconfig it wrote, if any.
    public var kubeconfigPath: String?
    /// The certificates, when it serves HTTPS.
    public var certificates: SandboxCertificates?

    /// The server URL, e.g. `http://127.0.0.1:6443`.
    public var url: String { "\(certificates == nil ? "http" : "https")://\(host):\(port)" }
}

/// The kubeconfig a sandbox writes for kubectl and Keelson.
enum Kubeconfig {
    /// The context (and cluster and user) name.
    static let contextName = "keelson-sandbox"

    /// The kubeconfig document for a server URL.
    static func document(server: String, certificates: SandboxCertificates? = nil) -> String {
        func data(_ pem: String) -> String { Data(pem.utf8).base64EncodedString() }
        let authority = certificates.map { "\n    certificate-authority-data: \(data($0.caPEM))" } ?? ""
        let user =
            certificates.map {
                "\n    client-certificate-data: \(data($0.clientCertificatePEM))\n    client-key-data: \(data($0.clientKeyPEM))"
            } ?? " {}"
        return """
            apiVersion: v1
            kind: Config
            clusters:
            - name: \(contextName)
              cluster:
                server: \(server)\(authority)
            users:
            - name: \(contextName)
              user:\(user)
            contexts:
            - name: \(contextName)
              context:
                cluster: \(contextName)
                user: \(contextName)
                namespace: default
            current-context: \(contextName)
            preferences: {}

            """
    }

    /// Writes the kubeconfig, readable only by the owner.
    static func write(server: String, certificates: SandboxCertificates?, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(document(server: server, certificates: certificates).utf8).write(to: url, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    }
}
