import Foundation
import Manifests
import Testing

@testable import Secrets

/// The published SOPS test file in shared/testdata/sops, encrypted by sops 3.9 with a known age key.
struct SOPSVectorTests {
    static func load() throws -> (file: [UInt8], identities: [AgeIdentity]) {
        let folder = try SharedTestData.directory("sops")
        let file = Array(try Data(contentsOf: folder.appendingPathComponent("secret.enc.yaml")))
        let key = try String(contentsOf: folder.appendingPathComponent("age.key"), encoding: .utf8)
        return (file, try AgeIdentity.parseFile(key, source: "age.key"))
    }

    // The sops-encrypted Secret decrypts, its MAC verifies, and only encrypted_regex keys were encrypted.
    @Test func sharedVectorDecrypts() throws {
        let (file, identities) = try Self.load()
        let values = try SOPS.decryptValues(file, format: .yaml, identities: identities, source: "secret.enc.yaml")
        let expected: JSONValue = [
            "apiVersion": "v1", "kind": "Secret", "metadata": ["name": "age"], "stringData": ["key": "value"],
        ]
        #expect(values == [expected])
        #expect(values.first?.objectValue.map { Array($0.keys) } == ["apiVersion", "kind", "metadata", "stringData"])
    }

    // The plaintext file SOPS.decrypt returns reads back as the same document.
    @Test func sharedVectorDecryptsToYAMLText() throws {
        let (file, identities) = try Self.load()
        let text = try SOPS.decrypt(file, format: .yaml, identities: identities)
        let documents = try YAMLDecoder().decode(text, file: "plain.yaml")
        #expect(documents.map(\.value) == (try SOPS.decryptValues(file, format: .yaml, identities: identities)))
        #expect(String(decoding: text, as: UTF8.self).contains("key: value"))
    }

    // Another identity cannot decrypt it, and the error names the file's recipient but no key material.
    @Test func wrongIdentityIsRefused() throws {
        let (file, identities) = try Self.load()
        let other = AgeIdentity.generate()
        do {
            _ = try SOPS.decrypt(file, format: .yaml, identities: [other], source: "secret.enc.yaml")
            Issue.record("decrypting with an unrelated identity succeeded")
        } catch {
            #expect(error.code == .noMatchingKey)
            #expect(error.description.hasPrefix("secret.enc.yaml: "))
            #expect(error.description.contains("age1l44xcng8dqj32nlv6d930qvvrny05hglzcv9qpc7kxjc6902ma4qufys29"))
            #expect(!error.description.contains(identities[0].secretKeyString))
            #expect(!error.description.contains(other.secretKeyString))
        }
    }
}
