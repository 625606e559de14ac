import Foundation
import KeelsonTesting
import Manifests
import Testing

@testable import Secrets

/// Plaintext fixtures for the SOPS tests and the canary values planted in them.
enum SOPSFixture {
    /// Every fixture's secret values start with this, so a test can look for any of them in error text.
    static let canary = "CANARY-"

    static func bytes(_ name: String, filePath: String = #filePath) throws -> [UInt8] {
        let path = (filePath as NSString).deletingLastPathComponent + "/../SOPS/Fixtures/" + name
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// The fixture's data as Keelson reads the plaintext format.
    static func values(_ bytes: [UInt8], format: SOPS.Format) throws -> [JSONValue] {
        switch format {
        case .yaml: return try YAMLDecoder().decode(bytes, file: "plain.yaml").map(\.value)
        case .json: return [try JSONParser.parse(bytes, file: "plain.json")]
        case .dotenv: return [try dotenvValues(bytes)]
        }
    }

    /// A dotenv file as an ordered object of strings, comments skipped, `\n` escapes decoded.
    static func dotenvValues(_ bytes: [UInt8]) throws -> JSONValue {
        var object = JSONObject()
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            object[String(parts[0])] = .string(parts.count > 1 ? parts[1].replacingOccurrences(of: "\\n", with: "\n") : "")
        }
        return .object(object)
    }
}

/// Expects `body` to throw a `SOPSError` with one of `codes` whose text holds no canary and no key material.
func expectSOPSError(
    _ codes: Set<SOPSError.Code>, hiding secrets: [String] = [], sourceLocation: Testing.SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
) {
    do {
        try body()
        Issue.record(
            "expected a SOPS error (\(codes.map(\.rawValue).sorted())), but the call succeeded",
            sourceLocation: sourceLocation)
    } catch let error as SOPSError {
        #expect(codes.contains(error.code), "got \(error)", sourceLocation: sourceLocation)
        var text = error.description
        if let cause = error.cause { text += " \(cause)" }
        for secret in secrets + [SOPSFixture.canary] where !secret.isEmpty {
            #expect(!text.contains(secret), "error text leaks a secret: \(error.code)", sourceLocation: sourceLocation)
        }
    } catch {
        Issue.record("expected a SOPSError, got \(error)", sourceLocation: sourceLocation)
    }
}
