/// The phase of a run, a metric or one measurement, as Argo Rollouts names them.
public enum AnalysisPhase: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Still measuring (or, for a measurement, in flight: a Job not yet finished).
    case running = "Running"
    /// Passed.
    case successful = "Successful"
    /// Neither passed nor failed (no data, too many inconclusive measurements): pauses a rollout.
    case inconclusive = "Inconclusive"
    /// Could not measure (too many errors in a row): aborts a rollout.
    case error = "Error"
    /// Failed: aborts a rollout.
    case failed = "Failed"

    /// Whether the phase is final.
    public var isCompleted: Bool { self != .running }

    /// Worse phases sort later, Argo's order: Successful, Running, Inconclusive, Error, Failed.
    public static func < (lhs: AnalysisPhase, rhs: AnalysisPhase) -> Bool { lhs.severity < rhs.severity }

    private var severity: Int {
        switch self {
        case .successful: 0
        case .running: 1
        case .inconclusive: 2
        case .error: 3
        case .failed: 4
        }
    }
}
