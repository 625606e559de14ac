import Foundation

/// One analysis: its metrics' state, persisted in `Rollout.status` so a controller killed
/// mid-run resumes where it stopped. The JSON is compact and stable (see `AnalysisRun+JSON`).
///
/// ```swift
/// var run = AnalysisRun(id: "a1b2", metrics: metrics, now: now)
/// run = await runner.tick(run, metrics: resolved, context: context, now: now)
/// if run.phase == .failed { /* abort with run.message */ }
/// ```
public struct AnalysisRun: Sendable, Hashable, Codable {
    /// The run's identifier, unique per Rollout (it names the run's Jobs).
    public var id: String
    /// Running, Successful, Failed, Error or Inconclusive.
    public var phase: AnalysisPhase
    /// When the run started (`initialDelay` counts from here).
    public var startedAt: Date
    /// The metrics, in the order they were written.
    public var metrics: [MetricRun]
    /// Why the run is in its phase: `success-rate 0.8 < min 0.95 (1 failure > failureLimit 0)`.
    public var message: String?

    /// Creates a run.
    public init(id: String, phase: AnalysisPhase = .running, startedAt: Date, metrics: [MetricRun], message: String? = nil) {
        self.id = id
        self.phase = phase
        self.startedAt = startedAt
        self.metrics = metrics
        self.message = message
    }

    /// A new run of `metrics` started `now` (to the second, as the status keeps it).
    public init(id: String, metrics: [Metric], now: Date) {
        self.init(id: id, startedAt: JSONCoding.second(now), metrics: metrics.map { MetricRun(name: $0.name) })
    }

    /// The state of the metric `name`.
    public subscript(metric name: String) -> MetricRun? {
        get { metrics.first { $0.name == name } }
        set {
            guard let newValue else { return }
            if let index = metrics.firstIndex(where: { $0.name == name }) {
                metrics[index] = newValue
            } else {
                metrics.append(newValue)
            }
        }
    }

}
