import Testing

@testable import Secrets

/// Any change to an age file is detected and yields no plaintext at all.
struct AgeTamperTests {
    static let identity = AgeIdentity.generate()
    static let secret = Array("TOP-SECRET-PLAINTEXT ".utf8)

    /// The failures a flipped byte may cause, by the region it falls in.
    static func allowedCodes(offset: Int, in parsed: AgeHeader.Parsed) -> Set<AgeError.Code> {
        if offset < parsed.authenticated.endIndex {
            // Stanzas: malformed (header), a different share or body (no match), or the MAC disagrees.
            return [.headerFailure, .noMatch, .hmacFailure]
        }
        if offset < parsed.payloadOffset {
            // The MAC line: malformed base64 or a different MAC.
            return [.headerFailure, .hmacFailure]
        }
        return [.payloadFailure]
    }

    // Flipping the low bit of each byte of a one-chunk and a two-chunk file, one at a time, always fails.
    @Test(arguments: [200, 65_536 + 200])
    func everyFlippedByteIsDetected(_ size: Int) throws {
        let plaintext = (0..<size).map { Self.secret[$0 % Self.secret.count] }
        let file = try Age.encrypt(plaintext, to: [Self.identity.recipient])
        let parsed = try AgeHeader.parse(file)
        // Large files: every header byte, then a stride through the payload and its final bytes.
        let payloadOffsets = Array(stride(from: parsed.payloadOffset, to: file.count, by: size > 1000 ? 997 : 1))
        for offset in Array(0..<parsed.payloadOffset) + payloadOffsets + Array((file.count - 20)..<file.count) {
            var tampered = file
            tampered[offset] ^= 0x01
            expectAgeError(Self.allowedCodes(offset: offset, in: parsed), hiding: [String(decoding: Self.secret, as: UTF8.self)]) {
                _ = try Age.decrypt(tampered, identities: [Self.identity])
            }
        }
    }

    // Every truncation fails: inside the header it is a header failure, after it a payload failure.
    @Test func everyTruncationIsDetected() throws {
        let file = try Age.encrypt(Array(Self.secret), to: [Self.identity.recipient])
        let parsed = try AgeHeader.parse(file)
        for length in 0..<file.count {
            let nonceEnd = parsed.payloadOffset + 16
            let codes: Set<AgeError.Code> = length < nonceEnd ? [.headerFailure] : [.payloadFailure]
            expectAgeError(codes) { _ = try Age.decrypt(Array(file.prefix(length)), identities: [Self.identity]) }
        }
    }

    // Data after the final chunk, or a second copy of it, is refused rather than ignored.
    @Test(arguments: [[0], Array("trailing".utf8), [UInt8](repeating: 0, count: 65_552)])
    func trailingDataIsRefused(_ extra: [UInt8]) throws {
        let file = try Age.encrypt(Array(Self.secret), to: [Self.identity.recipient])
        expectAgeError([.payloadFailure]) { _ = try Age.decrypt(file + extra, identities: [Self.identity]) }
    }

    // Swapping the two chunks of a file breaks the counter nonces.
    @Test func reorderedChunksAreRefused() throws {
        let plaintext = [UInt8](repeating: 7, count: 65_536 + 10)
        let file = try Age.encrypt(plaintext, to: [Self.identity.recipient])
        let start = try AgeHeader.parse(file).payloadOffset + 16
        let first = file[start..<(start + 65_552)]
        let second = file[(start + 65_552)...]
        expectAgeError([.payloadFailure]) {
            _ = try Age.decrypt(Array(file[..<start]) + second + first, identities: [Self.identity])
        }
    }
}
