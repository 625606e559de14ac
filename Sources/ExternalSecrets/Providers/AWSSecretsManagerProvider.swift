import Foundation
import Helm
import Manifests
import Secrets

/// ESO's `aws` provider with `service: SecretsManager`. `remoteRef.key` is a secret's name or
/// ARN; `version` is `uuid/<VersionId>` or a stage (`AWSCURRENT` when absent); `property` a field
/// of the secret's JSON. Credentials come from `auth.secretRef`; only a ClusterSecretStore may
/// fall back to Keelson's own (`AWS_ACCESS_KEY_ID`…). The endpoint honours
/// `AWS_ENDPOINT_URL_SECRETS_MANAGER` and `AWS_ENDPOINT_URL`.
struct AWSSecretsManagerProvider: SecretStoreProvider {
    let client: SecretsManagerClient

    init(_ context: ProviderContext) async throws(SecretStoreError) {
        let field = context.field
        let (region, auth) = try context.read { reader throws(ObjectFieldError) in
            let spec = try reader.object(.object(context.store.providerSpec), field, known: ["service", "region", "auth", "role"])
            guard try reader.string(spec["service"], field + ".service") == "SecretsManager" else {
                throw reader.error(field + ".service", "must be SecretsManager (ParameterStore is not supported)")
            }
            if let role = try reader.string(spec["role"], field + ".role"), !role.isEmpty {
                throw reader.error(field + ".role", "assuming a role is not supported")
            }
            guard let region = try reader.string(spec["region"], field + ".region"), !region.isEmpty else {
                throw reader.error(field + ".region", "is required")
            }
            // The region becomes part of the endpoint's host name: nothing but a region's characters.
            guard AWSEndpoint.isValidRegion(region) else {
                throw reader.error(field + ".region", "is not an AWS region (lowercase letters, digits and '-')")
            }
            let auth = try reader.object(spec["auth"], field + ".auth", known: ["secretRef"])
            let secretRef = try reader.object(
                auth["secretRef"], field + ".auth.secretRef", known: ["accessKeyIDSecretRef", "secretAccessKeySecretRef", "sessionTokenSecretRef"])
            return (region, secretRef)
        }
        let credentials: AWSCredentials
        if auth.isEmpty {
            // Keelson's own credentials are an administrator's to lend, and only through Keelson's own
            // ClusterSecretStore: never to a namespaced store, nor to one of ESO's kinds (made for ESO,
            // whose controller has credentials of its own).
            guard context.store.namespace == nil, context.store.api == .keelson, let id = context.environment["AWS_ACCESS_KEY_ID"],
                let secret = context.environment["AWS_SECRET_ACCESS_KEY"]
            else {
                throw context.invalid(
                    field + ".auth.secretRef", "is required (only a keelson.dev ClusterSecretStore may use Keelson's own AWS credentials)")
            }
            credentials = AWSCredentials(accessKeyID: id, secretAccessKey: secret, sessionToken: context.environment["AWS_SESSION_TOKEN"])
        } else {
            let secretRef = field + ".auth.secretRef"
            credentials = AWSCredentials(
                accessKeyID: try await context.credential(auth["accessKeyIDSecretRef"], secretRef + ".accessKeyIDSecretRef"),
                secretAccessKey: try await context.credential(auth["secretAccessKeySecretRef"], secretRef + ".secretAccessKeySecretRef"),
                sessionToken: auth["sessionTokenSecretRef"] == nil
                    ? nil : try await context.credential(auth["sessionTokenSecretRef"], secretRef + ".sessionTokenSecretRef"))
        }
        let endpoint: URL
        do {
            endpoint = try AWSEndpoint.url(
                service: "secretsmanager", variableSuffix: "SECRETS_MANAGER", region: region, environment: context.environment)
        } catch {
            throw context.invalid(field, error.description)
        }
        client = SecretsManagerClient(endpoint: endpoint, region: region, credentials: credentials, httpClient: context.httpClient)
    }

    func value(for ref: RemoteRef) async throws(SecretStoreError) -> [UInt8] {
        let secret = try await read(ref.key, version: ref.version)
        guard let property = ref.property else { return secret.bytes }
        guard let value = SecretJSON.property(property, in: secret.bytes) else {
            // ESO reports a missing property as an error, not as a secret gone: no deletionPolicy applies.
            throw SecretStoreError(code: .badValue, key: ref.key, message: "has no property \"\(property)\" (or is not JSON)")
        }
        return value
    }

    /// Lists with the name-prefix (`path`) and tag filters, then matches `name.regexp` and the
    /// tags exactly, and reads each secret's current value.
    func all(find: FindRef) async throws(SecretStoreError) -> [String: [UInt8]] {
        var filters: [SecretsManagerClient.Filter] = []
        if let path = find.path { filters.append(.init(key: "name", values: [path])) }
        for key in find.tags.keys.sorted() {
            filters.append(.init(key: "tag-key", values: [key]))
            filters.append(.init(key: "tag-value", values: [find.tags[key] ?? ""]))
        }
        let entries: [SecretsManagerClient.SecretEntry]
        do { entries = try await client.listSecrets(filters: filters) } catch { throw Self.storeError(error) }
        let regex = find.nameRegexp.flatMap(TenantRegex.compile)
        var out: [String: [UInt8]] = [:]
        for entry in entries {
            if let regex, !TenantRegex.contains(regex, in: entry.name) { continue }
            if let path = find.path, !entry.name.hasPrefix(path) { continue }
            guard find.tags.allSatisfy({ entry.tags[$0.key] == $0.value }) else { continue }
            out[entry.name] = try await read(entry.name, version: nil).bytes
        }
        return out
    }

    /// One `ListSecrets` call: the endpoint answers and accepts the credentials.
    func validate() async throws(SecretStoreError) {
        do { try await client.probe() } catch { throw Self.storeError(error) }
    }

    func read(_ key: String, version: String?) async throws(SecretStoreError) -> SecretsManagerClient.SecretValue {
        let versionID = version.flatMap { $0.hasPrefix("uuid/") ? String($0.dropFirst(5)) : nil }
        let stage = versionID == nil ? version : nil
        do { return try await client.getSecretValue(key, versionID: versionID, versionStage: stage) } catch { throw Self.storeError(error) }
    }

    static func storeError(_ error: SecretsManagerError) -> SecretStoreError {
        let code: SecretStoreError.Code =
            switch error.code {
            case .notFound: .notFound
            case .accessDenied: .accessDenied
            case .unreachable: .unreachable
            case .serviceError: .providerError
            case .badReply: .badValue
            }
        return SecretStoreError(code: code, key: error.secretID, message: error.description)
    }
}
