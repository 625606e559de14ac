import Foundation

/// The values a run's templates are filled with and the names its Jobs are made from.
public struct AnalysisContext: Sendable, Hashable {
    /// The Rollout's name.
    public var rollout: String
    /// The Rollout's namespace (also the namespace of Jobs and Secrets).
    public var namespace: String
    /// The Rollout's `metadata.uid`, for the ownerReference of generated Jobs; nil gives none.
    public var rolloutUID: String?
    /// The canary Deployment's name.
    public var canaryDeployment: String
    /// The canary Service's name.
    public var canaryService: String
    /// The stable Deployment's name.
    public var stableDeployment: String
    /// The canary's template hash.
    public var canaryHash: String
    /// The values of `{{args.X}}`, defaults already overridden (see `AnalysisArgument.resolve`).
    public var arguments: [String: String]

    /// Creates a context.
    public init(
        rollout: String, namespace: String, rolloutUID: String? = nil, canaryDeployment: String, canaryService: String,
        stableDeployment: String, canaryHash: String, arguments: [String: String] = [:]
    ) {
        self.rollout = rollout
        self.namespace = namespace
        self.rolloutUID = rolloutUID
        self.canaryDeployment = canaryDeployment
        self.canaryService = canaryService
        self.stableDeployment = stableDeployment
        self.canaryHash = canaryHash
        self.arguments = arguments
    }

    /// The tag values for `metric`: the context's names, its arguments and `{{interval}}`
    /// (the metric's interval, 1m when unset, written so PromQL range selectors read it:
    /// `30s`, `1m`, `1h30m`, `1500ms`).
    public func values(for metric: Metric) -> [String: String] {
        var values: [String: String] = [
            "rollout.name": rollout, "rollout.namespace": namespace, "canary.deployment": canaryDeployment,
            "canary.service": canaryService, "stable.deployment": stableDeployment, "canary.hash": canaryHash,
            "interval": Self.promDuration(metric.interval ?? Metric.defaultInterval),
        ]
        for (name, value) in arguments { values["args." + name] = value }
        return values
    }

    /// `duration` in the shortest form PromQL and Go both read: `30s`, `1m`, `1h30m`, `1500ms`.
    static func promDuration(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        if milliseconds % 1000 != 0 { return "\(milliseconds)ms" }
        var seconds = milliseconds / 1000
        var text = ""
        for (unit, size) in [("h", Int64(3600)), ("m", 60), ("s", 1)] where seconds >= size {
            text += "\(seconds / size)\(unit)"
            seconds %= size
        }
        return text.isEmpty ? "0s" : text
    }
}
