import Crypto

/// EME-OAEP encoding with SHA-256 and MGF1-SHA-256 (RFC 8017 § 7.1), with a label: what Go's
/// `rsa.EncryptOAEP` does and swift-crypto's `_RSA.Encryption` cannot (it takes no label).
/// The RSA operation itself is the caller's.
enum RSAOAEP {
    static let hashLength = SHA256.byteCount

    /// The largest message a `modulusLength`-byte key can carry.
    static func maximumMessageLength(modulusLength: Int) -> Int { modulusLength - 2 * hashLength - 2 }

    /// The encoded message, `modulusLength` bytes long, starting with a zero byte.
    static func encode(
        _ message: [UInt8], label: [UInt8], modulusLength: Int, seed: [UInt8] = randomBytes(hashLength)
    ) -> [UInt8]? {
        guard message.count <= maximumMessageLength(modulusLength: modulusLength), seed.count == hashLength else { return nil }
        var block = Array(SHA256.hash(data: label))
        block += [UInt8](repeating: 0, count: modulusLength - message.count - 2 * hashLength - 2)
        block.append(0x01)
        block += message
        let maskedBlock = xor(block, mask(seed: seed, length: block.count))
        let maskedSeed = xor(seed, mask(seed: maskedBlock, length: hashLength))
        return [0] + maskedSeed + maskedBlock
    }

    /// The message, or `nil` when the encoding or the label is wrong. Every check runs over every
    /// byte and the failures are not told apart, so timing and errors say nothing of which failed.
    static func decode(_ encoded: [UInt8], label: [UInt8]) -> [UInt8]? {
        guard encoded.count >= 2 * hashLength + 2 else { return nil }
        let maskedSeed = Array(encoded[1...hashLength])
        let maskedBlock = Array(encoded[(hashLength + 1)...])
        let seed = xor(maskedSeed, mask(seed: maskedBlock, length: hashLength))
        let block = xor(maskedBlock, mask(seed: seed, length: maskedBlock.count))
        var bad = encoded[0]
        for (expected, actual) in zip(SHA256.hash(data: label), block.prefix(hashLength)) { bad |= expected ^ actual }
        // Find the 0x01 after the zero padding without branching on secret bytes.
        var found: UInt8 = 0
        var start = 0
        for index in hashLength..<block.count {
            let byte = block[index]
            let isOne = isZeroMask(byte ^ 0x01)
            let isZero = isZeroMask(byte)
            let notFound = ~found
            start |= index & Int(Int8(bitPattern: notFound & isOne))
            bad |= notFound & ~isOne & ~isZero
            found |= isOne
        }
        bad |= ~found
        guard bad == 0 else { return nil }
        return Array(block[(start + 1)...])
    }

    /// MGF1 with SHA-256.
    static func mask(seed: [UInt8], length: Int) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(length + hashLength)
        var counter: UInt32 = 0
        while output.count < length {
            var hasher = SHA256()
            hasher.update(data: seed)
            hasher.update(data: [
                UInt8(counter >> 24), UInt8(truncatingIfNeeded: counter >> 16), UInt8(truncatingIfNeeded: counter >> 8),
                UInt8(truncatingIfNeeded: counter),
            ])
            output += hasher.finalize()
            counter += 1
        }
        return Array(output.prefix(length))
    }

    /// `0xFF` when `byte` is zero, else `0`, without a branch.
    static func isZeroMask(_ byte: UInt8) -> UInt8 { UInt8(truncatingIfNeeded: (Int(byte) - 1) >> 8) }

    static func xor(_ lhs: [UInt8], _ rhs: [UInt8]) -> [UInt8] { zip(lhs, rhs).map { $0 ^ $1 } }

    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}
