import Crypto

/// The 16-byte file key and how recipient stanzas seal it: ChaCha20-Poly1305 under a one-use key, zero nonce.
enum AgeFileKey {
    static let size = 16
    static let wrappedSize = size + AgeStream.tagSize

    /// A fresh random file key.
    static func generate() -> SymmetricKey {
        SymmetricKey(size: .bits128)
    }

    /// Seals the file key under a wrapping key that is used exactly once, so the zero nonce is safe.
    static func wrap(_ fileKey: SymmetricKey, with key: SymmetricKey) -> [UInt8] {
        do {
            let sealed = try fileKey.withUnsafeBytes { try ChaChaPoly.seal($0, using: key, nonce: zeroNonce()) }
            return Array(sealed.ciphertext) + Array(sealed.tag)
        } catch {
            // Sealing only fails on a malformed nonce or key, which are built here.
            preconditionFailure("ChaCha20-Poly1305 seal failed: \(error)")
        }
    }

    /// Opens a wrapped file key (callers check the size first), or returns nil when it does not authenticate.
    static func unwrap(_ body: [UInt8], with key: SymmetricKey) -> SymmetricKey? {
        guard body.count == wrappedSize,
            let box = try? ChaChaPoly.SealedBox(
                nonce: zeroNonce(), ciphertext: body.prefix(size),
                tag: body.suffix(AgeStream.tagSize)),
            let fileKey = try? ChaChaPoly.open(box, using: key)
        else { return nil }
        return SymmetricKey(data: fileKey)
    }

    private static func zeroNonce() -> ChaChaPoly.Nonce {
        // 12 bytes is always a valid ChaCha20-Poly1305 nonce.
        try! ChaChaPoly.Nonce(data: [UInt8](repeating: 0, count: 12))
    }
}
