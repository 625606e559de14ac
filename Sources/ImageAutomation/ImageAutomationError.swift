import Registry

/// An error from image automation: what failed, the image, file or registry involved, and why.
///
/// Messages never carry credentials, tokens or `Authorization` values.
public struct ImageAutomationError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Sendable, Hashable {
        /// An image reference could not be parsed.
        case invalidReference
        /// A policy (semver range, regular expression, order) is malformed.
        case invalidPolicy
        /// No tag satisfied the policy.
        case noMatchingTag
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
        /// A YAML file with setter markers could not be read or updated.
        case setter
    }

    /// What kind of failure this is.
    public var code: Code
    /// A one-line explanation.
    public var message: String
    /// The image, registry URL or `file:line` involved.
    public var subject: String
    /// The underlying error, if any.
    public var cause: (any Error & Sendable)?

    /// Creates an error.
    public init(_ code: Code, _ message: String, subject: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.subject = subject
        self.cause = cause
    }

    /// The same failure from the registry client, with its code, message and subject.
    public init(_ error: RegistryError) {
        self.init(Code(rawValue: error.code.rawValue) ?? .registry, error.message, subject: error.subject, cause: error.cause)
    }

    /// `subject: message`.
    public var description: String { subject.isEmpty ? message : "\(subject): \(message)" }
}
