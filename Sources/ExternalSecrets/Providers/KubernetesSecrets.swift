import Foundation
import Kube
import Manifests

/// Reading Secrets' data for providers, with errors that name the Secret and never a value.
enum KubernetesSecrets {
    static let kind = GroupVersionKind(group: "", version: "v1", kind: "Secret")
    /// The largest Secret value read (Kubernetes allows 1 MiB per Secret).
    static let maximumValueBytes = 1024 * 1024

    /// The decoded data of Secret `namespace/name`.
    static func read(_ client: any KubernetesAPI, name: String, namespace: String) async throws(SecretStoreError) -> [String: [UInt8]] {
        let secret: Manifest
        do { secret = try await client.get(kind, name: name, namespace: namespace) } catch {
            throw storeError(error, key: name, subject: "Secret \(namespace)/\(name)")
        }
        return try data(of: secret)
    }

    /// A Secret's `data`, decoded (and `stringData`, which a server never returns but a file may hold).
    static func data(of secret: Manifest) throws(SecretStoreError) -> [String: [UInt8]] {
        var values: [String: [UInt8]] = [:]
        for (key, value) in secret.object["data"]?.objectValue ?? [:] {
            guard let encoded = value.stringValue, encoded.utf8.count <= maximumValueBytes * 4 / 3 + 4,
                let decoded = Data(base64Encoded: encoded)
            else {
                throw SecretStoreError(
                    code: .badValue, key: secret.name, message: "Secret \(secret.namespace)/\(secret.name) data.\(key) is not base64")
            }
            values[key] = Array(decoded)
        }
        for (key, value) in secret.object["stringData"]?.objectValue ?? [:] { values[key] = value.stringValue.map { Array($0.utf8) } }
        return values
    }

    /// The store error a Kubernetes API error stands for.
    static func storeError(_ error: KubeError, key: String?, subject: String) -> SecretStoreError {
        if error.isNotFound { return SecretStoreError(code: .notFound, key: key, message: "\(subject) not found") }
        let code: SecretStoreError.Code =
            error.isForbidden || error.isUnauthorized ? .accessDenied : error.code == .transport ? .unreachable : .providerError
        return SecretStoreError(code: code, key: key, message: "\(subject): \(error.status?.message ?? "\(error)")")
    }
}
