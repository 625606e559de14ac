import Foundation
import GoTemplate
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
        #expect(elapsed < .seconds(5), "genCA took \(elapsed)")
    }
}
