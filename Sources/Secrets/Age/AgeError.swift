/// A failure to parse, encrypt or decrypt an age file or key; messages never carry key material or plaintext.
public typealias AgeError = SecretsError<AgeErrorCode>

/// The kind of an `AgeError`, stable enough to branch on.
public enum AgeErrorCode: String, SecretsErrorCode {
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

    /// `age`.
    public static let format = "age"
}
