import Crypto

/// Encrypts and decrypts files in the age v1 format (age-encryption.org/v1).
///
/// ```swift
/// let identity = AgeIdentity.generate()
/// let armored = try Age.encrypt(Array("s3cret".utf8), to: [identity.recipient], armored: true)
/// let plaintext = try Age.decrypt(armored, identities: [identity])
/// ```
public enum Age {
    /// The default cap on input size for `encrypt` and `decrypt`: 64 MiB.
    public static let defaultMaxInputSize = 64 << 20

    /// How `decrypt` treats its input.
    public enum InputFormat: String, Sendable {
        /// Armored if the input, after leading whitespace, starts with `-----BEGIN`; binary otherwise.
        case detect
        /// The binary age format only.
        case binary
        /// ASCII armor only.
        case armored
    }

    /// Encrypts `plaintext` to every recipient; any one of their identities can decrypt the result.
    public static func encrypt(
        _ plaintext: [UInt8], to recipients: [AgeRecipient], armored: Bool = false,
        maxInputSize: Int = defaultMaxInputSize
    ) throws(AgeError) -> [UInt8] {
        guard plaintext.count <= maxInputSize else {
            throw AgeError(.inputTooLarge, "plaintext is \(plaintext.count) bytes, over the \(maxInputSize)-byte limit")
        }
        guard !recipients.isEmpty else { throw AgeError(.invalidKey, "no recipients given") }
        let fileKey = SymmetricKey(size: .bits128)
        var stanzas: [AgeStanza] = []
        for recipient in recipients {
            stanzas.append(try recipient.wrap(fileKey: fileKey))
        }
        let authenticated = AgeHeader.encodeAuthenticated(stanzas)
        let mac = AgeHeader.mac(fileKey: fileKey, authenticated: authenticated)
        var file = authenticated + Array(" ".utf8) + Base64.encode(mac, padded: false) + Array("\n".utf8)
        file += AgeStream.seal(plaintext, fileKey: fileKey)
        return armored ? AgeArmor.encode(file) : file
    }

    /// Decrypts an age file with the first identity that matches; returns all the plaintext or throws.
    ///
    /// Checks run in the order the format demands: armor, header syntax, file key unwrap,
    /// header MAC, then every payload chunk, so no plaintext is released before the whole file authenticates.
    public static func decrypt(
        _ input: [UInt8], identities: [AgeIdentity], format: InputFormat = .detect,
        maxInputSize: Int = defaultMaxInputSize
    ) throws(AgeError) -> [UInt8] {
        guard input.count <= maxInputSize else {
            throw AgeError(.inputTooLarge, "input is \(input.count) bytes, over the \(maxInputSize)-byte limit")
        }
        let isArmored = format == .armored || (format == .detect && AgeArmor.looksArmored(input))
        let bytes = isArmored ? try AgeArmor.decode(input) : input
        let parsed = try AgeHeader.parse(bytes)
        let stanzas = parsed.header.stanzas
        if stanzas.contains(where: { $0.type == "scrypt" }) {
            guard stanzas.count == 1 else {
                throw AgeError(.headerFailure, "an scrypt stanza must be the only stanza in the header")
            }
            throw AgeError(.unsupported, "passphrase-encrypted (scrypt) files are not supported")
        }
        guard let fileKey = try unwrap(stanzas, identities: identities) else {
            throw AgeError(.noMatch, "none of the \(identities.count) identities matches any of the \(stanzas.count) recipient stanzas")
        }
        guard AgeHeader.verify(mac: parsed.header.mac, fileKey: fileKey, authenticated: parsed.authenticated) else {
            throw AgeError(.hmacFailure, "header MAC does not verify; the header was modified")
        }
        return try AgeStream.open(bytes[parsed.payloadOffset...], fileKey: fileKey)
    }

    private static func unwrap(_ stanzas: [AgeStanza], identities: [AgeIdentity]) throws(AgeError) -> SymmetricKey? {
        for identity in identities {
            if let key = try identity.unwrap(stanzas) { return key }
        }
        return nil
    }
}
