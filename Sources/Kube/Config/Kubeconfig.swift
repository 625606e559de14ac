import Foundation
import Manifests

/// A parsed kubeconfig: named clusters, users and contexts, as kubectl reads them.
///
/// Relative file paths are already resolved against the directory of the file they came from.
/// ```swift
/// let config = try Kubeconfig.load(paths: ["/home/me/.kube/config"])
/// let resolved = try KubeConfiguration(kubeconfig: config, context: "prod")
/// ```
public struct Kubeconfig: Sendable, Hashable {
    /// A cluster entry.
    public struct Cluster: Sendable, Hashable {
        /// The API server URL.
        public var server: String
        /// The CA bundle file (absolute).
        public var certificateAuthority: String?
        /// The CA bundle itself (PEM, decoded from base64).
        public var certificateAuthorityData: [UInt8]?
        /// Whether the server's certificate is not verified.
        public var insecureSkipTLSVerify: Bool
        /// The name to verify the server certificate against, when it differs from the host.
        public var tlsServerName: String?
        /// The file this entry came from.
        public var file: String
    }

    /// An exec credential plugin (`users[].user.exec`).
    public struct ExecConfig: Sendable, Hashable, CustomStringConvertible {
        /// The program to run; relative paths with a slash resolve against the kubeconfig's directory.
        public var command: String
        /// Its arguments.
        public var args: [String]
        /// Extra environment variables (values may be secret; never printed).
        public var env: [(name: String, value: String)]
        /// The ExecCredential API version, e.g. `client.authentication.k8s.io/v1`.
        public var apiVersion: String
        /// Text to show when the program is missing.
        public var installHint: String
        /// Whether to pass the cluster in `KUBERNETES_EXEC_INFO`.
        public var provideClusterInfo: Bool
        /// `Never`, `IfAvailable` or `Always`.
        public var interactiveMode: String

        /// Creates an exec configuration.
        public init(
            command: String, args: [String] = [], env: [(name: String, value: String)] = [], apiVersion: String, installHint: String = "",
            provideClusterInfo: Bool = false, interactiveMode: String = "IfAvailable"
        ) {
            self.command = command
            self.args = args
            self.env = env
            self.apiVersion = apiVersion
            self.installHint = installHint
            self.provideClusterInfo = provideClusterInfo
            self.interactiveMode = interactiveMode
        }

        /// The command and arguments, without environment values.
        public var description: String { ([command] + args).joined(separator: " ") }

        public static func == (lhs: ExecConfig, rhs: ExecConfig) -> Bool {
            lhs.command == rhs.command && lhs.args == rhs.args && lhs.apiVersion == rhs.apiVersion
                && lhs.env.map(\.name) == rhs.env.map(\.name) && lhs.env.map(\.value) == rhs.env.map(\.value)
                && lhs.provideClusterInfo == rhs.provideClusterInfo && lhs.interactiveMode == rhs.interactiveMode
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(command)
            hasher.combine(args)
        }
    }

    /// A user (credentials) entry. Its description never shows secrets.
    public struct User: Sendable, Hashable, CustomStringConvertible {
        /// The client certificate file (absolute).
        public var clientCertificate: String?
        /// The client certificate (PEM).
        public var clientCertificateData: [UInt8]?
        /// The client key file (absolute).
        public var clientKey: String?
        /// The client key (PEM).
        public var clientKeyData: [UInt8]?
        /// A bearer token.
        public var token: String?
        /// A file holding a bearer token, re-read when it changes.
        public var tokenFile: String?
        /// Basic-auth user name.
        public var username: String?
        /// Basic-auth password.
        public var password: String?
        /// An exec credential plugin.
        public var exec: ExecConfig?
        /// The name of a legacy auth-provider plugin, which this client refuses.
        public var authProvider: String?
        /// The file this entry came from.
        public var file: String

        /// Which kinds of credentials are set, never their values.
        public var description: String {
            var kinds: [String] = []
            if clientCertificate != nil || clientCertificateData != nil { kinds.append("client-certificate") }
            if token != nil { kinds.append("token") }
            if tokenFile != nil { kinds.append("tokenFile") }
            if username != nil { kinds.append("basic") }
            if let exec { kinds.append("exec(\(exec.command))") }
            if let authProvider { kinds.append("auth-provider(\(authProvider))") }
            return "User(\(kinds.joined(separator: ", ")))"
        }
    }

    /// A context: which cluster, which user, which default namespace.
    public struct Context: Sendable, Hashable {
        /// The cluster name.
        public var cluster: String
        /// The user name.
        public var user: String
        /// The default namespace, if set.
        public var namespace: String?
    }

    /// Clusters by name.
    public var clusters: [String: Cluster] = [:]
    /// Users by name.
    public var users: [String: User] = [:]
    /// Contexts by name.
    public var contexts: [String: Context] = [:]
    /// `current-context`, empty when unset.
    public var currentContext: String = ""

    /// An empty kubeconfig.
    public init() {}

    /// Merges `other` below this one, as kubectl merges `$KUBECONFIG`: an entry or
    /// `current-context` already set here wins over the one from `other`.
    public func merging(_ other: Kubeconfig) -> Kubeconfig {
        var result = self
        result.clusters.merge(other.clusters) { mine, _ in mine }
        result.users.merge(other.users) { mine, _ in mine }
        result.contexts.merge(other.contexts) { mine, _ in mine }
        if result.currentContext.isEmpty { result.currentContext = other.currentContext }
        return result
    }

    /// Reads and merges files in order (the first wins per entry). Missing files are skipped,
    /// as kubectl skips them in `$KUBECONFIG`; `requireExisting` makes them an error.
    public static func load(paths: [String], requireExisting: Bool = false) throws(KubeconfigError) -> Kubeconfig {
        var merged = Kubeconfig()
        for path in paths where !path.isEmpty {
            guard FileManager.default.fileExists(atPath: path) else {
                if requireExisting { throw KubeconfigError(.notFound, "kubeconfig file does not exist", file: path) }
                continue
            }
            merged = merged.merging(try read(path))
        }
        return merged
    }

    /// The most bytes of one kubeconfig file read.
    public static let maximumFileSize = 16 << 20

    /// Reads and parses one file.
    public static func read(_ path: String) throws(KubeconfigError) -> Kubeconfig {
        let bytes = try readFile(path, what: "kubeconfig", limit: maximumFileSize, from: path)
        return try parse(bytes, file: absolute(path))
    }

    /// Reads a file referenced by a kubeconfig, with a size limit.
    static func readFile(_ path: String, what: String, limit: Int, from file: String) throws(KubeconfigError) -> [UInt8] {
        let data: Data
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            if let size = attributes[.size] as? Int, size > limit {
                throw KubeconfigError(.unreadable, "\(what) \(path) is larger than \(limit) bytes", file: file)
            }
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch let error as KubeconfigError {
            throw error
        } catch {
            throw KubeconfigError(.unreadable, "cannot read \(what) \(path)", file: file, cause: error)
        }
        return [UInt8](data)
    }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }
}
