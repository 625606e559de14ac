import Crypto
import Foundation
import GoTemplate
import KeelsonTesting
import Testing
import X509

@testable import Helm

@Suite struct CertificateFunctionTests {
    /// Renders `text` with Helm's function map, a seeded random source and a fixed clock.
    static func render(_ text: String, seed: String = "seed", at instant: Date = Date(timeIntervalSince1970: 1_800_000_000)) throws -> String {
        var set = TemplateSet(functions: HelmFunctions.sprig(random: SeededRandomSource(seed: Array(seed.utf8)), clock: .fixed(instant)))
        try set.parse(name: "t.yaml", text: text)
        return try set.execute(name: "t.yaml", data: .null)
    }

    /// A 2048-bit key, a CA and a certificate it signs stay quick enough for a debug build.
    @Test func keyGenerationIsQuick() throws {
        let start = ContinuousClock.now
        let output = try Self.render(#"{{ $ca := genCA "ca" 30 }}{{ $ca.Cert }}"#)
        let elapsed = ContinuousClock.now - start
        #expect(output.hasPrefix("-----BEGIN CERTIFICATE-----\n"))
        // Go's PEM: one block, 64-column lines, a single final newline.
        let key = try Self.render(#"{{ (genCA "ca" 30).Key }}"#)
        #expect(key.hasPrefix("-----BEGIN RSA PRIVATE KEY-----\n") && key.hasSuffix("-----END RSA PRIVATE KEY-----\n"))
        #expect(!key.contains("\n\n") && key.split(separator: "\n").allSatisfy { $0.count <= 64 })
        // About half a second alone in a debug build; the bound leaves room for a loaded two-core CI.
        #expect(elapsed < .seconds(15), "genCA took \(elapsed)")
    }
}

extension CertificateFunctionTests {
    /// `genPrivateKey "dsa"` writes a DSA key openssl reads and checks (2048-bit p).
    @Test func dsaKeysAreValidAndSeeded() async throws {
        let key = try Self.render(#"{{ genPrivateKey "dsa" }}"#)
        #expect(key.hasPrefix("-----BEGIN DSA PRIVATE KEY-----\n"))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("dsa-\(UUID().uuidString).pem")
        try key.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let check = try await ProcessRunner.run("openssl", ["pkey", "-in", file.path, "-noout", "-text", "-check"])
        #expect(check.status == 0, "\(check.errorOutput)")
        #expect(check.output.contains("(2048 bit)"))
    }
}

extension CertificateFunctionTests {
    /// A CA with an ECDSA key (P-256, P-384, P-521) signs the same bytes for the same seed, and openssl verifies them.
    @Test(arguments: [
        #"(genPrivateKey "ecdsa")"#, "$.p384", "$.p521",
    ])
    func ecdsaAuthoritiesSignDeterministically(key: String) async throws {
        let data: Value = .map([
            "p384": .string(P384.Signing.PrivateKey().pemRepresentation), "p521": .string(P521.Signing.PrivateKey().pemRepresentation),
        ])
        let text = "{{ $ca := genCAWithKey \"ca\" 5 \(key) }}{{ $ca.Cert }}{{ (genSignedCert \"leaf\" nil (list \"l.example\") 1 $ca).Cert }}"
        let render = { (seed: String) throws -> String in
            var set = TemplateSet(
                functions: HelmFunctions.sprig(
                    random: SeededRandomSource(seed: Array(seed.utf8)), clock: .fixed(Date(timeIntervalSince1970: 1_800_000_000))))
            try set.parse(name: "t.yaml", text: text)
            return try set.execute(name: "t.yaml", data: data)
        }
        let first = try render("a")
        #expect(try render("a") == first)
        let parts = first.components(separatedBy: "-----END CERTIFICATE-----\n")
        let directory = try TemporaryDirectory(prefix: "keelson-ecdsa")
        try directory.write("ca.pem", parts[0] + "-----END CERTIFICATE-----\n")
        try directory.write("leaf.pem", parts[1] + "-----END CERTIFICATE-----\n")
        let verify = try await ProcessRunner.run(
            "openssl", ["verify", "-attime", "1800000100", "-CAfile", directory.path + "/ca.pem", directory.path + "/leaf.pem"])
        #expect(verify.status == 0, "\(verify.output)\(verify.errorOutput)")
    }
}
