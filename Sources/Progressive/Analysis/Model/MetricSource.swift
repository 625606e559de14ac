import KeelsonFoundation
import Manifests

/// Where a metric's value comes from: exactly one of `prometheus`, `web` or `job`.
public enum MetricSource: Sendable, Hashable {
    /// `prometheus {address, query, timeout (30s), secretRef?}`.
    case prometheus(PrometheusSource)
    /// `web {url, method, body?, secretRef?, jsonPath?, timeout (10s)}`.
    case web(WebSource)
    /// `job {template}`: a Kubernetes Job whose completion is the measurement.
    case job(JobSource)

    /// The provider names, for messages.
    public static let names = ["job", "prometheus", "web"]

    /// The provider's name: `prometheus`, `web` or `job`.
    public var kind: String {
        switch self {
        case .prometheus: "prometheus"
        case .web: "web"
        case .job: "job"
        }
    }

    /// The Secret holding credentials or headers, if the source names one.
    public var secretRef: String? {
        switch self {
        case .prometheus(let source): source.secretRef
        case .web(let source): source.secretRef
        case .job: nil
        }
    }

    /// Reads `provider` (at `path`) with templates of `vocabulary`.
    static func parse(_ value: JSONValue?, path: String, vocabulary: TagTemplate.Vocabulary) throws(AnalysisSpecError) -> MetricSource {
        let reader = try SpecReader(value, path: path)
        let named = reader.object.keys.filter { reader.has($0) }
        guard named.count == 1, let name = named.first else {
            let found = named.isEmpty ? "none" : named.joined(separator: ", ")
            throw AnalysisSpecError(.invalidField, path: path, "must name exactly one provider of \(names.joined(separator: ", ")) (found \(found))")
        }
        let body = reader.at(name)
        switch name {
        case "prometheus": return .prometheus(try PrometheusSource(reader.object[name], path: body, vocabulary: vocabulary))
        case "web": return .web(try WebSource(reader.object[name], path: body, vocabulary: vocabulary))
        case "job": return .job(try JobSource(reader.object[name], path: body, vocabulary: vocabulary))
        default:
            throw AnalysisSpecError(.invalidField, path: body, "is not a provider Keelson has (known: \(names.joined(separator: ", ")))")
        }
    }
}
