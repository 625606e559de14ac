import Manifests

/// A metric with its templates filled and its credentials read: what a provider measures.
public struct ResolvedMetric: Sendable, Hashable {
    /// The request a provider sends.
    public enum Request: Sendable, Hashable {
        /// A Prometheus instant query.
        case prometheus(address: String, query: String, timeout: Duration, credentials: Credentials)
        /// A web request.
        case web(url: String, method: WebSource.Method, body: String?, jsonPath: JSONPathExpression?, timeout: Duration, credentials: Credentials)
        /// A Job to create, `metadata` (labels, annotations) and `spec`.
        case job(template: JSONObject)
    }

    /// The metric as written.
    public var metric: Metric
    /// The filled request.
    public var request: Request

    /// Creates a resolved metric.
    public init(metric: Metric, request: Request) {
        self.metric = metric
        self.request = request
    }

    /// The metric's name.
    public var name: String { metric.name }
}
