import Foundation
import Progressive

extension AnalysisSupport {
    /// The context of the tests' rollout `web` in `shop`.
    static let context = AnalysisContext(
        rollout: "web", namespace: "shop", canaryDeployment: "web-canary", canaryService: "web-canary", stableDeployment: "web",
        canaryHash: "5d8f")

    /// A request to measure `metric` (resolved in `context`) at `start`.
    static func request(_ metric: ResolvedMetric, inFlight: MetricMeasurement? = nil, context: AnalysisContext = context) -> MeasurementRequest {
        MeasurementRequest(metric: metric, context: context, runID: "r1", ordinal: 1, inFlight: inFlight, now: start)
    }
}
