import Foundation

/// Credentials from the values of a Kubernetes Secret, by Flux's key names.
extension GitCredentials {
    /// `identity` (an ssh private key, with `known_hosts`, checked strictly), `token` (an https
    /// token, with an optional `username`), or `username` + `password` (https basic). `secret`
    /// names the Secret in errors; values never appear in them.
    public static func fromSecret(_ values: [String: String], secret: String) throws(GitError) -> GitCredentials {
        func value(_ key: String) -> String? {
            guard let text = values[key]?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
            return text
        }
        if let key = values["identity"], !key.isEmpty {
            return .ssh(privateKey: key, knownHosts: values["known_hosts"], strictHostKeyChecking: true)
        }
        if let token = value("token") { return .token(token, username: value("username") ?? "x-access-token") }
        if let password = value("password") { return .basic(username: value("username") ?? "git", password: password) }
        throw GitError(.authentication, "the credentials Secret \(secret) has none of identity, token, password")
    }
}
