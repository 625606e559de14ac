import Foundation
import Kube

/// The secret of each Git webhook provider. GitLab sends its token in plain text in a header,
/// so it is never the key of a provider that signs with HMAC (GitHub, Gitea, Bitbucket,
/// generic): whoever reads GitLab's token could otherwise sign pushes as GitHub.
///
/// `--webhook-secret` takes a single value (a file, or `secret:NAMESPACE/NAME#KEY`), which
/// serves the HMAC providers only, or a set with one key per provider: a Kubernetes Secret
/// `secret:NAMESPACE/NAME` or a directory (such a Secret mounted as a volume) whose keys are
/// `github`, `gitlab`, `gitea`, `bitbucket`, `generic`, and optionally `secret` (the HMAC
/// providers without a key of their own).
///
/// ```swift
/// let secrets = WebhookSecrets(hmac: Array("signing-key".utf8))       // GitLab refused
/// let split = try WebhookSecrets(keys: ["github": gh, "gitlab": token])  // one each
/// ```
public struct WebhookSecrets: Sendable, Hashable {
    /// The providers that sign the body with HMAC-SHA256 (their secret never travels).
    public static let hmacProviders: [WebhookProvider] = [.github, .gitea, .bitbucket, .generic]
    /// The key of a set that serves every HMAC provider without a key of its own.
    public static let sharedHMACKey = "secret"

    /// The secret of each provider that has one; a provider without one refuses every delivery.
    public private(set) var secrets: [WebhookProvider: [UInt8]]

    /// No secrets: every webhook is refused with 401.
    public init() { secrets = [:] }

    /// One signing secret for the HMAC providers; GitLab (a plain-text token) gets none.
    public init(hmac secret: [UInt8]) {
        secrets = [:]
        guard !secret.isEmpty else { return }
        for provider in Self.hmacProviders { secrets[provider] = secret }
    }

    /// One secret per provider from `keys` (provider names, and `secret` for the HMAC providers
    /// without their own). Refuses unknown keys, a set without any provider, and a GitLab token
    /// equal to an HMAC key.
    public init(keys: [String: [UInt8]], source: String = "the webhook secrets") throws(WebhookSecretsError) {
        secrets = [:]
        for (key, value) in keys where !value.isEmpty {
            if key == Self.sharedHMACKey { continue }
            guard let provider = WebhookProvider(rawValue: key) else {
                let known = (WebhookProvider.allCases.map(\.rawValue) + [Self.sharedHMACKey]).joined(separator: ", ")
                throw WebhookSecretsError("\(source): unknown key \(key) (known: \(known))")
            }
            secrets[provider] = value
        }
        if let shared = keys[Self.sharedHMACKey], !shared.isEmpty {
            for provider in Self.hmacProviders where secrets[provider] == nil { secrets[provider] = shared }
        }
        guard !secrets.isEmpty else { throw WebhookSecretsError("\(source): no key names a provider") }
        if let token = secrets[.gitlab], Self.hmacProviders.contains(where: { secrets[$0] == token }) {
            throw WebhookSecretsError("\(source): the gitlab token travels in plain text; it must differ from every signing secret")
        }
    }

    /// The secret of `provider`, if it has one.
    public subscript(_ provider: WebhookProvider) -> [UInt8]? { secrets[provider] }

    /// Whether any provider has a secret.
    public var isEmpty: Bool { secrets.isEmpty }

    /// Reads `--webhook-secret`: `secret:NAMESPACE/NAME#KEY` or a file is one HMAC value;
    /// `secret:NAMESPACE/NAME` or a directory is a set with one key per provider.
    public static func load(_ text: String, client: (any KubernetesAPI)?) async throws -> WebhookSecrets {
        let source = try SecretSource(text, defaultKey: sharedHMACKey)
        guard SecretSource.namesKeySet(text) else { return WebhookSecrets(hmac: try await source.load(client)) }
        return try WebhookSecrets(keys: try await source.loadAll(client), source: source.description)
    }
}

/// Webhook secrets that cannot be used; says where, never what.
public struct WebhookSecretsError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var description: String

    init(_ description: String) { self.description = description }
}
