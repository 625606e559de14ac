import Foundation

/// The pure rules of analysis, Argo Rollouts' semantics: which metrics are due, how a
/// measurement is judged and counted, and what phase a metric and a run are in. No I/O; time
/// comes only from `now`, so every rule is a table test.
///
/// ```swift
/// for due in AnalysisEvaluator.due(run, metrics: metrics, now: now) { … measure … }
/// AnalysisEvaluator.record(measurement, metric: name, in: &run)
/// AnalysisEvaluator.assess(&run, metrics: metrics)
/// ```
public enum AnalysisEvaluator {
    /// How soon an in-flight measurement (a running Job) is looked at again.
    public static let inFlightPoll = Duration.seconds(5)

    /// The metrics to measure at `now`, in the order written:
    /// - an in-flight measurement is always resumed;
    /// - once the run is decided or terminating (a metric Failed, Error or Inconclusive), nothing new starts;
    /// - the first measurement waits `initialDelay` from the run's start;
    /// - a metric that reached its effective count takes no more;
    /// - otherwise the next starts `spacing` after the last finished (at that instant or later).
    public static func due(_ run: AnalysisRun, metrics: [Metric], now: Date) -> [DueMeasurement] {
        guard !run.phase.isCompleted else { return [] }
        let terminating = isTerminating(run)
        return metrics.compactMap { metric -> DueMeasurement? in
            let state = run[metric: metric.name] ?? MetricRun(name: metric.name)
            guard !state.phase.isCompleted else { return nil }
            if let inFlight = state.inFlight { return DueMeasurement(metric: metric.name, inFlight: inFlight) }
            guard !terminating else { return nil }
            return nextStart(metric, state, run: run).map { $0 <= now } == true ? DueMeasurement(metric: metric.name) : nil
        }
    }

    /// When the next measurement of any metric is due, to requeue the run: nil when the run
    /// is decided or nothing more will be measured.
    public static func nextTick(_ run: AnalysisRun, metrics: [Metric], now: Date) -> Date? {
        guard !run.phase.isCompleted else { return nil }
        let terminating = isTerminating(run)
        return metrics.compactMap { metric -> Date? in
            let state = run[metric: metric.name] ?? MetricRun(name: metric.name)
            guard !state.phase.isCompleted else { return nil }
            if state.inFlight != nil { return now.addingTimeInterval(inFlightPoll.seconds) }
            return terminating ? nil : nextStart(metric, state, run: run)
        }.min()
    }

    /// When the next new measurement of `metric` may start; nil when it takes no more.
    static func nextStart(_ metric: Metric, _ state: MetricRun, run: AnalysisRun) -> Date? {
        guard let last = state.last else {
            return run.startedAt.addingTimeInterval((metric.initialDelay ?? .zero).seconds)
        }
        if let count = metric.effectiveCount, state.count >= count { return nil }
        return (last.finishedAt ?? last.startedAt).addingTimeInterval(metric.spacing.seconds)
    }

    /// Whether a metric has already decided the run, so no new measurement starts (Argo's
    /// `IsTerminating`).
    public static func isTerminating(_ run: AnalysisRun) -> Bool {
        run.metrics.contains { [.failed, .error, .inconclusive].contains($0.phase) }
    }
}
