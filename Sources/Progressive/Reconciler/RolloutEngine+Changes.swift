import Manifests

extension RolloutEngine {
    /// A rollout's phase changed, and the status saying so was written.
    public struct Transition: Sendable, Hashable {
        public var namespace: String
        public var name: String
        public var from: RolloutState.Phase
        public var to: RolloutState.Phase
    }

    /// One measurement an analysis took during a tick: the metric and how it came out
    /// (`Successful`, `Failed`, `Inconclusive` or `Error`).
    public struct Measured: Sendable, Hashable {
        public var metric: String
        public var outcome: String
    }

    /// The measurements finished between `before` and `after` (a slot's runs at the start and
    /// the end of a tick), from the run's per-metric counters: a new run counts from zero.
    static func measurements(before: [String: AnalysisSlot], after: [String: AnalysisSlot]) -> [Measured] {
        var measured: [Measured] = []
        for (slot, current) in after.sorted(by: { $0.key < $1.key }) {
            guard let run = current.run.flatMap({ try? AnalysisRun(json: $0) }) else { continue }
            let previous = before[slot]?.run.flatMap { try? AnalysisRun(json: $0) }
            let earlier = previous?.id == run.id ? previous : nil
            for metric in run.metrics {
                let old = earlier?[metric: metric.name] ?? MetricRun(name: metric.name)
                let counts: [(AnalysisPhase, Int)] = [
                    (.successful, metric.successful - old.successful), (.failed, metric.failed - old.failed),
                    (.inconclusive, metric.inconclusive - old.inconclusive), (.error, metric.error - old.error),
                ]
                for (phase, count) in counts where count > 0 {
                    measured += Array(repeating: Measured(metric: metric.name, outcome: phase.rawValue), count: count)
                }
            }
        }
        return measured
    }
}
