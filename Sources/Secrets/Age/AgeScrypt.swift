import Crypto
import _CryptoExtras

/// The scrypt (passphrase) recipient type: the file key wrapped under scrypt(passphrase, salt, 2^workFactor).
enum AgeScrypt {
    static let stanzaType = "scrypt"
    static let label = Array("age-encryption.org/v1/scrypt".utf8)
    static let saltSize = 16

    /// Wraps `fileKey` under `passphrase` in a `scrypt` stanza with a fresh salt.
    static func wrap(fileKey: SymmetricKey, passphrase: String, workFactor: Int) throws(AgeError) -> AgeStanza {
        guard (1...30).contains(workFactor) else {
            throw AgeError(.invalidKey, "scrypt work factor must be between 1 and 30, not \(workFactor)")
        }
        let salt = randomBytes(saltSize)
        let key = try derive(passphrase: Array(passphrase.utf8), salt: salt, workFactor: workFactor)
        let arguments = [Base64.encodeString(salt, padded: false), String(workFactor)]
        return AgeStanza(type: stanzaType, arguments: arguments, body: AgeFileKey.wrap(fileKey, with: key))
    }

    /// Unwraps the file key from the `scrypt` stanza (the caller ensures it is alone), or nil on a wrong passphrase.
    static func unwrap(
        _ stanzas: [AgeStanza], passphrase: String, maxWorkFactor: Int
    ) throws(AgeError) -> SymmetricKey? {
        guard let stanza = stanzas.first(where: { $0.type == stanzaType }) else { return nil }
        guard stanza.arguments.count == 2 else { throw failure("scrypt stanza must have a salt and a work factor") }
        guard let salt = Base64.decode(Array(stanza.arguments[0].utf8), padded: false), salt.count == saltSize else {
            throw failure("scrypt salt is not 16 bytes of canonical base64")
        }
        let workFactor = try parseWorkFactor(stanza.arguments[1], max: maxWorkFactor)
        guard stanza.body.count == AgeFileKey.wrappedSize else {
            throw failure("scrypt stanza body is not a wrapped 16-byte file key")
        }
        let key = try derive(passphrase: Array(passphrase.utf8), salt: salt, workFactor: workFactor)
        return AgeFileKey.unwrap(stanza.body, with: key)
    }

    /// The work factor as canonical decimal (no sign, no leading zero) within 1...max.
    private static func parseWorkFactor(_ text: String, max: Int) throws(AgeError) -> Int {
        let digits = Array(text.utf8)
        guard !digits.isEmpty, digits.count <= 2, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), digits[0] != 0x30,
            let value = Int(text)
        else {
            throw failure("scrypt work factor is not a canonical decimal number")
        }
        guard value <= max else {
            throw failure("scrypt work factor \(value) is over the limit of \(max)")
        }
        return value
    }

    private static func derive(passphrase: [UInt8], salt: [UInt8], workFactor: Int) throws(AgeError) -> SymmetricKey {
        do {
            return try KDF.Scrypt.deriveKey(
                from: passphrase, salt: label + salt, outputByteCount: 32,
                rounds: 1 << workFactor, blockSize: 8, parallelism: 1)
        } catch {
            throw AgeError(.unsupported, "scrypt with work factor \(workFactor) could not run here", cause: error)
        }
    }

    private static func failure(_ message: String) -> AgeError {
        AgeError(.headerFailure, message)
    }
}
