import Foundation

/// Everything the client needs to reach one cluster as one user: the server, TLS material and
/// where credentials come from. Its description never shows secrets.
public struct KubeConfiguration: Sendable, CustomStringConvertible {
    /// TLS material for the connection.
    public struct TLS: Sendable, Hashable {
        /// CA certificates (PEM) to trust; `nil` for the system roots.
        public var certificateAuthorityPEM: [UInt8]?
        /// The client certificate chain (PEM).
        public var clientCertificatePEM: [UInt8]?
        /// The client private key (PEM).
        public var clientKeyPEM: [UInt8]?
        /// Skip verifying the server (only when the caller allowed it).
        public var insecureSkipVerify: Bool
        /// The name to verify the server certificate against.
        public var serverName: String?

        /// Creates TLS settings.
        public init(
            certificateAuthorityPEM: [UInt8]? = nil, clientCertificatePEM: [UInt8]? = nil, clientKeyPEM: [UInt8]? = nil,
            insecureSkipVerify: Bool = false, serverName: String? = nil
        ) {
            self.certificateAuthorityPEM = certificateAuthorityPEM
            self.clientCertificatePEM = clientCertificatePEM
            self.clientKeyPEM = clientKeyPEM
            self.insecureSkipVerify = insecureSkipVerify
            self.serverName = serverName
        }
    }

    /// Where the credentials for each request come from.
    public enum Credentials: Sendable, CustomStringConvertible {
        /// None beyond a client certificate, if any.
        case none
        /// A fixed bearer token.
        case token(String)
        /// A bearer token read from a file, re-read when the file changes.
        case tokenFile(String)
        /// HTTP basic authentication.
        case basic(username: String, password: String)
        /// An exec credential plugin, with the cluster it is for.
        case exec(Kubeconfig.ExecConfig, server: String, certificateAuthorityPEM: [UInt8]?)

        /// The kind of credential, never its value.
        public var description: String {
            switch self {
            case .none: "none"
            case .token: "token(redacted)"
            case .tokenFile(let path): "tokenFile(\(path))"
            case .basic(let username, _): "basic(\(username), redacted)"
            case .exec(let config, _, _): "exec(\(config.command))"
            }
        }
    }

    /// The API server URL without a trailing slash, e.g. `https://10.0.0.1:6443`.
    public var server: String
    /// TLS settings.
    public var tls: TLS
    /// Request credentials.
    public var credentials: Credentials
    /// The namespace the context selects (`default` when unset).
    public var namespace: String
    /// The context this came from; empty for in-cluster or hand-made configurations.
    public var contextName: String

    /// Creates a configuration by hand.
    public init(
        server: String, tls: TLS = TLS(), credentials: Credentials = .none, namespace: String = "default",
        contextName: String = ""
    ) {
        self.server = server.hasSuffix("/") ? String(server.dropLast()) : server
        self.tls = tls
        self.credentials = credentials
        self.namespace = namespace
        self.contextName = contextName
    }

    /// The server, context and kinds of credentials.
    public var description: String {
        "KubeConfiguration(server: \(server), context: \(contextName), namespace: \(namespace), "
            + "credentials: \(credentials), clientCertificate: \(tls.clientCertificatePEM != nil))"
    }

    /// The most bytes read from a certificate, key or token file.
    public static let maximumCredentialFileSize = 1 << 20
}

extension KubeConfiguration {
    /// Resolves a context of a kubeconfig (its `current-context` when `context` is `nil`).
    /// `allowInsecure` must be set for a cluster with `insecure-skip-tls-verify`.
    public init(kubeconfig: Kubeconfig, context: String? = nil, allowInsecure: Bool = false) throws(KubeconfigError) {
        let contextName = context ?? kubeconfig.currentContext
        guard !contextName.isEmpty else { throw KubeconfigError(.unknownName, "no context given and no current-context set") }
        guard let entry = kubeconfig.contexts[contextName] else {
            throw KubeconfigError(.unknownName, "context \"\(contextName)\" does not exist")
        }
        guard let cluster = kubeconfig.clusters[entry.cluster] else {
            throw KubeconfigError(.unknownName, "cluster \"\(entry.cluster)\" of context \"\(contextName)\" does not exist")
        }
        guard !cluster.server.isEmpty else {
            throw KubeconfigError(.invalid, "cluster \"\(entry.cluster)\" has no server", file: cluster.file)
        }
        if cluster.insecureSkipTLSVerify && !allowInsecure {
            throw KubeconfigError(
                .insecureRefused, "cluster \"\(entry.cluster)\" sets insecure-skip-tls-verify; refusing without an explicit opt-in",
                file: cluster.file)
        }
        let user = entry.user.isEmpty ? nil : kubeconfig.users[entry.user]
        if !entry.user.isEmpty && user == nil {
            throw KubeconfigError(.unknownName, "user \"\(entry.user)\" of context \"\(contextName)\" does not exist")
        }
        var tls = TLS(insecureSkipVerify: cluster.insecureSkipTLSVerify, serverName: cluster.tlsServerName)
        tls.certificateAuthorityPEM = try Self.material(
            cluster.certificateAuthorityData, cluster.certificateAuthority, what: "certificate-authority", from: cluster.file)
        var credentials = Credentials.none
        if let user {
            if let provider = user.authProvider {
                throw KubeconfigError(
                    .unsupported, "auth-provider \"\(provider)\" of user \"\(entry.user)\" is not supported; use an exec plugin", file: user.file)
            }
            tls.clientCertificatePEM = try Self.material(
                user.clientCertificateData, user.clientCertificate, what: "client-certificate", from: user.file)
            tls.clientKeyPEM = try Self.material(user.clientKeyData, user.clientKey, what: "client-key", from: user.file)
            if (tls.clientCertificatePEM == nil) != (tls.clientKeyPEM == nil) {
                throw KubeconfigError(
                    .invalid, "user \"\(entry.user)\" has a client certificate without a key or a key without a certificate", file: user.file)
            }
            if let token = user.token {
                credentials = .token(token)
            } else if let tokenFile = user.tokenFile {
                credentials = .tokenFile(tokenFile)
            } else if let exec = user.exec {
                credentials = .exec(exec, server: cluster.server, certificateAuthorityPEM: tls.certificateAuthorityPEM)
            } else if let username = user.username {
                credentials = .basic(username: username, password: user.password ?? "")
            }
        }
        self.init(
            server: cluster.server, tls: tls, credentials: credentials, namespace: entry.namespace ?? "default",
            contextName: contextName)
    }

    /// Inline data when present (kubectl prefers it), else the file's bytes.
    private static func material(_ data: [UInt8]?, _ path: String?, what: String, from file: String) throws(KubeconfigError) -> [UInt8]? {
        if let data { return data }
        guard let path else { return nil }
        return try Kubeconfig.readFile(path, what: what, limit: maximumCredentialFileSize, from: file)
    }
}
