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
    /// The scrypt work factor (log2 N) used for passphrase encryption, as age uses: about 1 s and 256 MiB.
    public static let defaultWorkFactor = 18
    /// The highest scrypt work factor accepted when decrypting, as age accepts: 2^22 rounds, 4 GiB.
    public static let defaultMaxWorkFactor = 22

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
        guard !recipients.isEmpty else { throw AgeError(.invalidKey, "no recipients given") }
        return try seal(plaintext, armored: armored, maxInputSize: maxInputSize) { fileKey throws(AgeError) in
            var stanzas: [AgeStanza] = []
            for recipient in recipients { stanzas.append(try recipient.wrap(fileKey: fileKey)) }
            return stanzas
        }
    }

    /// Encrypts `plaintext` under a passphrase (an scrypt stanza, which is always the only one).
    public static func encrypt(
        _ plaintext: [UInt8], passphrase: String, workFactor: Int = defaultWorkFactor, armored: Bool = false,
        maxInputSize: Int = defaultMaxInputSize
    ) throws(AgeError) -> [UInt8] {
        try seal(plaintext, armored: armored, maxInputSize: maxInputSize) { fileKey throws(AgeError) in
            [try AgeScrypt.wrap(fileKey: fileKey, passphrase: passphrase, workFactor: workFactor)]
        }
    }

    /// Decrypts an age file with the first identity that matches; returns all the plaintext or throws.
    ///
    /// Checks run in the order the format demands: armor, header syntax, file key unwrap,
    /// header MAC, then every payload chunk, so no plaintext is released before the whole file authenticates.
    public static func decrypt(
        _ input: [UInt8], identities: [AgeIdentity], format: InputFormat = .detect,
        maxInputSize: Int = defaultMaxInputSize
    ) throws(AgeError) -> [UInt8] {
        try open(input, format: format, maxInputSize: maxInputSize) { stanzas throws(AgeError) in
            if stanzas.contains(where: { $0.type == AgeScrypt.stanzaType }) {
                throw AgeError(.noMatch, "the file is passphrase-encrypted; decrypt it with a passphrase")
            }
            for identity in identities {
                if let key = try identity.unwrap(stanzas) { return key }
            }
            throw AgeError(
                .noMatch,
                "none of the \(identities.count) identities matches "
                    + "any of the \(stanzas.count) recipient stanzas")
        }
    }

    /// Decrypts a passphrase-encrypted age file; work factors over `maxWorkFactor` are refused before any work.
    public static func decrypt(
        _ input: [UInt8], passphrase: String, maxWorkFactor: Int = defaultMaxWorkFactor,
        format: InputFormat = .detect, maxInputSize: Int = defaultMaxInputSize
    ) throws(AgeError) -> [UInt8] {
        try open(input, format: format, maxInputSize: maxInputSize) { stanzas throws(AgeError) in
            guard let key = try AgeScrypt.unwrap(stanzas, passphrase: passphrase, maxWorkFactor: maxWorkFactor) else {
                let isScrypt = stanzas.contains { $0.type == AgeScrypt.stanzaType }
                throw AgeError(
                    .noMatch,
                    isScrypt
                        ? "the passphrase does not unwrap the file key"
                        : "the file is not passphrase-encrypted")
            }
            return key
        }
    }

    private static func seal(
        _ plaintext: [UInt8], armored: Bool, maxInputSize: Int,
        stanzas makeStanzas: (SymmetricKey) throws(AgeError) -> [AgeStanza]
    ) throws(AgeError) -> [UInt8] {
        guard plaintext.count <= maxInputSize else {
            throw AgeError(.inputTooLarge, "plaintext is \(plaintext.count) bytes, over the \(maxInputSize)-byte limit")
        }
        let fileKey = AgeFileKey.generate()
        let authenticated = AgeHeader.encodeAuthenticated(try makeStanzas(fileKey))
        let mac = AgeHeader.mac(fileKey: fileKey, authenticated: authenticated)
        var file = authenticated + Array(" ".utf8) + Base64.encode(mac, padded: false) + Array("\n".utf8)
        file += AgeStream.seal(plaintext, fileKey: fileKey)
        return armored ? AgeArmor.encode(file) : file
    }

    private static func open(
        _ input: [UInt8], format: InputFormat, maxInputSize: Int,
        fileKey unwrap: ([AgeStanza]) throws(AgeError) -> SymmetricKey
    ) throws(AgeError) -> [UInt8] {
        guard input.count <= maxInputSize else {
            throw AgeError(.inputTooLarge, "input is \(input.count) bytes, over the \(maxInputSize)-byte limit")
        }
        let isArmored = format == .armored || (format == .detect && AgeArmor.looksArmored(input))
        let bytes = isArmored ? try AgeArmor.decode(input) : input
        let parsed = try AgeHeader.parse(bytes)
        let stanzas = parsed.header.stanzas
        if stanzas.contains(where: { $0.type == AgeScrypt.stanzaType }), stanzas.count != 1 {
            throw AgeError(.headerFailure, "an scrypt stanza must be the only stanza in the header")
        }
        let fileKey = try unwrap(stanzas)
        guard AgeHeader.verify(mac: parsed.header.mac, fileKey: fileKey, authenticated: parsed.authenticated) else {
            throw AgeError(.hmacFailure, "header MAC does not verify; the header was modified")
        }
        return try AgeStream.open(bytes[parsed.payloadOffset...], fileKey: fileKey)
    }
}
