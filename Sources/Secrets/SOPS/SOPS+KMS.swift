import Foundation

/// The AWS KMS side of SOPS' key services: `Decrypt` and `Encrypt` of the data key with the
/// entry's encryption context, at the region its ARN names (or `AWS_ENDPOINT_URL_KMS`).
extension SOPS {
    /// Asks KMS to decrypt each of `entries` (distinct already, all of key `arn`, none naming a
    /// role) in turn.
    static func unwrapKMS(
        _ entries: [SOPSKMSWrappedKey], arn: String, credentials: AWSCredentials, environment: [String: String], late: String
    ) async -> ServiceUnwrap {
        var result = ServiceUnwrap()
        let client: KMSClient
        do { client = try KMSClient(keyARN: arn, credentials: credentials, environment: environment) } catch {
            for entry in entries { result.failures[entry.enc] = "\(error)" }
            return result
        }
        for entry in entries {
            guard !Task.isCancelled else {
                result.failures[entry.enc] = late
                continue
            }
            do {
                guard let blob = Data(base64Encoded: entry.enc) else {
                    throw KMSError(code: .badRequest, operation: "Decrypt", keyID: arn, message: "the enc of the kms entry is not base64")
                }
                result.dataKeys[entry.enc] = try await client.decrypt(keyID: arn, ciphertext: Array(blob), context: entry.key.context)
            } catch {
                result.failures[entry.enc] = Task.isCancelled ? late : "\(error)"
            }
        }
        return result
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

    /// Why a KMS key that names a role is not used.
    static func roleRefusal(_ key: SOPSKMSKey) -> String {
        "KMS key \(key.arn) names role \(key.role) to assume, which Keelson does not support; "
            + "give credentials that may use the key directly"
    }
}
