import Foundation

/// The AWS KMS side of SOPS' key services: `Decrypt` and `Encrypt` of the data key with the
/// entry's encryption context, at the region its ARN names (or `AWS_ENDPOINT_URL_KMS`).
extension SOPS {
    /// Unwraps `entries` (distinct already) into `ring`. A role to assume is refused: Keelson does not call STS.
    static func unwrapKMS(_ entries: [SOPSKMSWrappedKey], credentials: SOPSCredentials, into ring: inout SOPSKeyRing) async {
        for entry in entries {
            guard entry.key.role.isEmpty else {
                ring.failures[entry.enc] = roleRefusal(entry.key)
                continue
            }
            guard let aws = credentials.aws else { continue }
            do {
                guard let blob = Data(base64Encoded: entry.enc) else {
                    throw KMSError(code: .badRequest, operation: "Decrypt", keyID: entry.key.arn, message: "the enc of the kms entry is not base64")
                }
                let client = try KMSClient(keyARN: entry.key.arn, credentials: aws, environment: credentials.environment)
                ring.dataKeys[entry.enc] = try await client.decrypt(keyID: entry.key.arn, ciphertext: Array(blob), context: entry.key.context)
            } catch {
                ring.failures[entry.enc] = "\(error)"
            }
        }
    }

    /// Wraps `dataKey` with each KMS key.
    static func wrapKMS(
        _ dataKey: [UInt8], for keys: [SOPSKMSKey], credentials: SOPSCredentials, source: String?
    ) async throws(SOPSError) -> [SOPSKMSWrappedKey] {
        guard !keys.isEmpty else { return [] }
        if let key = keys.first(where: { !$0.role.isEmpty }) { throw SOPSError(.unsupported, roleRefusal(key), source: source) }
        guard let aws = credentials.aws else {
            throw SOPSError(
                .config, "encrypting with a KMS key needs AWS credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)", source: source)
        }
        var entries: [SOPSKMSWrappedKey] = []
        for key in keys {
            do {
                let client = try KMSClient(keyARN: key.arn, credentials: aws, environment: credentials.environment)
                let blob = try await client.encrypt(keyID: key.arn, plaintext: dataKey, context: key.context)
                entries.append(SOPSKMSWrappedKey(key: key, enc: Data(blob).base64EncodedString(), createdAt: ""))
            } catch {
                throw SOPSError(.config, "cannot wrap the data key with KMS key \(key.arn): \(error)", source: source)
            }
        }
        return entries
    }

    private static func roleRefusal(_ key: SOPSKMSKey) -> String {
        "KMS key \(key.arn) names role \(key.role) to assume, which Keelson does not support; "
            + "give credentials that may use the key directly"
    }
}
