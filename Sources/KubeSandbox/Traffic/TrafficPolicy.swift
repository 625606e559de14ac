import Foundation
import Manifests

/// The annotations and defaults of the simulated traffic, in one table.
///
/// Entry points opt in with `sandbox.keelson.dev/rps: "N"` (requests per second of the traffic
/// clock) on a Service, an HTTPRoute or an nginx Ingress. A Deployment's pod template answers with
/// `sandbox.keelson.dev/error-rate: "0.2"` (or an image tag ending `-errors`, 0.5) and
/// `sandbox.keelson.dev/latency-ms: "120"`.
enum TrafficPolicy {
    /// Requests per second an entry point receives.
    static let rpsAnnotation = "sandbox.keelson.dev/rps"
    /// The share of a Deployment's answers that are `500`, 0…1.
    static let errorRateAnnotation = "sandbox.keelson.dev/error-rate"
    /// How long a Deployment takes to answer, in milliseconds.
    static let latencyAnnotation = "sandbox.keelson.dev/latency-ms"
    /// An image tag ending with this answers half of its requests with `500`.
    static let erroringTagSuffix = "-errors"
    /// The error rate of an image tagged `…-errors`.
    static let erroringTagRate = 0.5
    /// The latency of a Deployment without the annotation, in seconds.
    static let defaultLatency = 0.01
    /// The largest `rps` accepted; larger values count as this.
    static let maximumRPS = 1_000_000.0
    /// The largest latency accepted, in milliseconds.
    static let maximumLatencyMs = 3_600_000.0
    /// The most series the metrics keep; traffic to further series is not counted.
    static let maximumSeries = 10_000

    /// ingress-nginx's canary annotations.
    static let canaryAnnotation = "nginx.ingress.kubernetes.io/canary"
    static let canaryWeightAnnotation = "nginx.ingress.kubernetes.io/canary-weight"
    static let canaryWeightTotalAnnotation = "nginx.ingress.kubernetes.io/canary-weight-total"
    /// The ingress class whose Ingresses are entry points.
    static let ingressClass = "nginx"

    /// The upper bounds of the latency histogram's buckets, in seconds, as Prometheus writes them
    /// (the client libraries' default buckets); `+Inf` follows.
    static let buckets: [(bound: Double, label: String)] = [
        (0.005, "0.005"), (0.01, "0.01"), (0.025, "0.025"), (0.05, "0.05"), (0.1, "0.1"), (0.25, "0.25"), (0.5, "0.5"),
        (1, "1"), (2.5, "2.5"), (5, "5"), (10, "10"),
    ]

    /// The storage identities whose objects decide routing.
    static let services = "/services"
    static let deployments = "apps/deployments"
    static let ingresses = "networking.k8s.io/ingresses"
    static let httpRoutes = "gateway.networking.k8s.io/httproutes"
    static let watched: Set<String> = [services, deployments, ingresses, httpRoutes]

    /// The `rps` an object asks for, or `nil` when it is no entry point.
    static func rps(_ object: JSONObject) -> Double? {
        guard let text = object.annotations[rpsAnnotation], let value = Double(text), value.isFinite, value >= 0 else { return nil }
        return min(value, maximumRPS)
    }

    /// The error rate a pod template answers with: the annotation, else 0.5 for an `-errors` tag, else 0.
    static func errorRate(template: JSONValue?) -> Double {
        let annotations = template?["metadata"]?["annotations"]
        if let text = annotations?[errorRateAnnotation]?.stringValue, let value = Double(text), value.isFinite {
            return min(max(value, 0), 1)
        }
        let containers = template?["spec"]?["containers"]?.arrayValue ?? []
        return containers.contains { $0["image"]?.stringValue?.hasSuffix(erroringTagSuffix) == true } ? erroringTagRate : 0
    }

    /// The latency a pod template answers with, in seconds.
    static func latency(template: JSONValue?) -> Double {
        guard let text = template?["metadata"]?["annotations"]?[latencyAnnotation]?.stringValue, let value = Double(text),
            value.isFinite, value >= 0
        else { return defaultLatency }
        return min(value, maximumLatencyMs) / 1000
    }
}
