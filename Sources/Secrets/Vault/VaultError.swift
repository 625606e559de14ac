/// A failure talking to Vault or OpenBao. Messages name the server and the API path, never a
/// token, a secret id, a JWT or a secret's value.
///
/// ```swift
/// do {
///     _ = try await client.readKV(mount: "secret", path: "db")
/// } catch let error where error.isNotFound {
///     // the secret does not exist (yet)
/// }
/// ```
public struct VaultError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure, stable enough to branch on.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The configuration is unusable (a bad address, a CA that is not PEM).
        case configuration
        /// The request never got an answer (connection refused, TLS failure, timeout).
        case transport
        /// Vault answered 404: no such secret, key or mount.
        case notFound = "not found"
        /// Vault answered 403, even after logging in again.
        case permissionDenied = "permission denied"
        /// A login (AppRole, Kubernetes) failed.
        case authentication
        /// Vault answered with another error status.
        case status
        /// The answer is not what the API documents.
        case malformedResponse = "malformed response"
        /// The answer exceeds the configured size limit.
        case responseTooLarge = "response too large"
    }

    /// The kind of failure.
    public var code: Code
    /// A human-readable explanation that is safe to log.
    public var message: String
    /// The server, as configured (`https://vault.example:8200`).
    public var address: String
    /// The API path involved (`/v1/secret/data/db`), without a query.
    public var path: String?
    /// The HTTP status, when Vault answered.
    public var status: Int?
    /// The underlying error, if any (never one that carries a credential).
    public var cause: (any Error & Sendable)?

    /// Creates an error.
    public init(
        _ code: Code, _ message: String, address: String, path: String? = nil, status: Int? = nil, cause: (any Error & Sendable)? = nil
    ) {
        self.code = code
        self.message = message
        self.address = address
        self.path = path
        self.status = status
        self.cause = cause
    }

    /// Whether Vault said the secret, key or mount does not exist.
    public var isNotFound: Bool { code == .notFound }

    /// One line: the server and path, the status, the code and the message.
    public var description: String {
        var prefix = "vault " + address + (path ?? "")
        if let status { prefix += " (HTTP \(status))" }
        return "\(prefix): \(code.rawValue): \(message)"
    }
}
