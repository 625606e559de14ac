import AsyncHTTPClient
import Kube

/// The provider for each kind of metric.
public struct AnalysisProviders: Sendable {
    /// Measures `prometheus` metrics.
    public var prometheus: any MetricProvider
    /// Measures `web` metrics.
    public var web: any MetricProvider
    /// Measures `job` metrics.
    public var job: any MetricProvider

    /// Creates providers from three (test doubles, say).
    public init(prometheus: any MetricProvider, web: any MetricProvider, job: any MetricProvider) {
        self.prometheus = prometheus
        self.web = web
        self.job = job
    }

    /// The production providers: HTTP through `http` (one client shared by all runs), Jobs
    /// through `client` as `fieldManager`.
    public init(http: HTTPClient, client: any KubernetesAPI, fieldManager: String = "keelson") {
        self.init(
            prometheus: PrometheusProvider(http: http), web: WebProvider(http: http), job: JobProvider(client: client, fieldManager: fieldManager))
    }

    /// The provider that measures `metric`.
    public func provider(for metric: ResolvedMetric) -> any MetricProvider {
        switch metric.request {
        case .prometheus: prometheus
        case .web: web
        case .job: job
        }
    }
}
