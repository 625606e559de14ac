import Foundation
import GitSource
import Kube
import Manifests

/// Git credentials from a Kubernetes Secret (`GitCredentials.fromSecret` names the keys).
/// Values never reach an error message. ApplicationSets read their Git generators' credentials
/// through it too.
public enum SourceCredentials {
    static let secretKind = GroupVersionKind(group: "", version: "v1", kind: "Secret")

    /// The credentials the Secret `name` in `namespace` holds.
    public static func load(_ client: any KubernetesAPI, name: String, namespace: String) async throws(GitError) -> GitCredentials {
        let secret: Manifest
        do {
            secret = try await client.get(secretKind, name: name, namespace: namespace)
        } catch {
            let reason = error.isNotFound ? "does not exist" : "cannot be read (\(error.code))"
            throw GitError(.authentication, "the credentials Secret \(namespace)/\(name) \(reason)")
        }
        return try credentials(from: secret)
    }

    /// Decodes the Secret's data (base64) into credentials.
    static func credentials(from secret: Manifest) throws(GitError) -> GitCredentials {
        var values: [String: String] = [:]
        for (key, value) in secret.object["data"]?.objectValue ?? [:] {
            guard let encoded = value.stringValue, let data = Data(base64Encoded: encoded) else { continue }
            values[key] = String(decoding: data, as: UTF8.self)
        }
        return try GitCredentials.fromSecret(values, secret: "\(secret.namespace)/\(secret.name)")
    }
}
