import Crypto
import Foundation

/// Bitnami's hybrid encryption of one sealed value: a random AES-256 session key encrypted with
/// RSA-OAEP (SHA-256, the scope's label), then the value with AES-256-GCM under that key and an
/// all-zero nonce (safe because each key seals one value). The output is the key ciphertext's
/// length as two big-endian bytes, the key ciphertext, then the GCM ciphertext and tag.
///
/// ```swift
/// let label = SealingScope.strict.label(namespace: "shop", name: "db")
/// let sealed = try SealedValueCipher.seal(Array("hunter2".utf8), to: publicKey, label: label)
/// let plain = try SealedValueCipher.unseal(sealed, with: [privateKey], label: label)
/// ```
public enum SealedValueCipher {
    /// The largest value sealed or unsealed: a Secret's whole data is limited to 1 MiB.
    public static let maximumValueBytes = 1024 * 1024

    static let sessionKeyBytes = 32
    /// The all-zero GCM nonce of the format.
    static var nonce: AES.GCM.Nonce { try! AES.GCM.Nonce(data: [UInt8](repeating: 0, count: 12)) }
    static let tagBytes = 16

    /// `plaintext` sealed to `key` under `label`.
    public static func seal(_ plaintext: [UInt8], to key: SealingPublicKey, label: [UInt8]) throws(SealedSecretsError) -> [UInt8] {
        guard plaintext.count <= maximumValueBytes else { throw SealedSecretsError(.inputTooLarge, "a value is larger than 1 MiB") }
        let sessionKey = RSAOAEP.randomBytes(sessionKeyBytes)
        guard let encoded = RSAOAEP.encode(sessionKey, label: label, modulusLength: key.modulusLength) else {
            throw SealedSecretsError(.invalidKey, "the RSA key is too short for a session key")
        }
        let encryptedKey = key.rawEncrypt(encoded)
        let box: AES.GCM.SealedBox
        do { box = try AES.GCM.seal(plaintext, using: SymmetricKey(data: sessionKey), nonce: nonce) } catch {
            throw SealedSecretsError(.invalidKey, "AES-GCM refused the session key")
        }
        let length = UInt16(encryptedKey.count)
        return [UInt8(length >> 8), UInt8(length & 0xff)] + encryptedKey + Array(box.ciphertext) + Array(box.tag)
    }

    /// The value of `ciphertext`, decrypted with the first of `keys` that opens it under `label`.
    /// A wrong label (a renamed or moved object) and a wrong key fail the same way.
    public static func unseal(_ ciphertext: [UInt8], with keys: [SealingPrivateKey], label: [UInt8]) throws(SealedSecretsError) -> [UInt8] {
        try open(ciphertext, with: keys, label: label).plaintext
    }

    /// The value of `ciphertext` and the index in `keys` of the key that opened it. Each key costs
    /// one RSA private operation, so callers put the likeliest key first.
    static func open(_ ciphertext: [UInt8], with keys: [SealingPrivateKey], label: [UInt8]) throws(SealedSecretsError) -> (
        plaintext: [UInt8], key: Int
    ) {
        guard ciphertext.count <= maximumValueBytes + 2 + 1024 + tagBytes else {
            throw SealedSecretsError(.inputTooLarge, "a sealed value is larger than 1 MiB")
        }
        guard ciphertext.count >= 2 else { throw SealedSecretsError(.malformedCiphertext, "the value is too short to hold a length prefix") }
        let keyLength = Int(ciphertext[0]) << 8 | Int(ciphertext[1])
        guard ciphertext.count >= 2 + keyLength + tagBytes else {
            throw SealedSecretsError(.malformedCiphertext, "the value is shorter than its encrypted session key and tag")
        }
        let encryptedKey = Array(ciphertext[2..<(2 + keyLength)])
        let body = ciphertext[(2 + keyLength)...]
        for (index, key) in keys.enumerated() where key.publicKey.modulusLength == keyLength {
            guard let block = key.rawDecrypt(encryptedKey), let sessionKey = RSAOAEP.decode(block, label: label),
                sessionKey.count == sessionKeyBytes
            else { continue }
            do {
                let box = try AES.GCM.SealedBox(nonce: nonce, ciphertext: body.dropLast(tagBytes), tag: body.suffix(tagBytes))
                return (Array(try AES.GCM.open(box, using: SymmetricKey(data: sessionKey))), index)
            } catch {
                continue
            }
        }
        throw SealedSecretsError(
            .decryptionFailed, "no sealing key opens the value under this scope (sealed with another key, or for another name or namespace)")
    }
}
