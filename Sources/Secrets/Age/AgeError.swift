/// A failure to parse, encrypt or decrypt an age file or key; messages never carry key material or plaintext.
public struct AgeError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure, stable enough to branch on.
    public enum Code: String, Sendable, CaseIterable {
        /// The header (intro, stanzas, MAC line, payload nonce) is malformed or a stanza is invalid.
        case headerFailure = "header failure"
        /// The header MAC does not verify under the recovered file key.
        case hmacFailure = "HMAC failure"
        /// No identity could unwrap the file key.
        case noMatch = "no match"
        /// The encrypted payload is truncated, tampered or has trailing data.
        case payloadFailure = "payload failure"
        /// The ASCII armor around the file is malformed.
        case armorFailure = "armor failure"
        /// A recipient, identity or identity file is not a valid key encoding.
        case invalidKey = "invalid key"
        /// The input exceeds the configured size limit.
        case inputTooLarge = "input too large"
        /// The file or key uses a feature this implementation does not support.
        case unsupported = "unsupported"
    }

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

    /// One line: the source (if any), the code and the message.
    public var description: String {
        let prefix = source.map { "\($0): " } ?? ""
        return "\(prefix)age \(code.rawValue): \(message)"
    }
}
