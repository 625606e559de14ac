/// A Secrets Manager call that failed: no reply, an error reply, or a reply that cannot be read.
/// The message never holds a secret's value.
public struct SecretsManagerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure.
    public enum Code: String, Sendable, Hashable {
        /// The secret or version does not exist (`ResourceNotFoundException`).
        case notFound
        /// The credentials were refused or lack the permission.
        case accessDenied
        /// No reply: the endpoint is down or unreachable, or the call timed out.
        case unreachable
        /// Any other error reply of the service.
        case serviceError
        /// A reply that is not what the API documents, or is too large.
        case badReply
    }

    /// What kind of failure.
    public var code: Code
    /// The API call, e.g. `GetSecretValue`.
    public var operation: String
    /// The secret, when the call names one.
    public var secretID: String?
    /// The service's error type (`ResourceNotFoundException`), when it sent one.
    public var awsType: String?
    /// What went wrong.
    public var message: String

    /// Creates an error.
    public init(code: Code, operation: String, secretID: String? = nil, awsType: String? = nil, message: String) {
        self.code = code
        self.operation = operation
        self.secretID = secretID
        self.awsType = awsType
        self.message = message
    }

    /// Whether the secret or version does not exist.
    public var isNotFound: Bool { code == .notFound }

    public var description: String {
        let subject = secretID.map { " of secret \"\($0)\"" } ?? ""
        let type = awsType.map { "\($0): " } ?? ""
        return "Secrets Manager \(operation)\(subject) failed: \(type)\(message)"
    }
}
