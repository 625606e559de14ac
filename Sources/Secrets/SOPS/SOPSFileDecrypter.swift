/// Decrypts SOPS-encrypted files as a render reads them, so plaintext exists only in memory.
/// Files without SOPS metadata pass through unchanged.
public struct SOPSFileDecrypter: Sendable {
    /// The identities and data keys key services already unwrapped.
    public let keys: SOPSKeyRing
    /// The age identities that may decrypt.
    public var identities: [AgeIdentity] { keys.identities }

    /// Whether, given no identities, an encrypted file is read sealed (`SOPS.sealed`) instead of
    /// refused. With identities, a file they cannot open is refused either way.
    public let sealsWithoutKeys: Bool

    /// Creates a decrypter. With `sealsWithoutKeys` and no identities, encrypted files are read
    /// sealed: what a review of an untrusted change may see.
    public init(identities: [AgeIdentity], sealsWithoutKeys: Bool = false) {
        self.init(keys: SOPSKeyRing(identities: identities), sealsWithoutKeys: sealsWithoutKeys)
    }

    /// Creates a decrypter with age identities and data keys key services already unwrapped.
    public init(keys: SOPSKeyRing, sealsWithoutKeys: Bool = false) {
        self.keys = keys
        self.sealsWithoutKeys = sealsWithoutKeys
    }

    /// The plaintext of `bytes` when it is a SOPS file, else `bytes` unchanged.
    public func decrypt(path: String, bytes: [UInt8]) throws(SOPSError) -> [UInt8] {
        guard let format = SOPS.Format(path: path), Self.mightBeEncrypted(bytes),
            SOPS.isEncrypted(bytes, format: format)
        else { return bytes }
        guard !keys.isEmpty else {
            if sealsWithoutKeys { return try SOPS.sealed(bytes, format: format) }
            throw SOPSError(.noMatchingKey, "the file is encrypted with SOPS and no age identity or key service credential was given to decrypt it")
        }
        // The caller names the file; the error need not repeat it.
        return try SOPS.decrypt(bytes, format: format, keys: keys)
    }

    /// A cheap test before parsing: SOPS files carry `sops` metadata with a `mac`.
    public static func mightBeEncrypted(_ bytes: [UInt8]) -> Bool {
        contains(bytes, "sops") && contains(bytes, "mac")
    }

    static func contains(_ bytes: [UInt8], _ word: String) -> Bool {
        let needle = Array(word.utf8)
        guard bytes.count >= needle.count else { return false }
        var index = 0
        while index <= bytes.count - needle.count {
            if bytes[index] == needle[0] && Array(bytes[index..<index + needle.count]) == needle { return true }
            index += 1
        }
        return false
    }
}
