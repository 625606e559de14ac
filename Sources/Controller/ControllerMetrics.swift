import Synchronization

/// One measurement the controller reports; the server turns them into Prometheus metrics.
public enum ControllerMetric: Sendable, Hashable {
    /// A reconcile of `application` (`namespace/name`) took `seconds`; `result` is `success` or `failure`.
    case reconcile(application: String, seconds: Double, result: String)
    /// A sync of `application` took `seconds`; `result` is `Succeeded` or `Failed`.
    case sync(application: String, seconds: Double, result: String)
    /// A Git fetch (or resolve) of `repository` took `seconds`; `result` is `success` or `failure`.
    case gitFetch(repository: String, seconds: Double, result: String)
    /// A Kubernetes API request with `verb` (`get`, `list`, `apply`...) answered with HTTP `code` (0: no answer).
    case kubernetesRequest(verb: String, code: Int)
    /// How many applications are due and waiting for a worker.
    case queueDepth(Int)
    /// A notification to `provider` (`namespace/name`) of event `type` took `seconds`; `result`
    /// is `delivered`, `failed`, `skipped` or `suppressed` (the rate limit); `retries` were made.
    case notification(provider: String, type: String, result: String, seconds: Double, retries: Int)
    /// A pull request's plan (`--pr-plans`) on `forge`; `result` is `posted`, `failed`, `skipped`
    /// (not followed, or a fork), `superseded` (a newer head came first) or `dropped` (queue full).
    case pullRequestPlan(forge: String, result: String)
    /// A Rollout's phase changed to `to` (`Progressing`, `Paused`, `Promoting`, `Healthy`, `Aborted`).
    case rolloutTransition(to: String)
    /// An analysis measured `metric`; `outcome` is `Successful`, `Failed`, `Inconclusive` or `Error`.
    case analysisMeasurement(metric: String, outcome: String)
    /// The SealedSecrets controller stands aside for `reason` (`foreign-crd`: Bitnami's CRD is installed).
    case sealedSecretsDisabled(reason: String)
}

/// Where the controller's call sites report measurements. Without a recorder installed
/// (no server running) reports are dropped, so recording is always cheap and safe.
///
/// ```swift
/// controller.handle.metrics.record(.reconcile(application: app.id, seconds: 0.4, result: "success"))
/// ```
public final class ControllerMetrics: Sendable {
    private let recorder = Mutex<(@Sendable (ControllerMetric) -> Void)?>(nil)

    /// Creates a hook with no recorder.
    public init() {}

    /// Installs the function that receives every measurement (the server's metrics registry).
    public func install(_ recorder: @escaping @Sendable (ControllerMetric) -> Void) {
        self.recorder.withLock { $0 = recorder }
    }

    /// Reports one measurement.
    public func record(_ metric: ControllerMetric) {
        let recorder = self.recorder.withLock { $0 }
        recorder?(metric)
    }
}
