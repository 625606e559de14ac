import KeelsonFoundation
import Progressive

/// An `Alert` object's spec, read and validated: which events of which Applications go to
/// which Provider, in what words.
public struct AlertSpec: Sendable, Hashable {
    public var namespace: String
    public var name: String
    /// The Provider, in the Alert's namespace.
    public var providerRef: String
    /// The Applications it listens to.
    public var sources: [AlertSource]
    /// The events it wants; empty for all.
    public var events: Set<EventType> = []
    /// The least severity it wants.
    public var severity: Severity = .info
    /// Messages matching one of these regular expressions are dropped.
    public var exclusionList: [String] = []
    /// When not empty, only messages matching one of these are sent.
    public var inclusionList: [String] = []
    /// Extra fields every message carries (`{{metadata.cluster}}`).
    public var metadata: [String: String] = [:]
    /// The words.
    public var template = AlertTemplate.standard
    /// Sends nothing while true.
    public var suspend = false

    public init(namespace: String, name: String, providerRef: String, sources: [AlertSource]) {
        self.namespace = namespace
        self.name = name
        self.providerRef = providerRef
        self.sources = sources
    }

    /// `namespace/name`.
    public var id: String { "\(namespace)/\(name)" }
}

/// Which Applications an Alert listens to.
public struct AlertSource: Sendable, Hashable {
    /// `Application` (other kinds are kept for Flux objects and match nothing yet).
    public var kind: String
    /// The namespace; nil for the Alert's own; `*` for every namespace (only for Alerts in the
    /// controller's namespace).
    public var namespace: String?
    /// A name or glob (`shop-*`); `*` for all.
    public var name: String
    /// Labels the Application must carry.
    public var matchLabels: [String: String] = [:]

    public init(kind: String = "Application", namespace: String? = nil, name: String = "*", matchLabels: [String: String] = [:]) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.matchLabels = matchLabels
    }
}

/// The words of an Alert: templates checked against the tags they may use when the Alert is read.
public struct AlertTemplate: Sendable, Hashable {
    public var text: TagTemplate
    public var title: TagTemplate
    /// For `webhook` providers: method, path and body (values JSON-escaped in the body).
    public var webhookMethod = "POST"
    public var webhookPath: TagTemplate?
    public var webhookBody: TagTemplate?
    /// For commit statuses: the context and description.
    public var statusContext: TagTemplate?
    public var statusDescription: TagTemplate?

    /// The tags Alert templates may use.
    public static let vocabulary = TagTemplate.Vocabulary(
        top: Set<String>([
            "app.name", "app.namespace", "event.type", "event.severity", "event.title", "message", "revision", "revision.short",
            "commit.author", "commit.subject", "sync", "health", "url", "metadata.*",
        ]).union(RolloutReport.templateKeys.map { "rollout." + $0 }),
        sections: ["drift": ["key", "fields", "manager"], "rollout": RolloutReport.templateKeys])

    /// `sync failed: keelson/guestbook 1a2b3c4 · the message`.
    public static let standard: AlertTemplate = {
        // The default texts use only known tags: they cannot fail.
        let text = try! TagTemplate("{{event.title}}: {{app.namespace}}/{{app.name}} {{revision.short}} · {{message}}", vocabulary: vocabulary)
        let title = try! TagTemplate("{{event.title}}: {{app.namespace}}/{{app.name}}", vocabulary: vocabulary)
        return AlertTemplate(text: text, title: title)
    }()

    public init(text: TagTemplate, title: TagTemplate) {
        self.text = text
        self.title = title
    }
}
