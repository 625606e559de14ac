import AsyncHTTPClient
import Foundation
import Manifests

/// A small AWS Secrets Manager client over the JSON protocol (`X-Amz-Target: secretsmanager.*`),
/// signed with SigV4: `GetSecretValue` and a paginated `ListSecrets`. Replies are bounded in size;
/// errors name the call and the secret, never a value.
///
/// ```swift
/// let endpoint = try AWSEndpoint.url(service: "secretsmanager", variableSuffix: "SECRETS_MANAGER", region: "eu-west-1")
/// let client = SecretsManagerClient(endpoint: endpoint, region: "eu-west-1", credentials: credentials)
/// let value = try await client.getSecretValue("prod/db", versionStage: "AWSCURRENT")
/// ```
public struct SecretsManagerClient: Sendable {
    /// The service endpoint.
    public var endpoint: URL
    /// The region requests are signed for.
    public var region: String
    /// How long one call may take.
    public var timeout: Duration = .seconds(30)
    /// The largest reply read (a secret is at most 64 KiB; a page of 100 list entries is far below this).
    public var maximumReplyBytes = 4 * 1024 * 1024
    /// The most `ListSecrets` pages followed.
    public var maximumPages = 100
    let signer: SigV4Signer
    let httpClient: HTTPClient
    let now: @Sendable () -> Date

    /// Creates a client; `now` dates the signatures.
    public init(
        endpoint: URL, region: String, credentials: AWSCredentials, httpClient: HTTPClient = .shared,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.endpoint = endpoint
        self.region = region
        self.signer = SigV4Signer(credentials: credentials, region: region, service: "secretsmanager")
        self.httpClient = httpClient
        self.now = now
    }

    /// One version of a secret.
    public struct SecretValue: Sendable, Hashable {
        /// The secret's name.
        public var name: String
        /// Its ARN.
        public var arn: String
        /// The version read.
        public var versionID: String
        /// `SecretString`, when the secret holds text.
        public var string: String?
        /// `SecretBinary`, decoded, when the secret holds bytes.
        public var binary: [UInt8]?

        /// The value's bytes: the string's UTF-8, or the binary.
        public var bytes: [UInt8] { string.map { Array($0.utf8) } ?? binary ?? [] }
    }

    /// A secret as `ListSecrets` describes it.
    public struct SecretEntry: Sendable, Hashable {
        /// Its name.
        public var name: String
        /// Its ARN.
        public var arn: String
        /// Its tags.
        public var tags: [String: String]
    }

    /// A `ListSecrets` filter: `name` (prefix), `tag-key`, `tag-value`, `description`, `all`.
    public struct Filter: Sendable, Hashable {
        /// The filter key.
        public var key: String
        /// Its values.
        public var values: [String]
        /// Creates a filter.
        public init(key: String, values: [String]) {
            self.key = key
            self.values = values
        }
    }

    /// Reads a secret (its name or ARN), at `versionID` or `versionStage` (`AWSCURRENT` when neither).
    public func getSecretValue(_ id: String, versionID: String? = nil, versionStage: String? = nil) async throws(SecretsManagerError)
        -> SecretValue
    {
        var body: JSONObject = ["SecretId": .string(id)]
        if let versionID { body["VersionId"] = .string(versionID) }
        if let versionStage { body["VersionStage"] = .string(versionStage) }
        let reply = try await call("GetSecretValue", body, secretID: id)
        let bad = SecretsManagerError(code: .badReply, operation: "GetSecretValue", secretID: id, message: "the reply holds no secret")
        guard let name = reply["Name"]?.stringValue else { throw bad }
        var value = SecretValue(
            name: name, arn: reply["ARN"]?.stringValue ?? "", versionID: reply["VersionId"]?.stringValue ?? "",
            string: reply["SecretString"]?.stringValue)
        if let binary = reply["SecretBinary"]?.stringValue {
            guard let data = Data(base64Encoded: binary) else {
                throw SecretsManagerError(code: .badReply, operation: "GetSecretValue", secretID: id, message: "SecretBinary is not base64")
            }
            value.binary = Array(data)
        }
        guard value.string != nil || value.binary != nil else { throw bad }
        return value
    }

    /// Every secret the filters select, following `NextToken` (at most `maximumPages` pages).
    public func listSecrets(filters: [Filter]) async throws(SecretsManagerError) -> [SecretEntry] {
        var entries: [SecretEntry] = []
        var token: String?
        for _ in 0..<maximumPages {
            var body: JSONObject = ["MaxResults": 100]
            if !filters.isEmpty {
                body["Filters"] = .array(filters.map { ["Key": .string($0.key), "Values": .array($0.values.map { .string($0) })] })
            }
            if let token { body["NextToken"] = .string(token) }
            let reply = try await call("ListSecrets", body, secretID: nil)
            for item in reply["SecretList"]?.arrayValue ?? [] {
                guard let name = item["Name"]?.stringValue else { continue }
                var tags: [String: String] = [:]
                for tag in item["Tags"]?.arrayValue ?? [] {
                    if let key = tag["Key"]?.stringValue { tags[key] = tag["Value"]?.stringValue ?? "" }
                }
                entries.append(SecretEntry(name: name, arn: item["ARN"]?.stringValue ?? "", tags: tags))
            }
            token = reply["NextToken"]?.stringValue
            if token?.isEmpty ?? true { return entries }
        }
        throw SecretsManagerError(code: .badReply, operation: "ListSecrets", message: "more than \(maximumPages) pages of secrets")
    }

    /// One `ListSecrets` call of one item: the endpoint answers and accepts the credentials.
    public func probe() async throws(SecretsManagerError) {
        _ = try await call("ListSecrets", ["MaxResults": 1], secretID: nil)
    }

    /// One signed JSON call; the reply object, or the service's error.
    func call(_ operation: String, _ body: JSONObject, secretID: String?) async throws(SecretsManagerError) -> JSONObject {
        let call = AWSJSONCall(endpoint: endpoint, targetPrefix: "secretsmanager", signer: signer, httpClient: httpClient, now: now)
        do {
            return try await call.send(operation, body, timeout: timeout, maximumReplyBytes: maximumReplyBytes)
        } catch {
            switch error {
            case .unreachable(let message):
                throw SecretsManagerError(code: .unreachable, operation: operation, secretID: secretID, message: message)
            case .badReply(let message):
                throw SecretsManagerError(code: .badReply, operation: operation, secretID: secretID, message: message)
            case .service(let status, let type, let message):
                let code: SecretsManagerError.Code =
                    type == "ResourceNotFoundException"
                    ? .notFound : AWSJSONCall.isAccessDenied(type, status: status) ? .accessDenied : .serviceError
                throw SecretsManagerError(code: code, operation: operation, secretID: secretID, awsType: type, message: message)
            }
        }
    }
}
