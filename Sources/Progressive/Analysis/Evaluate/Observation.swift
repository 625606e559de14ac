/// What a provider saw, before the metric's condition judges it (`AnalysisEvaluator.measurement`).
/// Providers stay free of policy: no limits, no thresholds, no noData rule.
public enum Observation: Sendable, Hashable {
    /// A value, judged against the metric's threshold or equals.
    case value(MetricValue)
    /// No data (an empty vector, NaN, a JSON path that selects nothing), and why.
    case noData(String)
    /// The measurement could not be taken, and why (already free of credentials).
    case error(String)
    /// Still in flight (a Job running); `resumeKey` finds it again on the next tick.
    case running(resumeKey: String, message: String)
    /// A verdict the provider reaches itself (a Job Complete or Failed).
    case finished(AnalysisPhase, message: String)
}
