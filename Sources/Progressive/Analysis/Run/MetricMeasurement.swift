import Foundation

/// One measurement of a metric, as kept in `Rollout.status` (the last 10 per metric).
public struct MetricMeasurement: Sendable, Hashable, Codable {
    /// Running (a Job in flight), Successful, Failed, Inconclusive or Error.
    public var phase: AnalysisPhase
    /// The value measured, as shown: `0.97`, `true`; nil when there was none.
    public var value: String?
    /// When the measurement started.
    public var startedAt: Date
    /// When it finished; nil while running.
    public var finishedAt: Date?
    /// Why it came out as it did: `success-rate 0.8 < min 0.95`.
    public var message: String?
    /// What finds an in-flight measurement again after a restart: the Job's name.
    public var resumeKey: String?

    /// Creates a measurement.
    public init(
        phase: AnalysisPhase, value: String? = nil, startedAt: Date, finishedAt: Date? = nil, message: String? = nil, resumeKey: String? = nil
    ) {
        self.phase = phase
        self.value = value
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.message = message
        self.resumeKey = resumeKey
    }
}
