import Crypto

/// A deterministic generator for key material: HMAC-SHA256 in counter mode over a seed drawn once from a
/// ``RandomSource``, so that one call of `genCA` draws all its key bytes with a single question and the same
/// seed gives the same key.
struct KeyStream {
    private let key: SymmetricKey
    private var block: UInt64 = 0
    private var buffer: [UInt8] = []

    /// A stream whose seed is 32 bytes of `random` for the call of `purpose` in `template`.
    init(_ random: any RandomSource, template: String, purpose: String) {
        key = SymmetricKey(data: random.bytes(32, template: template, purpose: purpose))
    }

    /// The next `count` bytes of the stream.
    mutating func bytes(_ count: Int) -> [UInt8] {
        while buffer.count < count {
            buffer += HMAC<SHA256>.authenticationCode(for: withUnsafeBytes(of: block.bigEndian, Array.init), using: key)
            block += 1
        }
        defer { buffer.removeFirst(count) }
        return Array(buffer.prefix(count))
    }
}
