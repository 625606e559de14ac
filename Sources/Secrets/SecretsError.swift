/// The kinds of failure one secrets format reports, with the format's name for messages.
public protocol SecretsErrorCode: RawRepresentable<String>, Hashable, Sendable, CaseIterable {
    /// The format's name as messages show it, such as `age` or `sops`.
    static var format: String { get }
}

/// A failure of one secrets format (see `AgeError`, `SOPSError`); messages never carry key material or plaintext.
public struct SecretsError<Kind: SecretsErrorCode>: Error, Sendable, CustomStringConvertible {
    /// The kind of failure, stable enough to branch on.
    public typealias Code = Kind

    /// The kind of failure.
    public var code: Code
    /// A human-readable explanation that is safe to log.
    public var message: String
    /// The file or object involved, when the caller named one.
    public var source: String?
    /// The underlying error, if any.
    public var cause: (any Error & Sendable)?

    /// Creates an error with a code, message and optional source and cause.
    public init(_ code: Code, _ message: String, source: String? = nil, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.source = source
        self.cause = cause
    }

    /// One line: the source (if any), the format, the code and the message.
    public var description: String {
        let prefix = source.map { "\($0): " } ?? ""
        return "\(prefix)\(Code.format) \(code.rawValue): \(message)"
    }
}
