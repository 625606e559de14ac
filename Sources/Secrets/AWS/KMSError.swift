/// A KMS call that failed: no reply, an error reply, or a reply that cannot be read. The message
/// never holds a plaintext or a credential.
public struct KMSError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure.
    public enum Code: String, Sendable, Hashable {
        /// The key does not exist (`NotFoundException`).
        case notFound
        /// The credentials were refused or lack the permission.
        case accessDenied
        /// The ciphertext is not the key's, or the encryption context differs (`InvalidCiphertextException`).
        case invalidCiphertext
        /// The key is disabled or pending deletion.
        case keyUnusable
        /// No reply: the endpoint is down or unreachable, or the call timed out.
        case unreachable
        /// A request Keelson will not send: a bad key ARN, endpoint or size.
        case badRequest
        /// Any other error reply of the service.
        case serviceError
        /// A reply that is not what the API documents, or is too large.
        case badReply
    }

    /// What kind of failure.
    public var code: Code
    /// The API call, `Encrypt` or `Decrypt`.
    public var operation: String
    /// The key, when the call names one.
    public var keyID: String?
    /// The service's error type (`NotFoundException`), when it sent one.
    public var awsType: String?
    /// What went wrong.
    public var message: String

    /// Creates an error.
    public init(code: Code, operation: String, keyID: String? = nil, awsType: String? = nil, message: String) {
        self.code = code
        self.operation = operation
        self.keyID = keyID
        self.awsType = awsType
        self.message = message
    }

    public var description: String {
        let subject = keyID.map { " with key \($0)" } ?? ""
        let type = awsType.map { "\($0): " } ?? ""
        return "KMS \(operation)\(subject) failed: \(type)\(message)"
    }
}
