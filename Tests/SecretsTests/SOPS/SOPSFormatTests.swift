import Foundation
import Manifests
import Testing

@testable import Secrets

/// The exact bytes sops encrypts and MACs, and the limits and shapes of input SOPS accepts.
struct SOPSFormatTests {
    // Floats are written as Go's FormatFloat(f, 'f', -1, 64): shortest digits, never an exponent.
    @Test(arguments: [
        (1.5, "1.5"), (1e20, "100000000000000000000"), (1.0, "1"), (-0.5, "-0.5"), (0.0, "0"), (-0.0, "-0"),
        (1e-7, "0.0000001"), (123456.789, "123456.789"), (0.1, "0.1"), (1.2345e-5, "0.000012345"),
        (5e-324, "0." + String(repeating: "0", count: 323) + "5"), (2.5e16, "25000000000000000"),
    ])
    func floatsAreFormattedAsGo(_ value: Double, _ expected: String) {
        #expect(GoFloat.format(value) == expected)
        #expect(GoFloat.parse(expected) == value)
    }

    // lastmodified is the MAC's additional data after Go's RFC 3339 round trip.
    @Test(arguments: [
        ("2024-11-12T13:33:42Z", "2024-11-12T13:33:42Z"),  // as sops writes it
        ("2024-11-12T13:33:42.123456Z", "2024-11-12T13:33:42Z"),  // fractions are dropped
        ("2024-11-12T15:33:42+02:00", "2024-11-12T15:33:42+02:00"),  // offsets are kept
        ("2024-11-12T13:33:42+00:00", "2024-11-12T13:33:42Z"),  // a zero offset prints as Z
    ])
    func timestampsAreNormalizedAsGo(_ input: String, _ expected: String) {
        #expect(GoTime.rfc3339(input) == expected)
    }

    // Malformed timestamps are refused rather than guessed.
    @Test(arguments: ["", "2024-11-12", "2024-11-12 13:33:42Z", "2024-11-12T13:33:42", "2024-11-12T13:33:42+0200"])
    func malformedTimestampsAreRefused(_ input: String) {
        #expect(GoTime.rfc3339(input) == nil)
    }

    // Typed values keep their type through encryption, as sops' type: field says.
    @Test func typesSurviveARoundTrip() throws {
        let identity = AgeIdentity.generate()
        let plain: JSONValue = ["s": "text", "i": 42, "f": 2.5, "t": true, "n": nil, "e": "", "l": [1, "x", false]]
        let encrypted = try SOPS.encrypt(Array(JSONWriter.compact(plain).utf8), format: .json, recipients: [identity.recipient])
        let text = String(decoding: encrypted, as: UTF8.self)
        for type in ["str", "int", "float", "bool"] { #expect(text.contains("type:\(type)]")) }
        // Empty strings and nulls stay as they are, as sops leaves them.
        let stored = try JSONParser.parse(encrypted)
        #expect(stored["e"] == "" && stored["n"] == .null)
        let values = try SOPS.decryptValues(encrypted, format: .json, identities: [identity])
        #expect(values == [plain])
    }

    // Every input has a size limit, checked before parsing, with a clear error.
    @Test(arguments: SOPS.Format.allCases)
    func oversizedInputIsRefused(_ format: SOPS.Format) {
        let limits = SOPS.Limits(maxInputSize: 64)
        let input = [UInt8](repeating: UInt8(ascii: "a"), count: 65)
        expectSOPSError([.inputTooLarge]) { _ = try SOPS.decrypt(input, format: format, identities: [], limits: limits) }
        expectSOPSError([.inputTooLarge]) {
            _ = try SOPS.encrypt(input, format: format, recipients: [AgeIdentity.generate().recipient], limits: limits)
        }
    }

    // Nesting beyond the depth limit is refused before the tree is walked.
    @Test func deepNestingIsRefused() {
        let deep = String(repeating: "[", count: 50) + String(repeating: "]", count: 50)
        expectSOPSError([.inputTooLarge]) {
            _ = try SOPS.encrypt(
                Array("{\"a\": \(deep)}".utf8), format: .json,
                recipients: [AgeIdentity.generate().recipient], limits: SOPS.Limits(maxDepth: 20))
        }
    }

    struct Shape: Sendable, CustomStringConvertible {
        var description: String
        var format: SOPS.Format
        var text: String
        var code: SOPSError.Code
    }

    static let shapes: [Shape] = [
        // A plaintext file is named as such rather than decrypted to itself.
        Shape(description: "no metadata", format: .yaml, text: "a: CANARY-plain\n", code: .metadata),
        Shape(description: "top-level list", format: .yaml, text: "- a\n- b\n", code: .syntax),
        Shape(description: "broken JSON", format: .json, text: "{\"a\": ", code: .syntax),
        // A dotenv line without `=` is refused without echoing the line, which may be a secret.
        Shape(description: "dotenv line", format: .dotenv, text: "CANARY-no-equals\n", code: .syntax),
        Shape(
            description: "no age keys", format: .yaml,
            text: "a: x\nsops:\n  pgp: [{fp: AB, enc: x}]\n  lastmodified: '2024-01-01T00:00:00Z'\n  mac: x\n", code: .unsupported),
        Shape(
            description: "shamir", format: .yaml,
            text: "a: x\nsops:\n  key_groups: [{age: []}, {age: []}]\n  lastmodified: '2024-01-01T00:00:00Z'\n  mac: x\n",
            code: .unsupported),
    ]

    @Test(arguments: shapes)
    func malformedFilesAreRefused(_ shape: Shape) {
        expectSOPSError([shape.code]) {
            _ = try SOPS.decrypt(Array(shape.text.utf8), format: shape.format, identities: [AgeIdentity.generate()], source: "f")
        }
    }

    // Encrypting an encrypted file twice is refused: the result would not decrypt to the plaintext.
    @Test func encryptingTwiceIsRefused() throws {
        let recipient = AgeIdentity.generate().recipient
        let once = try SOPS.encrypt(Array("a: 1\n".utf8), format: .yaml, recipients: [recipient])
        #expect(SOPS.isEncrypted(once, format: .yaml))
        #expect(!SOPS.isEncrypted(Array("a: 1\n".utf8), format: .yaml))
        expectSOPSError([.syntax]) { _ = try SOPS.encrypt(once, format: .yaml, recipients: [recipient]) }
    }

    // File names map to formats as sops infers them.
    @Test(arguments: [("a/secret.yaml", SOPS.Format.yaml), ("b.yml", .yaml), ("c.json", .json), ("prod.env", .dotenv), (".env", .dotenv)])
    func formatFromPath(_ path: String, _ format: SOPS.Format) {
        #expect(SOPS.Format(path: path) == format)
    }
}
