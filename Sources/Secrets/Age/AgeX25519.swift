import Crypto

/// The X25519 recipient type: an ephemeral key agreement whose HKDF output wraps the file key.
enum AgeX25519 {
    static let stanzaType = "X25519"
    static let label = Array("age-encryption.org/v1/X25519".utf8)

    /// Wraps `fileKey` to `recipient` in an `X25519` stanza.
    static func wrap(fileKey: SymmetricKey, to recipient: [UInt8]) throws(AgeError) -> AgeStanza {
        let ephemeral = Curve25519.KeyAgreement.PrivateKey()
        let share = Array(ephemeral.publicKey.rawRepresentation)
        let key = try wrappingKey(secret: ephemeral, peer: recipient, salt: share + recipient) {
            AgeError(.invalidKey, "recipient is a low-order point and cannot be encrypted to")
        }
        let body = AgeFileKey.wrap(fileKey, with: key)
        return AgeStanza(type: stanzaType, arguments: [Base64.encodeString(share, padded: false)], body: body)
    }

    /// Unwraps the file key from the first `X25519` stanza this identity opens, or nil if none.
    static func unwrap(
        _ stanzas: [AgeStanza], identity: Curve25519.KeyAgreement.PrivateKey
    ) throws(AgeError) -> SymmetricKey? {
        let recipient = Array(identity.publicKey.rawRepresentation)
        for stanza in stanzas where stanza.type == stanzaType {
            guard stanza.arguments.count == 1 else {
                throw AgeError(.headerFailure, "X25519 stanza must have exactly one argument")
            }
            guard let share = Base64.decode(Array(stanza.arguments[0].utf8), padded: false), share.count == 32 else {
                throw AgeError(.headerFailure, "X25519 share is not 32 bytes of canonical base64")
            }
            guard stanza.body.count == AgeFileKey.wrappedSize else {
                throw AgeError(.headerFailure, "X25519 stanza body is not a wrapped 16-byte file key")
            }
            let key = try wrappingKey(secret: identity, peer: share, salt: share + recipient) {
                AgeError(.headerFailure, "X25519 share is a low-order point")
            }
            // A stanza that does not open is for someone else: try the next one.
            if let fileKey = AgeFileKey.unwrap(stanza.body, with: key) { return fileKey }
        }
        return nil
    }

    /// HKDF(X25519(secret, peer), salt share‖recipient, the X25519 label), refusing the all-zero shared secret.
    private static func wrappingKey(
        secret: Curve25519.KeyAgreement.PrivateKey, peer: [UInt8], salt: [UInt8],
        lowOrder: () -> AgeError
    ) throws(AgeError) -> SymmetricKey {
        let shared: SharedSecret
        do {
            shared = try secret.sharedSecretFromKeyAgreement(with: .init(rawRepresentation: peer))
        } catch {
            throw lowOrder()
        }
        // A low-order peer point yields all zeroes; OR-accumulate so the check does not branch per byte.
        let isZero = shared.withUnsafeBytes { $0.reduce(UInt8(0)) { $0 | $1 } } == 0
        if isZero { throw lowOrder() }
        return shared.hkdfDerivedSymmetricKey(
            using: SHA256.self, salt: salt,
            sharedInfo: label, outputByteCount: 32)
    }
}
