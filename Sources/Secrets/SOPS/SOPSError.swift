/// A failure to read, decrypt or encrypt a SOPS file; messages name key paths, never values or keys.
public struct SOPSError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure, stable enough to branch on.
    public enum Code: String, Sendable, CaseIterable {
        /// The file is not well-formed YAML, JSON or dotenv, or its top level is not a mapping.
        case syntax
        /// The file has no `sops` metadata, or the metadata is malformed.
        case metadata
        /// No given identity could unwrap the data key from the file's `sops.age` entries.
        case noMatchingKey = "no matching key"
        /// A value is not a well-formed `ENC[AES256_GCM,…]` string.
        case malformedValue = "malformed value"
        /// A value, the MAC or a comment does not authenticate under the data key: the file was modified.
        case authentication
        /// The MAC recomputed over the values differs from the file's MAC: the file was modified.
        case macMismatch = "MAC mismatch"
        /// The input, a value or the nesting exceeds a configured limit.
        case inputTooLarge = "input too large"
        /// The file or rules use a SOPS feature Keelson does not implement.
        case unsupported
        /// A `.sops.yaml` is malformed or no creation rule matches.
        case config
    }

    /// The kind of failure.
    public var code: Code
    /// A human-readable explanation that is safe to log.
    public var message: String
    /// The file involved, when the caller named one.
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
        return "\(prefix)sops \(code.rawValue): \(message)"
    }
}
