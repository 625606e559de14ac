/// Why a chart could not be fetched: what failed, the repository or reference involved, and the cause.
///
/// Messages name URLs and versions, never credentials.
///
/// ```swift
/// do { _ = try await repository.fetch("app", version: "^2") } catch {
///     if error.code == .noMatchingVersion { print(error.message) }  // lists the newest versions
/// }
/// ```
public struct ChartSourceError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Sendable, Hashable {
        /// The repository or registry could not be reached (connection refused, DNS, TLS, timeout).
        case unreachable
        /// The server refused the credentials (401/403).
        case unauthorized
        /// The server answered with an unexpected status (an index or archive not found, a 5xx).
        case server
        /// The repository index does not list the chart.
        case chartNotFound
        /// No version of the chart satisfies the range.
        case noMatchingVersion
        /// The `targetRevision` is neither a version nor a semver range.
        case invalidRange
        /// The repository URL or `oci://` reference is malformed.
        case invalidReference
        /// The index or OCI manifest could not be read.
        case invalidIndex
        /// The OCI artifact is not a Helm chart (config or layer media type).
        case notAChart
        /// The archive's sha256 is not the one the index or manifest names.
        case digestMismatch
        /// A reply is larger than allowed.
        case tooLarge
        /// The TLS material (CA, client certificate, key) could not be loaded.
        case credentials
        /// Plain HTTP to a registry other than loopback was refused.
        case insecure
        /// The cache folder could not be written.
        case cache
    }

    /// What kind of failure this is.
    public var code: Code
    /// A one-line explanation.
    public var message: String
    /// The repository URL or `oci://` reference involved.
    public var source: String
    /// The underlying error, if any.
    public var cause: (any Error & Sendable)?

    /// Creates an error.
    public init(_ code: Code, _ message: String, source: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.source = source
        self.cause = cause
    }

    /// `source: message`.
    public var description: String { source.isEmpty ? message : "\(source): \(message)" }
}
