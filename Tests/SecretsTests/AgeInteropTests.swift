import Foundation
import Testing
@testable import Secrets

/// The reference age binaries, when installed.
enum AgeCLI {
    static let age = ExternalTool.find("age")
    static let keygen = ExternalTool.find("age-keygen")
}

/// Files and keys exchanged with the reference `age` CLI (Debian package `age`).
// Skipped only when the binaries are missing; scripts/test installs them so CI always runs these.
@Suite(.enabled(if: AgeCLI.age != nil && AgeCLI.keygen != nil,
                "the age and age-keygen binaries are not on PATH (apt-get install age)"))
struct AgeInteropTests {

    static func plaintext(_ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
    }

    /// A tool's one-line output without its line end.
    static func line(_ output: Data) -> String {
        String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    // Keelson's binary and armored files, empty to multi-chunk, decrypt with `age -d -i`.
    @Test(arguments: [0, 1000, 200_000], [false, true])
    func keelsonEncryptsAgeDecrypts(_ size: Int, _ armored: Bool) throws {
        let identity = AgeIdentity.generate()
        let file = try Age.encrypt(Self.plaintext(size), to: [identity.recipient], armored: armored)
        try ExternalTool.withTemporaryDirectory { folder in
            let key = folder.appendingPathComponent("key.txt")
            let input = folder.appendingPathComponent("in.age")
            try Data(identity.fileContents().utf8).write(to: key)
            try Data(file).write(to: input)
            // Plaintext on stdout: age does not create an -o file for an empty plaintext.
            let output = try ExternalTool.run(#require(AgeCLI.age), ["-d", "-i", key.path, input.path])
            #expect(Array(output) == Self.plaintext(size))
        }
    }

    // `age -r` and `age -a -r` output, to one or two recipients, decrypts with Keelson.
    @Test(arguments: [0, 1000, 200_000], [false, true])
    func ageEncryptsKeelsonDecrypts(_ size: Int, _ armored: Bool) throws {
        let identity = AgeIdentity.generate()
        let other = AgeIdentity.generate()
        try ExternalTool.withTemporaryDirectory { folder in
            let input = folder.appendingPathComponent("in")
            try Data(Self.plaintext(size)).write(to: input)
            let recipients = ["-r", "\(other.recipient)", "-r", "\(identity.recipient)"]
            let file = Array(try ExternalTool.run(#require(AgeCLI.age), (armored ? ["-a"] : []) + recipients + [input.path]))
            #expect(AgeArmor.looksArmored(file) == armored)
            #expect(try Age.decrypt(file, identities: [identity]) == Self.plaintext(size))
        }
    }

    // An identity file from age-keygen parses, and yields the recipient `age-keygen -y` prints.
    @Test func keygenIdentityFileParses() throws {
        try ExternalTool.withTemporaryDirectory { folder in
            let key = folder.appendingPathComponent("key.txt")
            try ExternalTool.run(#require(AgeCLI.keygen), ["-o", key.path])
            let identities = try AgeIdentity.parseFile(String(contentsOf: key, encoding: .utf8), source: key.path)
            let recipient = try ExternalTool.run(#require(AgeCLI.keygen), ["-y", key.path])
            #expect(identities.map(\.recipient.description) == [Self.line(recipient)])
        }
    }

    // An identity file Keelson writes is accepted by `age-keygen -y`, which derives the same recipient.
    @Test func keelsonIdentityFileIsReadByKeygen() throws {
        let identity = AgeIdentity.generate()
        try ExternalTool.withTemporaryDirectory { folder in
            let key = folder.appendingPathComponent("key.txt")
            try Data(identity.fileContents().utf8).write(to: key)
            let recipient = try ExternalTool.run(#require(AgeCLI.keygen), ["-y", key.path])
            #expect(Self.line(recipient) == identity.recipient.description)
        }
    }
}
