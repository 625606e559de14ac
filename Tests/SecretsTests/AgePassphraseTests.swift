import Testing

@testable import Secrets

/// Passphrase (scrypt) files: round trips, wrong keys and the work-factor cap.
struct AgePassphraseTests {
    static let plaintext = Array("passphrase-protected".utf8)

    // A passphrase file decrypts with the same passphrase, binary or armored, at several work factors.
    @Test(arguments: [(10, false), (10, true), (14, false)])
    func roundTrips(_ workFactor: Int, _ armored: Bool) throws {
        let file = try Age.encrypt(Self.plaintext, passphrase: "correct horse", workFactor: workFactor, armored: armored)
        let header = try AgeHeader.parse(armored ? AgeArmor.decode(file) : file).header
        #expect(header.stanzas.map(\.type) == ["scrypt"])
        #expect(header.stanzas.first?.arguments.last == String(workFactor))
        #expect(try Age.decrypt(file, passphrase: "correct horse") == Self.plaintext)
    }

    // Mismatches are "no match": a wrong passphrase, identities for a passphrase file, a passphrase for an X25519 file.
    @Test func mismatches() throws {
        let file = try Age.encrypt(Self.plaintext, passphrase: "correct horse", workFactor: 10)
        expectAgeError([.noMatch], hiding: ["correct horse", "battery"]) {
            _ = try Age.decrypt(file, passphrase: "battery")
        }
        expectAgeError([.noMatch]) { _ = try Age.decrypt(file, identities: [AgeIdentity.generate()]) }
        let x25519File = try Age.encrypt(Self.plaintext, to: [AgeIdentity.generate().recipient])
        expectAgeError([.noMatch]) { _ = try Age.decrypt(x25519File, passphrase: "correct horse") }
    }

    // A work factor over the caller's cap is refused as a header failure before scrypt runs.
    @Test(arguments: [(12, 11, true), (12, 12, false)])
    func workFactorCap(_ workFactor: Int, _ cap: Int, _ refused: Bool) throws {
        let file = try Age.encrypt(Self.plaintext, passphrase: "pw", workFactor: workFactor)
        let decrypt = { _ = try Age.decrypt(file, passphrase: "pw", maxWorkFactor: cap) }
        if refused { expectAgeError([.headerFailure], decrypt) } else { try decrypt() }
    }

    // Work factors scrypt cannot use are refused when encrypting.
    @Test(arguments: [0, -1, 31])
    func invalidWorkFactors(_ workFactor: Int) {
        expectAgeError([.invalidKey]) { _ = try Age.encrypt(Self.plaintext, passphrase: "pw", workFactor: workFactor) }
    }
}
