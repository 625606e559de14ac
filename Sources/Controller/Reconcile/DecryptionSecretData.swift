import Foundation
import Manifests

/// Reads one credential value of an Application's decryption Secret, bounded in size; the
/// error names the Secret and the key, never the value.
enum DecryptionSecretData {
    /// The largest credential value read.
    static let maxValueBytes = 64 << 10

    /// The trimmed text of `key`, or nil when the key is absent or blank.
    static func text(_ secret: Manifest, key: String, application: String) throws -> String? {
        guard let encoded = secret.object["data"]?[key]?.stringValue else { return nil }
        guard encoded.utf8.count <= maxValueBytes * 2, let decoded = Data(base64Encoded: encoded), decoded.count <= maxValueBytes else {
            throw ApplicationError(
                application: application, field: "spec.source.decryption.secretRef",
                message: "Secret \(secret.namespace)/\(secret.name) key \(key) is not base64 of at most \(maxValueBytes) bytes")
        }
        let text = String(decoding: decoded, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }
}
