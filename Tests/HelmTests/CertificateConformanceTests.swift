import Foundation
import KeelsonTesting
import Testing

@testable import Helm

/// `genCA`, `genSignedCert` and `genSelfSignedCert` against the real helm: random certificates cannot be compared
/// byte for byte, so both are decoded by `openssl x509 -text` and compared field by field, leaving out the serial,
/// the key and signature bytes and the dates (their distance is compared).
@Suite struct CertificateConformanceTests {
    static let template = """
        {{- $ca := genCA "conformance-ca" 365 }}
        {{- $signed := genSignedCert "svc.example" (list "10.0.0.1" "::1" "::ffff:1.2.3.4") (list "a.example" "b.example") 30 $ca }}
        {{- $self := genSelfSignedCert "self" nil nil 7 }}
        {{- $selfNamed := genSelfSignedCert "" (list "127.0.0.1") (list "only.example") 1 }}
        ca: {{ $ca.Cert | b64enc }}
        signed: {{ $signed.Cert | b64enc }}
        self: {{ $self.Cert | b64enc }}
        selfNamed: {{ $selfNamed.Cert | b64enc }}
        keyHeader: {{ $signed.Key | splitList "\\n" | first }}
        """

    /// The `name: base64` lines of a render, decoded.
    static func certificates(_ output: String) -> [String: String] {
        var found: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2, parts[0].hasSuffix(":") else { continue }
            let name = String(parts[0].dropLast())
            found[name] = Data(base64Encoded: parts[1]).map { String(decoding: $0, as: UTF8.self) } ?? parts[1]
        }
        return found
    }

    /// `openssl x509 -text` without the serial, the signature and the hex dumps of keys and key identifiers, plus the
    /// validity's length in seconds.
    static func describe(_ pem: String, in directory: URL) async throws -> [String] {
        let file = directory.appendingPathComponent(UUID().uuidString + ".pem")
        try pem.write(to: file, atomically: true, encoding: .utf8)
        let text = try await ProcessRunner.run(
            "openssl", ["x509", "-in", file.path, "-noout", "-text", "-certopt", "no_serial,no_sigdump,no_validity"])
        let dates = try await ProcessRunner.run("openssl", ["x509", "-in", file.path, "-noout", "-startdate", "-enddate"])
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "MMM d HH:mm:ss yyyy 'GMT'"
        let instants = dates.output.split(separator: "\n").compactMap { line -> Date? in
            let value = line.split(separator: "=", maxSplits: 1).last.map(String.init) ?? ""
            return formatter.date(from: value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " "))
        }
        guard text.status == 0, dates.status == 0, instants.count == 2 else { throw TestFailure("openssl cannot read \(pem): \(text.errorOutput)") }
        let hexDump = try Regex(#"^\s+([0-9A-Fa-f]{2}:)+[0-9A-Fa-f]{0,2}$"#)
        let lines = text.output.split(separator: "\n").map(String.init).filter { $0.firstMatch(of: hexDump) == nil }
        return lines + ["validity seconds: \(Int(instants[1].timeIntervalSince(instants[0])))"]
    }

    /// Every field helm sets, Keelson sets alike; each certificate verifies against its issuer.
    @Test func certificatesMatchHelmFieldByField() async throws {
        guard ProcessRunner.which("openssl") != nil else { throw TestFailure("openssl is not on PATH: install it (apt-get install openssl)") }
        let chart = try ChartFixture([
            "chart/Chart.yaml": "apiVersion: v2\nname: certs\nversion: 0.1.0\n", "chart/templates/certs.yaml": Self.template,
        ])
        let directory = URL(fileURLWithPath: chart.path())
        let helm = Self.certificates(try await HelmReference.template("r", chart.path("chart")).map(\.content).joined())
        let keelson = Self.certificates(try CertificateFunctionTests.render(Self.template, at: Date()))
        #expect(helm["keyHeader"] == "-----BEGIN RSA PRIVATE KEY-----")
        #expect(keelson["keyHeader"] == helm["keyHeader"])
        for name in ["ca", "signed", "self", "selfNamed"] {
            let expected = try await Self.describe(try #require(helm[name]), in: directory)
            let actual = try await Self.describe(try #require(keelson[name]), in: directory)
            #expect(expected.contains { $0.contains("Public-Key: (2048 bit)") })
            #expect(actual == expected, "\(name): keelson\n\(actual.joined(separator: "\n"))\nhelm\n\(expected.joined(separator: "\n"))")
        }
        for source in [helm, keelson] {
            let ca = directory.appendingPathComponent("ca-\(UUID().uuidString).pem")
            let signed = directory.appendingPathComponent("signed-\(UUID().uuidString).pem")
            try #require(source["ca"]).write(to: ca, atomically: true, encoding: .utf8)
            try #require(source["signed"]).write(to: signed, atomically: true, encoding: .utf8)
            let verify = try await ProcessRunner.run("openssl", ["verify", "-CAfile", ca.path, signed.path])
            #expect(verify.status == 0, "\(verify.output)\(verify.errorOutput)")
        }
    }

    /// The same seed renders the same certificates and keys byte for byte; another seed renders others.
    @Test func seededRendersRepeat() throws {
        let text = #"{{ $ca := genCA "ca" 3 }}{{ $ca.Cert }}{{ $ca.Key }}{{ (genSignedCert "x" nil nil 1 $ca).Cert }}"#
        let first = try CertificateFunctionTests.render(text, seed: "a")
        #expect(try CertificateFunctionTests.render(text, seed: "a") == first)
        #expect(try CertificateFunctionTests.render(text, seed: "b") != first)
    }
}

/// A failed precondition of a test, with its reason.
struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
