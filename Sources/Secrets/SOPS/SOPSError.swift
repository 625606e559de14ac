/// A failure to read, decrypt or encrypt a SOPS file; messages name key paths, never values or keys.
public typealias SOPSError = SecretsError<SOPSErrorCode>

/// The kind of a `SOPSError`, stable enough to branch on.
public enum SOPSErrorCode: String, SecretsErrorCode {
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

    /// `sops`.
    public static let format = "sops"
}
