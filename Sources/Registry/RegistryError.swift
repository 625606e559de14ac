/// An error from a registry client: what failed, the image or registry involved, and why.
///
/// Messages never carry credentials, tokens or `Authorization` values.
public struct RegistryError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Sendable, Hashable {
        /// An image reference could not be parsed.
        case invalidReference
        /// The registry refused the credentials or asked for auth it cannot be given.
        case unauthorized
        /// The registry answered with an unexpected status.
        case registry
        /// The registry's reply is larger than allowed.
        case responseTooLarge
        /// The registry's reply could not be understood.
        case decoding
        /// The connection failed or timed out.
        case transport
        /// Credentials (docker `config.json`, TLS material) could not be loaded.
        case credentials
        /// A plain-HTTP or otherwise unsafe connection was refused.
        case insecure
        /// Content did not match the digest it was asked for by.
        case digestMismatch
        /// An image could not be built from its inputs (files, base, layout).
        case build
    }

    /// What kind of failure this is.
    public var code: Code
    /// A one-line explanation.
    public var message: String
    /// The image or registry involved.
    public var subject: String
    /// The HTTP status the registry answered, when that is the failure.
    public var status: Int?
    /// The underlying error, if any.
    public var cause: (any Error & Sendable)?

    /// Creates an error.
    public init(_ code: Code, _ message: String, subject: String, status: Int? = nil, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.subject = subject
        self.status = status
        self.cause = cause
    }

    /// `subject: message`.
    public var description: String { subject.isEmpty ? message : "\(subject): \(message)" }
}
