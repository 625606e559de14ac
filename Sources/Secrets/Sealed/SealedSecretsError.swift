/// A failure to seal or unseal a SealedSecret, or to read a sealing key or certificate;
/// messages never carry key material or plaintext.
public typealias SealedSecretsError = SecretsError<SealedSecretsErrorCode>

/// The kind of a `SealedSecretsError`, stable enough to branch on.
public enum SealedSecretsErrorCode: String, SecretsErrorCode {
    /// A private key or certificate is malformed, not RSA, or too small.
    case invalidKey = "invalid key"
    /// A sealed value is not base64, too short, or its length prefix is wrong.
    case malformedCiphertext = "malformed ciphertext"
    /// No key could decrypt a value under this object's scope (wrong key, or a renamed or moved object).
    case decryptionFailed = "decryption failed"
    /// A Secret or SealedSecret manifest lacks a field or has one of the wrong type.
    case invalidObject = "invalid object"
    /// An input exceeds its size limit.
    case inputTooLarge = "input too large"

    /// `sealed-secrets`.
    public static let format = "sealed-secrets"
}
