import Foundation
import Kube

/// Settings of the notification service.
public struct NotificationConfiguration: Sendable {
    /// The controller's namespace: the home of cluster-wide Alerts (`namespace: "*"`).
    public var controllerNamespace = "keelson"
    /// Where Applications, Providers and Alerts are watched.
    public var watchScope: WatchScope = .cluster
    /// The dashboard's address, for `{{url}}`.
    public var externalURL: String?
    /// Install the Provider and Alert CRDs when missing.
    public var installCRDs = true
    /// How many Applications' notifications are delivered at once.
    public var concurrency = 4
    /// How long an Application whose delivery failed for now waits before its events are tried again.
    public var retryAfterFailure: Duration = .seconds(60)
    /// The wall-clock time deliveries are stamped and rate-limited with.
    public var now: @Sendable () -> Date = { Date() }
    /// Receives a measurement per delivery (the server's `/metrics`).
    public var onMetric: @Sendable (NotificationMetric) -> Void = { _ in }

    public init() {}
}

/// One delivery, measured: to `provider` (`namespace/name`), of event `type`; `result` is
/// `delivered`, `failed`, `skipped` or `suppressed`; `retries` requests were sent again.
public struct NotificationMetric: Sendable, Hashable {
    public var provider: String
    public var type: String
    public var result: String
    public var seconds: Double
    public var retries: Int
}
