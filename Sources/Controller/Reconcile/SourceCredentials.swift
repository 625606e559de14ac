import Foundation
import GitSource
import Kube
import Manifests

/// Git credentials from a Kubernetes Secret, Flux's key names: `username` + `password` (https
/// basic), `token` (an https token, sent as the password), or `identity` (an ssh private key)
/// with `known_hosts` (checked strictly). Values never reach an error message.
enum SourceCredentials {
    static let secretKind = GroupVersionKind(group: "", version: "v1", kind: "Secret")

    /// The credentials the Secret `name` in `namespace` holds.
    static func load(_ client: any KubernetesAPI, name: String, namespace: String) async throws(GitError) -> GitCredentials {
        let secret: Manifest
        do {
            secret = try await client.get(secretKind, name: name, namespace: namespace)
        } catch {
            let reason = error.isNotFound ? "does not exist" : "cannot be read (\(error.code))"
            throw GitError(.authentication, "the credentials Secret \(namespace)/\(name) \(reason)")
        }
        return try credentials(from: secret)
    }

    /// Decodes the Secret's data into credentials.
    static func credentials(from secret: Manifest) throws(GitError) -> GitCredentials {
        var values: [String: String] = [:]
        for (key, value) in secret.object["data"]?.objectValue ?? [:] {
            guard let encoded = value.stringValue, let data = Data(base64Encoded: encoded) else { continue }
            values[key] = String(decoding: data, as: UTF8.self)
        }
        for (key, value) in secret.object["stringData"]?.objectValue ?? [:] { values[key] = value.stringValue }
        let trimmed = { (key: String) in values[key]?.trimmingCharacters(in: .whitespacesAndNewlines) }
        if let key = values["identity"] {
            return .ssh(privateKey: key, knownHosts: values["known_hosts"], strictHostKeyChecking: true)
        }
        if let token = trimmed("token"), !token.isEmpty { return .token(token, username: trimmed("username") ?? "x-access-token") }
        if let password = trimmed("password"), !password.isEmpty {
            return .basic(username: trimmed("username") ?? "git", password: password)
        }
        throw GitError(.authentication, "the credentials Secret \(secret.namespace)/\(secret.name) has none of identity, token, password")
    }
}
