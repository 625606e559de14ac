import Foundation
import KeelsonTesting
import Testing

@testable import Secrets

/// Files and keys exchanged with the reference `age` CLI (Debian package `age`).
// Skipped only when the binaries are missing; scripts/test installs them so CI always runs these.
@Suite(
    .enabled(
        if: ProcessRunner.isAvailable("age") && ProcessRunner.isAvailable("age-keygen"),
        "the age and age-keygen binaries are not on PATH (apt-get install age)"))
struct AgeInteropTests {
    static func plaintext(_ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
    }

    /// Runs a tool and returns its standard output, recording its stderr when it fails.
    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) async throws -> Data {
        let result = try await ProcessRunner.run(tool, arguments)
        try #require(result.status == 0, "\(tool) exited \(result.status): \(result.errorOutput)")
        return result.stdout
    }

    /// A tool's one-line output without its line end.
    static func line(_ output: Data) -> String {
        String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    // Keelson's binary and armored files, empty to multi-chunk, decrypt with `age -d -i`.
    @Test(arguments: [0, 1000, 200_000], [false, true])
    func keelsonEncryptsAgeDecrypts(_ size: Int, _ armored: Bool) async throws {
        let identity = AgeIdentity.generate()
        let file = try Age.encrypt(Self.plaintext(size), to: [identity.recipient], armored: armored)
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let key = try folder.write("key.txt", identity.fileContents())
        let input = try folder.write("in.age", Data(file))
        // Plaintext on stdout: age does not create an -o file for an empty plaintext.
        let decrypted = try await Self.run("age", ["-d", "-i", key, input])
        #expect(Array(decrypted) == Self.plaintext(size))
    }

    // `age -r` and `age -a -r` output, to one or two recipients, decrypts with Keelson.
    @Test(arguments: [0, 1000, 200_000], [false, true])
    func ageEncryptsKeelsonDecrypts(_ size: Int, _ armored: Bool) async throws {
        let identity = AgeIdentity.generate()
        let other = AgeIdentity.generate()
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let input = try folder.write("in", Data(Self.plaintext(size)))
        let recipients = ["-r", "\(other.recipient)", "-r", "\(identity.recipient)"]
        let file = Array(try await Self.run("age", (armored ? ["-a"] : []) + recipients + [input]))
        #expect(AgeArmor.looksArmored(file) == armored)
        #expect(try Age.decrypt(file, identities: [identity]) == Self.plaintext(size))
    }

    // An identity file from age-keygen parses, and yields the recipient `age-keygen -y` prints.
    @Test func keygenIdentityFileParses() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let key = folder.path + "/key.txt"
        try await Self.run("age-keygen", ["-o", key])
        let identities = try AgeIdentity.parseFile(String(contentsOfFile: key, encoding: .utf8), source: key)
        let recipient = Self.line(try await Self.run("age-keygen", ["-y", key]))
        #expect(identities.map(\.recipient.description) == [recipient])
    }

    // An identity file Keelson writes is accepted by `age-keygen -y`, which derives the same recipient.
    @Test func keelsonIdentityFileIsReadByKeygen() async throws {
        let identity = AgeIdentity.generate()
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let key = try folder.write("key.txt", identity.fileContents())
        let recipient = Self.line(try await Self.run("age-keygen", ["-y", key]))
        #expect(recipient == identity.recipient.description)
    }
}
