import Crypto

/// A public key files are encrypted to, such as an X25519 `age1…` recipient.
///
/// ```swift
/// let recipient = try AgeRecipient("age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p")
/// let file = try Age.encrypt(Array("hello".utf8), to: [recipient], armored: true)
/// ```
public struct AgeRecipient: Sendable, Hashable, CustomStringConvertible {
    static let hrp = "age"

    /// The X25519 public key.
    let publicKey: [UInt8]

    /// Parses an `age1…` X25519 recipient.
    public init(_ string: String) throws(AgeError) {
        if string.lowercased().hasPrefix("age1pq1") || string.lowercased().hasPrefix("age1tag1")
            || string.lowercased().hasPrefix("ssh-")
        {
            throw AgeError(
                .unsupported,
                "post-quantum, tag and SSH recipients are not supported; use an X25519 age1… recipient")
        }
        let (hrp, data) = try Bech32.decode(string)
        guard hrp == Self.hrp else { throw AgeError(.invalidKey, "recipient does not start with \"age1\"") }
        guard data.count == 32 else { throw AgeError(.invalidKey, "recipient is not a 32-byte X25519 key") }
        publicKey = data
    }

    init(publicKey: [UInt8]) {
        self.publicKey = publicKey
    }

    /// The `age1…` encoding.
    public var description: String {
        Bech32.encode(hrp: Self.hrp, data: publicKey)
    }

    /// Wraps the file key in a stanza only the matching identity can open.
    func wrap(fileKey: SymmetricKey) throws(AgeError) -> AgeStanza {
        try AgeX25519.wrap(fileKey: fileKey, to: publicKey)
    }
}
