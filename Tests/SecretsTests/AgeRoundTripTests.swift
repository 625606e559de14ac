import Testing

@testable import Secrets

/// Encrypt then decrypt, across chunk boundaries, formats, recipients and limits.
struct AgeRoundTripTests {
    static let identity = AgeIdentity.generate()

    static func plaintext(_ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
    }

    // Sizes around the 64 KiB chunk boundary, binary and armored, come back byte for byte.
    @Test(arguments: [0, 1, 1000, 65_535, 65_536, 65_537, 131_072, 200_000], [false, true])
    func roundTrips(_ size: Int, _ armored: Bool) throws {
        let plaintext = Self.plaintext(size)
        let file = try Age.encrypt(plaintext, to: [Self.identity.recipient], armored: armored)
        #expect(try Age.decrypt(file, identities: [Self.identity]) == plaintext)
        let format: Age.InputFormat = armored ? .armored : .binary
        #expect(try Age.decrypt(file, identities: [Self.identity], format: format) == plaintext)
    }

    // The binary file is header, 16-byte nonce, then one 16-byte tag per 64 KiB chunk (at least one chunk).
    @Test(arguments: [0, 1, 65_536, 65_537])
    func binaryLayout(_ size: Int) throws {
        let file = try Age.encrypt(Self.plaintext(size), to: [Self.identity.recipient])
        let parsed = try AgeHeader.parse(file)
        let chunks = max(1, (size + 65_535) / 65_536)
        #expect(file.count - parsed.payloadOffset == 16 + size + 16 * chunks)
        #expect(parsed.header.stanzas.map(\.type) == ["X25519"])
        #expect(file.starts(with: Array("age-encryption.org/v1\n-> X25519 ".utf8)))
    }

    // Armor is the BEGIN line, 64-column lines with only the last shorter, and the END line.
    @Test func armorLayout() throws {
        let file = try Age.encrypt(Self.plaintext(5000), to: [Self.identity.recipient], armored: true)
        let lines = String(decoding: file, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "-----BEGIN AGE ENCRYPTED FILE-----")
        #expect(lines.suffix(2) == ["-----END AGE ENCRYPTED FILE-----", ""])
        let body = lines.dropFirst().dropLast(2)
        #expect(body.dropLast().allSatisfy { $0.count == 64 })
        #expect((1...64).contains(body.last?.count ?? 0))
    }

    // Every recipient's identity opens the file on its own; an unrelated identity does not.
    @Test func multipleRecipients() throws {
        let identities = (0..<3).map { _ in AgeIdentity.generate() }
        let file = try Age.encrypt(Self.plaintext(100), to: identities.map(\.recipient))
        for identity in identities {
            #expect(try Age.decrypt(file, identities: [identity]) == Self.plaintext(100))
        }
        expectAgeError([.noMatch]) { _ = try Age.decrypt(file, identities: [AgeIdentity.generate()]) }
        #expect(try Age.decrypt(file, identities: [AgeIdentity.generate(), identities[2]]) == Self.plaintext(100))
    }

    // Encrypting twice gives different files (fresh file key, ephemeral share and nonce).
    @Test func encryptionIsRandomized() throws {
        let first = try Age.encrypt(Self.plaintext(10), to: [Self.identity.recipient])
        let second = try Age.encrypt(Self.plaintext(10), to: [Self.identity.recipient])
        #expect(first != second)
    }

    // Misuse is refused: no recipients, no identities, a low-order recipient.
    @Test func misuse() throws {
        expectAgeError([.invalidKey]) { _ = try Age.encrypt([1], to: []) }
        let file = try Age.encrypt([1], to: [Self.identity.recipient])
        expectAgeError([.noMatch]) { _ = try Age.decrypt(file, identities: []) }
        let lowOrder = try AgeRecipient(Bech32.encode(hrp: "age", data: [UInt8](repeating: 0, count: 32)))
        expectAgeError([.invalidKey]) { _ = try Age.encrypt([1], to: [lowOrder]) }
    }

    // Forcing the wrong format gives the failure of that format, not a misparse.
    @Test func forcedFormats() throws {
        let binary = try Age.encrypt([1, 2, 3], to: [Self.identity.recipient])
        let armored = try Age.encrypt([1, 2, 3], to: [Self.identity.recipient], armored: true)
        expectAgeError([.armorFailure]) { _ = try Age.decrypt(binary, identities: [Self.identity], format: .armored) }
        expectAgeError([.headerFailure]) { _ = try Age.decrypt(armored, identities: [Self.identity], format: .binary) }
    }

    // The encrypt limit is inclusive: at the limit works, one byte over is refused.
    @Test(arguments: [(100, 100, false), (101, 100, true), (1, 0, true)])
    func encryptLimit(_ size: Int, _ limit: Int, _ refused: Bool) throws {
        let encrypt = {
            _ = try Age.encrypt(Self.plaintext(size), to: [Self.identity.recipient], maxInputSize: limit)
        }
        if refused { expectAgeError([.inputTooLarge], encrypt) } else { try encrypt() }
    }

    // The decrypt limit covers the whole input and is checked before parsing, so even garbage gets it.
    @Test func decryptLimit() throws {
        let file = try Age.encrypt(Self.plaintext(100), to: [Self.identity.recipient])
        #expect(try Age.decrypt(file, identities: [Self.identity], maxInputSize: file.count) == Self.plaintext(100))
        expectAgeError([.inputTooLarge]) {
            _ = try Age.decrypt(file, identities: [Self.identity], maxInputSize: file.count - 1)
        }
        expectAgeError([.inputTooLarge]) { _ = try Age.decrypt([UInt8](repeating: 0, count: 10), identities: [], maxInputSize: 9) }
        #expect(Age.defaultMaxInputSize == 64 << 20)
    }
}
