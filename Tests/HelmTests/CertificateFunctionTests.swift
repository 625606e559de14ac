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
        #expect(elapsed < .seconds(5), "genCA took \(elapsed)")
    }
}

extension CertificateFunctionTests {
    /// `genPrivateKey "dsa"` writes a DSA key openssl reads and checks (2048-bit p).
    @Test func dsaKeysAreValidAndSeeded() throws {
        let key = try Self.render(#"{{ genPrivateKey "dsa" }}"#)
        #expect(key.hasPrefix("-----BEGIN DSA PRIVATE KEY-----\n"))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("dsa-\(UUID().uuidString).pem")
        try key.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let check = try ProcessRunner.run("openssl", ["pkey", "-in", file.path, "-noout", "-text", "-check"])
        #expect(check.status == 0, "\(check.errorOutput)")
        #expect(check.output.contains("(2048 bit)"))
    }
}
