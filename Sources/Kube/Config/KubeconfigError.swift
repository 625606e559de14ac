/// A kubeconfig or in-cluster configuration that cannot be used: what is wrong and in which file.
public struct KubeconfigError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Sendable, Hashable {
        /// No configuration was found (no file, no in-cluster environment).
        case notFound
        /// A file could not be read.
        case unreadable
        /// A file is not valid YAML or not a kubeconfig.
        case syntax
        /// A field the configuration needs is missing or malformed.
        case invalid
        /// The requested context, cluster or user does not exist.
        case unknownName
        /// `insecure-skip-tls-verify` is set and the caller did not allow it.
        case insecureRefused
        /// A feature the client does not implement (auth-provider plugins).
        case unsupported
    }

    /// What kind of failure this is.
    public var code: Code
    /// A one-line explanation; never contains tokens or keys.
    public var message: String
    /// The file involved, when there is one.
    public var file: String
    /// The underlying error.
    public var cause: (any Error & Sendable)?

    /// Creates an error.
    public init(_ code: Code, _ message: String, file: String = "", cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.file = file
        self.cause = cause
    }

    /// `file: message`.
    public var description: String { file.isEmpty ? message : "\(file): \(message)" }
}
