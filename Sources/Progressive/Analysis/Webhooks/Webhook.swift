import Manifests

/// A gate or notification called during a rollout (`spec.webhooks[]`), with Flagger's payload
/// so Flagger's load tester and gates work unchanged.
///
/// ```yaml
/// webhooks:
///   - {name: smoke, type: pre-rollout, url: http://tester.shop/, timeout: 30s, metadata: {cmd: "curl -sf http://web-canary.shop/"}}
/// ```
public struct Webhook: Sendable, Hashable {
    /// When the webhook is called.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Before traffic reaches the canary; a failure counts toward the gate's threshold.
        case preRollout = "pre-rollout"
        /// On every analysis interval; a failure counts toward the threshold.
        case rollout
        /// Before promotion; a failure waits (it does not fail the rollout).
        case confirmPromotion = "confirm-promotion"
        /// After promotion or abort; a failure is only logged.
        case postRollout = "post-rollout"
    }

    /// The webhook's name, unique in the Rollout.
    public var name: String
    /// When it is called.
    public var kind: Kind
    /// The http(s) URL POSTed to.
    public var url: String
    /// How long the call may take (Flagger's default, 10s).
    public var timeout: Duration
    /// Sent as the payload's `metadata`.
    public var metadata: [String: String]

    /// Flagger's default timeout.
    public static let defaultTimeout = Duration.seconds(10)

    /// Creates a webhook.
    public init(name: String, kind: Kind, url: String, timeout: Duration = Webhook.defaultTimeout, metadata: [String: String] = [:]) {
        self.name = name
        self.kind = kind
        self.url = url
        self.timeout = timeout
        self.metadata = metadata
    }

    /// Reads a `webhooks` array at `path` (a Rollout's `spec.webhooks`); absent is none.
    public static func parseList(_ value: JSONValue?, path: String) throws(AnalysisSpecError) -> [Webhook] {
        guard let value, !value.isNull else { return [] }
        guard let items = value.arrayValue else { throw AnalysisSpecError(.invalidField, path: path, "must be an array, not \(value.typeName)") }
        guard items.count <= Metric.maximumMetrics else {
            throw AnalysisSpecError(.tooLarge, path: path, "holds \(items.count) webhooks; at most \(Metric.maximumMetrics) are read")
        }
        var hooks: [Webhook] = []
        for (index, item) in items.enumerated() {
            let hook = try Webhook(item, path: "\(path)[\(index)]")
            if hooks.contains(where: { $0.name == hook.name }) {
                throw AnalysisSpecError(.invalidField, path: "\(path)[\(index)].name", "another webhook is also named \"\(hook.name)\"")
            }
            hooks.append(hook)
        }
        return hooks
    }

    /// Reads one webhook; a missing `type` is `rollout`, as in Flagger.
    init(_ value: JSONValue, path: String) throws(AnalysisSpecError) {
        let reader = try SpecReader(value, path: path)
        try reader.refuseUnknown(["name", "type", "url", "timeout", "metadata"])
        let typeText = try reader.string("type") ?? Kind.rollout.rawValue
        guard let kind = Kind(rawValue: typeText) else {
            let known = Kind.allCases.map(\.rawValue).joined(separator: ", ")
            throw AnalysisSpecError(.invalidField, path: reader.at("type"), "must be one of \(known), not \(typeText)")
        }
        let url = try reader.requiredString("url")
        _ = try WebSource.httpURL(url, path: reader.at("url"))
        self.init(
            name: try reader.requiredString("name"), kind: kind, url: url, timeout: try reader.duration("timeout") ?? Self.defaultTimeout,
            metadata: try reader.stringMap("metadata"))
    }
}
