/// The kinds of Provider: where a notification goes and in what shape.
public enum ProviderType: String, Sendable, Hashable, CaseIterable {
    case generic
    case genericHMAC = "generic-hmac"
    /// A generic webhook whose method, path and body are templates.
    case webhook
    case slack, msteams, discord
    /// Commit statuses.
    case github, gitlab, gitea
    /// One upserted pull-request comment per key.
    case githubPRComment = "githubprcomment"
    case gitlabMRComment = "gitlabmrcomment"
    case giteaPRComment = "giteaprcomment"
    case pagerduty, opsgenie, alertmanager

    /// Whether the provider posts to a Git forge (and is pinned to the Application's repository).
    public var isForge: Bool { [.github, .gitlab, .gitea, .githubPRComment, .gitlabMRComment, .giteaPRComment].contains(self) }
}

/// A `Provider` object's spec, read and validated.
public struct ProviderSpec: Sendable, Hashable {
    public var namespace: String
    public var name: String
    public var type: ProviderType
    /// The target: a webhook URL, or for forges the repository URL (which pins the host). May
    /// come from the Secret's `address` key instead, which keeps webhook URLs secret.
    public var address: String?
    /// The forge's or service's API root, for self-hosted servers and tests.
    public var apiURL: String?
    /// A channel (Slack, Discord) or a routing hint.
    public var channel: String?
    /// A user name shown as the sender, where the service has one.
    public var username: String?
    /// The Secret (in the Provider's namespace) with `address`, `token`, `username`, `password`,
    /// `headers`, `routingKey`, `apiKey`, `hmacKey`.
    public var secretRef: String?
    /// How long one request may take.
    public var timeout: Duration = .seconds(15)
    /// The same text for the same app and event is sent at most once per this interval.
    public var rateLimit: Duration = .seconds(300)
    /// A Mustache template for the commit status context (default `keelson/{{app.namespace}}/{{app.name}}`).
    public var statusContext: String?
    /// Sends nothing while true.
    public var suspend = false

    public init(namespace: String, name: String, type: ProviderType) {
        self.namespace = namespace
        self.name = name
        self.type = type
    }

    /// `namespace/name`.
    public var id: String { "\(namespace)/\(name)" }
}

/// What a Provider's Secret holds. Never printed: `description` names only the keys present.
public struct ProviderCredentials: Sendable, Hashable, CustomStringConvertible {
    public var address: String?
    public var token: String?
    public var username: String?
    public var password: String?
    public var headers: [String: String] = [:]
    public var routingKey: String?
    public var apiKey: String?
    public var hmacKey: String?

    public init() {}

    public var description: String {
        let present: [(String, Bool)] = [
            ("address", address != nil), ("token", token != nil), ("username", username != nil), ("password", password != nil),
            ("headers", !headers.isEmpty), ("routingKey", routingKey != nil), ("apiKey", apiKey != nil), ("hmacKey", hmacKey != nil),
        ]
        return "ProviderCredentials(" + present.filter(\.1).map(\.0).joined(separator: ", ") + ")"
    }
}

/// What an Alert renders for one event, per provider: the text, and optional provider blocks.
public struct RenderedMessage: Sendable, Hashable {
    /// The one-line (or few-line) text every provider can carry.
    public var text: String
    /// A short title (`sync failed: shop/web`).
    public var title: String
    /// The Alert's `metadata`, passed to providers that carry fields (generic, Opsgenie details).
    public var metadata: [String: String]
    /// For `webhook`: the rendered method, path and body.
    public var webhook: WebhookTemplate?
    /// For forges: the commit status context and description.
    public var statusContext: String?
    public var statusDescription: String?
    /// A dashboard link, when `--external-url` is set.
    public var url: String?

    public init(text: String, title: String, metadata: [String: String] = [:]) {
        self.text = text
        self.title = title
        self.metadata = metadata
    }
}

/// A rendered `webhook` block.
public struct WebhookTemplate: Sendable, Hashable {
    public var method: String
    public var path: String
    public var body: String

    public init(method: String = "POST", path: String = "", body: String) {
        self.method = method
        self.path = path
        self.body = body
    }
}
