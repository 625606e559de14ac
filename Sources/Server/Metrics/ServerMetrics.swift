import Controller
import Foundation
import Sync

/// The metrics the server exposes at `/metrics`: what it counts itself (HTTP requests,
/// webhooks), what the controller reports through `ControllerHandle.metrics`, and, computed at
/// each scrape from the applications' status, the per-application gauges.
public struct ServerMetrics: Sendable {
    /// Counters and histograms recorded as things happen.
    public let registry: MetricsRegistry

    /// Creates the metrics with an empty registry.
    public init(registry: MetricsRegistry = MetricsRegistry()) { self.registry = registry }

    /// Records one HTTP request; `route` is the route's template (bounded set), not the raw path.
    public func recordRequest(method: String, route: String, code: Int, seconds: Double) {
        registry.increment(
            "keelson_http_requests_total", help: "HTTP requests served, by method, route and status code.",
            labels: ["method": method, "route": route, "code": String(code)])
        registry.observe(
            "keelson_http_request_duration_seconds", help: "Time to answer an HTTP request (until the response head), by route.",
            labels: ["route": route], value: seconds)
    }

    /// Records one webhook delivery; `outcome` is `refreshed`, `ignored`, `unauthenticated`, `too_large`, `malformed`.
    public func recordWebhook(provider: String, outcome: String) {
        registry.increment(
            "keelson_webhook_requests_total", help: "Webhook deliveries, by provider and outcome.",
            labels: ["provider": provider, "outcome": outcome])
    }

    /// Records a measurement the controller reported.
    public func record(_ metric: ControllerMetric) {
        switch metric {
        case .reconcile(let application, let seconds, let result):
            let labels = Self.applicationLabels(application)
            registry.increment(
                "keelson_reconcile_total", help: "Reconciles, by application and result.", labels: labels.merging(["result": result]) { $1 })
            registry.observe("keelson_reconcile_duration_seconds", help: "Time a reconcile took, by application.", labels: labels, value: seconds)
        case .sync(let application, let seconds, let result):
            let labels = Self.applicationLabels(application)
            registry.increment("keelson_sync_total", help: "Syncs, by application and result.", labels: labels.merging(["result": result]) { $1 })
            registry.set(
                "keelson_application_last_sync_duration_seconds", help: "How long the application's last sync took.", labels: labels, to: seconds)
            registry.observe("keelson_sync_duration_seconds", help: "Time a sync took, by application.", labels: labels, value: seconds)
        case .gitFetch(let repository, let seconds, let result):
            registry.increment(
                "keelson_git_fetch_total", help: "Git fetches, by repository and result.", labels: ["repository": repository, "result": result])
            registry.observe(
                "keelson_git_fetch_duration_seconds", help: "Time a Git fetch took, by repository.", labels: ["repository": repository],
                value: seconds)
        case .kubernetesRequest(let verb, let code):
            registry.increment(
                "keelson_kubernetes_requests_total", help: "Kubernetes API requests, by verb and HTTP status code (0: no answer).",
                labels: ["verb": verb, "code": String(code)])
        case .queueDepth(let depth):
            registry.set("keelson_queue_depth", help: "Applications due for a reconcile and waiting for a worker.", to: Double(depth))
        case .notification(let provider, let type, let result, let seconds, let retries):
            registry.increment(
                "keelson_notifications_total", help: "Notifications, by provider, event type and result.",
                labels: ["provider": provider, "type": type, "result": result])
            registry.increment(
                "keelson_notification_retries_total", help: "Notification requests sent again after a failure, by provider.",
                labels: ["provider": provider], by: Double(retries))
            if result == "delivered" || result == "failed" {
                registry.observe(
                    "keelson_notification_duration_seconds", help: "Time a notification took, retries included, by provider.",
                    labels: ["provider": provider], value: seconds)
            }
        case .pullRequestPlan(let forge, let result):
            registry.increment(
                "keelson_pr_plans_total", help: "Pull-request plans of --pr-plans, by forge and result.", labels: ["forge": forge, "result": result])
        case .rolloutTransition(let to):
            registry.increment("keelson_rollout_transitions_total", help: "Rollout phase changes, by the phase entered.", labels: ["to": to])
        case .analysisMeasurement(let metric, let outcome):
            registry.increment(
                "keelson_analysis_measurements_total", help: "Analysis measurements taken, by metric and outcome.",
                labels: ["metric": metric, "outcome": outcome])
        case .sealedSecretsDisabled(let reason):
            registry.set(
                "keelson_sealed_secrets_disabled", help: "1 when the SealedSecrets controller stands aside, by reason (foreign-crd: Bitnami's CRD).",
                labels: ["reason": reason], to: 1)
        }
    }

    /// An RFC 3339 time with or without fractional seconds.
    static func parseTimestamp(_ text: String) -> Date? {
        (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))) ?? (try? Date(text, strategy: .iso8601))
    }

    /// `namespace/name` as the `namespace` and `application` labels.
    static func applicationLabels(_ id: String) -> [String: String] {
        let parts = id.split(separator: "/", maxSplits: 1).map(String.init)
        return parts.count == 2 ? ["namespace": parts[0], "application": parts[1]] : ["namespace": "", "application": id]
    }

    /// The whole exposition: the recorded families, then the per-application gauges of
    /// `applications` and the reachability of `clusters`.
    public func render(applications: [ApplicationView], clusters: [ClusterConnection] = []) -> String {
        let gauges = MetricsRegistry()
        ProcessMetrics.record(into: gauges)
        for cluster in clusters {
            guard let reachable = cluster.reachable else { continue }
            gauges.set(
                "keelson_cluster_reachable", help: "1 when the registered cluster answered its last check, 0 when it did not.",
                labels: ["cluster": cluster.name], to: reachable ? 1 : 0)
        }
        gauges.set("keelson_applications", help: "Applications known to the controller.", to: Double(applications.count))
        for view in applications {
            let labels = ["namespace": view.namespace, "application": view.name]
            let sync = view.status["sync"]?["status"]?.stringValue.flatMap(SyncStatus.init(rawValue:)) ?? .unknown
            for status in SyncStatus.allCases {
                gauges.set(
                    "keelson_application_sync_status", help: "1 for the application's current sync status, 0 for the others.",
                    labels: labels.merging(["status": status.rawValue]) { $1 }, to: sync == status ? 1 : 0)
            }
            let health = view.status["health"]?["status"]?.stringValue ?? HealthStatus.unknown.rawValue
            for status in HealthStatus.allCases {
                gauges.set(
                    "keelson_application_health_status", help: "1 for the application's current health, 0 for the others.",
                    labels: labels.merging(["status": status.rawValue]) { $1 }, to: health == status.rawValue ? 1 : 0)
            }
            let operation = view.status["operation"] ?? .null
            if let result = operation["result"]?.stringValue {
                for candidate in ChangeSet.Result.allCases.map(\.rawValue) {
                    gauges.set(
                        "keelson_application_last_sync_result", help: "1 for the result of the application's last sync, 0 for the other.",
                        labels: labels.merging(["result": candidate]) { $1 }, to: result == candidate ? 1 : 0)
                }
            }
            if let finished = operation["finishedAt"]?.stringValue, let date = Self.parseTimestamp(finished) {
                gauges.set(
                    "keelson_application_last_sync_timestamp_seconds", help: "When the application's last sync finished (Unix time).",
                    labels: labels, to: date.timeIntervalSince1970.rounded())
            }
            gauges.set(
                "keelson_application_suspended", help: "1 when the application is suspended.", labels: labels,
                to: view.application?.spec.suspend == true ? 1 : 0)
            Self.recordRollouts(of: view, into: gauges)
        }
        return registry.render() + gauges.render()
    }
}
