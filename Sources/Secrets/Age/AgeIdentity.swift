import Crypto
import Foundation

/// A secret key that decrypts files, such as an X25519 `AGE-SECRET-KEY-1…` identity.
///
/// Its `description` shows only the public recipient, so logging an identity never leaks it.
/// ```swift
/// let identity = AgeIdentity.generate()
/// let file = try Age.encrypt(Array("hello".utf8), to: [identity.recipient])
/// let plaintext = try Age.decrypt(file, identities: [identity])
/// ```
public struct AgeIdentity: Sendable, CustomStringConvertible {
    static let hrp = "age-secret-key-"

    /// The X25519 scalar, kept as bytes because swift-crypto's key type is not `Sendable`.
    private let scalar: [UInt8]

    /// Parses an `AGE-SECRET-KEY-1…` X25519 identity.
    public init(_ string: String) throws(AgeError) {
        if string.uppercased().hasPrefix("AGE-SECRET-KEY-PQ-") || string.uppercased().hasPrefix("AGE-PLUGIN-") {
            throw AgeError(.unsupported, "post-quantum and plugin identities are not supported; use an X25519 identity")
        }
        let (hrp, data) = try Bech32.decode(string)
        guard hrp == Self.hrp else {
            throw AgeError(.invalidKey, "identity does not start with \"AGE-SECRET-KEY-1\"")
        }
        guard data.count == 32 else { throw AgeError(.invalidKey, "identity is not a 32-byte X25519 key") }
        scalar = data
    }

    private init(privateKey: Curve25519.KeyAgreement.PrivateKey) {
        scalar = Array(privateKey.rawRepresentation)
    }

    private var privateKey: Curve25519.KeyAgreement.PrivateKey {
        // The scalar was validated as 32 bytes, the only requirement of the initializer.
        try! Curve25519.KeyAgreement.PrivateKey(rawRepresentation: scalar)
    }

    /// A new random X25519 identity.
    public static func generate() -> AgeIdentity {
        AgeIdentity(privateKey: Curve25519.KeyAgreement.PrivateKey())
    }

    /// The public recipient that files for this identity are encrypted to.
    public var recipient: AgeRecipient {
        AgeRecipient(publicKey: Array(privateKey.publicKey.rawRepresentation))
    }

    /// The secret `AGE-SECRET-KEY-1…` encoding; treat it like a password.
    public var secretKeyString: String {
        Bech32.encode(hrp: Self.hrp, data: Array(privateKey.rawRepresentation)).uppercased()
    }

    /// Shows the public recipient only.
    public var description: String {
        "AgeIdentity(\(recipient))"
    }

    /// An identity file as `age-keygen` writes it: creation time and public key as comments, then the key.
    public func fileContents(created: Date = Date()) -> String {
        let timestamp = created.formatted(.iso8601)
        return "# created: \(timestamp)\n# public key: \(recipient)\n\(secretKeyString)\n"
    }

    /// Parses an identity file: one identity per line, ignoring blank lines and `#` comments.
    public static func parseFile(_ text: String, source: String? = nil) throws(AgeError) -> [AgeIdentity] {
        var identities: [AgeIdentity] = []
        // Split on Character newlines so CRLF, a single grapheme, counts as one line end.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for (index, rawLine) in lines.enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            do {
                identities.append(try AgeIdentity(line))
            } catch {
                // The line is secret material, so the error names only its position.
                let location = "\(source ?? "identity file"):\(index + 1)"
                throw AgeError(
                    .invalidKey, "line is not a valid age identity (\(error.message))",
                    source: location, cause: error)
            }
        }
        guard !identities.isEmpty else {
            throw AgeError(.invalidKey, "no identities found", source: source)
        }
        return identities
    }

    /// Unwraps the file key from the stanzas meant for this identity, or nil if none is.
    func unwrap(_ stanzas: [AgeStanza]) throws(AgeError) -> SymmetricKey? {
        try AgeX25519.unwrap(stanzas, identity: privateKey)
    }
}
