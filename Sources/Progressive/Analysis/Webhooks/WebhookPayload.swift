/// Flagger's webhook payload: `{"name", "namespace", "phase", "checksum", "metadata"}`.
public struct WebhookPayload: Sendable, Hashable, Codable {
    /// The Rollout's name.
    public var name: String
    /// The Rollout's namespace.
    public var namespace: String
    /// The canary phase, Flagger's spelling.
    public var phase: WebhookPhase
    /// The canary's template hash (Flagger sends its revision checksum).
    public var checksum: String
    /// The webhook's metadata.
    public var metadata: [String: String]

    /// Creates a payload.
    public init(name: String, namespace: String, phase: WebhookPhase, checksum: String, metadata: [String: String]) {
        self.name = name
        self.namespace = namespace
        self.phase = phase
        self.checksum = checksum
        self.metadata = metadata
    }
}
