import KeelsonFoundation
import Manifests

/// A Prometheus instant query: `GET {address}/api/v1/query?query=…&time=…`.
public struct PrometheusSource: Sendable, Hashable {
    /// The server, e.g. `http://prometheus.monitoring:9090` (a path prefix is kept).
    public var address: String
    /// The PromQL query, with tags.
    public var query: AnalysisText
    /// How long one query may take (30s by default).
    public var timeout: Duration
    /// The Secret with `token`, `username`/`password` or `headers`, if any.
    public var secretRef: String?

    /// The default timeout.
    public static let defaultTimeout = Duration.seconds(30)

    /// Reads `prometheus` at `path`.
    init(_ value: JSONValue?, path: String, vocabulary: TagTemplate.Vocabulary) throws(AnalysisSpecError) {
        let reader = try SpecReader(value, path: path)
        try reader.refuseUnknown(["address", "query", "timeout", "secretRef"])
        address = try WebSource.httpURL(reader.requiredString("address"), path: reader.at("address"))
        query = try AnalysisText(reader.requiredString("query"), path: reader.at("query"), vocabulary: vocabulary)
        timeout = try reader.duration("timeout") ?? Self.defaultTimeout
        secretRef = try SecretReference.name(reader, "secretRef")
    }
}
