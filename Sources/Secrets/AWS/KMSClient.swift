import AsyncHTTPClient
import Foundation
import Manifests

/// A small AWS KMS client over the JSON protocol (`X-Amz-Target: TrentService.*`), signed with
/// SigV4: `Encrypt` and `Decrypt` with a key id and an encryption context, what SOPS needs to
/// wrap and unwrap a data key. Errors name the call and the key, never a plaintext or a credential.
///
/// ```swift
/// let client = try KMSClient(keyARN: arn, credentials: credentials)
/// let blob = try await client.encrypt(keyID: arn, plaintext: dataKey, context: ["app": "web"])
/// let again = try await client.decrypt(keyID: arn, ciphertext: blob, context: ["app": "web"])
/// ```
public struct KMSClient: Sendable {
    /// The service endpoint.
    public let endpoint: URL
    /// The region requests are signed for.
    public let region: String
    /// How long one call may take.
    public var timeout: Duration = .seconds(30)
    /// The largest reply read (a KMS ciphertext is at most 6 KiB).
    public var maximumReplyBytes = 64 * 1024
    /// The largest plaintext or ciphertext sent: KMS takes at most 4 KiB of plaintext and 6 KiB of ciphertext.
    public static let maximumBlobBytes = 6 * 1024
    let call: AWSJSONCall

    /// Creates a client; `now` dates the signatures.
    public init(
        endpoint: URL, region: String, credentials: AWSCredentials, httpClient: HTTPClient = .shared,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.endpoint = endpoint
        self.region = region
        self.call = AWSJSONCall(
            endpoint: endpoint, targetPrefix: "TrentService", signer: SigV4Signer(credentials: credentials, region: region, service: "kms"),
            httpClient: httpClient, now: now)
    }

    /// A client for the region a key ARN names, at `AWS_ENDPOINT_URL_KMS` / `AWS_ENDPOINT_URL`
    /// when set, else at the region's public endpoint.
    public init(
        keyARN: String, credentials: AWSCredentials, environment: [String: String] = ProcessInfo.processInfo.environment,
        httpClient: HTTPClient = .shared
    ) throws(KMSError) {
        guard let region = Self.region(ofARN: keyARN) else {
            throw KMSError(
                code: .badRequest, operation: "Encrypt", keyID: keyARN, message: "not a KMS key ARN like arn:aws:kms:REGION:ACCOUNT:key/ID")
        }
        let endpoint: URL
        do {
            endpoint = try AWSEndpoint.url(service: "kms", variableSuffix: "KMS", region: region, environment: environment)
        } catch {
            throw KMSError(code: .badRequest, operation: "Encrypt", keyID: keyARN, message: error.description)
        }
        self.init(endpoint: endpoint, region: region, credentials: credentials, httpClient: httpClient)
    }

    /// The region of `arn:aws[-partition]:kms:REGION:ACCOUNT:key/ID` (or `alias/NAME`).
    public static func region(ofARN arn: String) -> String? {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[1].hasPrefix("aws"), parts[2] == "kms", !parts[3].isEmpty,
            !parts[4].isEmpty, parts[4].allSatisfy(\.isNumber), parts[5].hasPrefix("key/") || parts[5].hasPrefix("alias/")
        else { return nil }
        return String(parts[3])
    }

    /// Encrypts `plaintext` (at most 4 KiB) under `keyID` bound to `context`; the ciphertext blob.
    public func encrypt(keyID: String, plaintext: [UInt8], context: [String: String] = [:]) async throws(KMSError) -> [UInt8] {
        guard plaintext.count <= 4096 else {
            throw KMSError(code: .badRequest, operation: "Encrypt", keyID: keyID, message: "the plaintext is over 4096 bytes")
        }
        var body: JSONObject = ["KeyId": .string(keyID), "Plaintext": .string(Data(plaintext).base64EncodedString())]
        if !context.isEmpty { body["EncryptionContext"] = Self.contextValue(context) }
        let reply = try await send("Encrypt", body, keyID: keyID)
        return try Self.blob(reply, "CiphertextBlob", operation: "Encrypt", keyID: keyID)
    }

    /// Decrypts a ciphertext blob with `keyID` and the `context` it was encrypted with; the plaintext.
    public func decrypt(keyID: String?, ciphertext: [UInt8], context: [String: String] = [:]) async throws(KMSError) -> [UInt8] {
        guard ciphertext.count <= Self.maximumBlobBytes else {
            throw KMSError(code: .badRequest, operation: "Decrypt", keyID: keyID, message: "the ciphertext is over \(Self.maximumBlobBytes) bytes")
        }
        var body: JSONObject = ["CiphertextBlob": .string(Data(ciphertext).base64EncodedString())]
        if let keyID { body["KeyId"] = .string(keyID) }
        if !context.isEmpty { body["EncryptionContext"] = Self.contextValue(context) }
        let reply = try await send("Decrypt", body, keyID: keyID)
        return try Self.blob(reply, "Plaintext", operation: "Decrypt", keyID: keyID)
    }

    private static func contextValue(_ context: [String: String]) -> JSONValue {
        var object = JSONObject()
        for (key, value) in context.sorted(by: { $0.key < $1.key }) { object[key] = .string(value) }
        return .object(object)
    }

    private static func blob(_ reply: JSONObject, _ field: String, operation: String, keyID: String?) throws(KMSError) -> [UInt8] {
        guard let text = reply[field]?.stringValue, let data = Data(base64Encoded: text) else {
            throw KMSError(code: .badReply, operation: operation, keyID: keyID, message: "the reply has no base64 \(field)")
        }
        return Array(data)
    }

    private func send(_ operation: String, _ body: JSONObject, keyID: String?) async throws(KMSError) -> JSONObject {
        do {
            return try await call.send(operation, body, timeout: timeout, maximumReplyBytes: maximumReplyBytes)
        } catch {
            switch error {
            case .unreachable(let message): throw KMSError(code: .unreachable, operation: operation, keyID: keyID, message: message)
            case .badReply(let message): throw KMSError(code: .badReply, operation: operation, keyID: keyID, message: message)
            case .service(let status, let type, let message):
                let code: KMSError.Code =
                    switch type {
                    case "NotFoundException": .notFound
                    case "InvalidCiphertextException", "IncorrectKeyException": .invalidCiphertext
                    case "DisabledException", "KMSInvalidStateException": .keyUnusable
                    default: AWSJSONCall.isAccessDenied(type, status: status) ? .accessDenied : .serviceError
                    }
                throw KMSError(code: code, operation: operation, keyID: keyID, awsType: type, message: message)
            }
        }
    }
}
