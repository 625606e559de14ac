extension AnalysisEvaluator {
    /// Sets each undecided metric's phase and the run's phase and message.
    ///
    /// A metric: Failed when failed > failureLimit; else Inconclusive when inconclusive >
    /// inconclusiveLimit; else Error when consecutiveError > consecutiveErrorLimit; else
    /// Successful when its effective count is reached; else Running. A metric without a count
    /// (background analysis) never passes on its own: it passes when the run is stopped.
    ///
    /// Once a metric is Failed, Error or Inconclusive the run is terminating: the others,
    /// unless a measurement of theirs is in flight, end Successful as far as they got (Argo).
    ///
    /// The run: Failed if any metric Failed; else Error if any Error; else Inconclusive if any
    /// Inconclusive and none still has a measurement in flight; Successful when all are; else Running.
    ///
    /// - Parameter stopping: the run is being stopped (the rollout moved on, was aborted or promoted).
    public static func assess(_ run: inout AnalysisRun, metrics: [Metric], stopping: Bool = false) {
        guard !run.phase.isCompleted else { return }
        for pass in 0..<2 {
            let terminating = stopping || (pass == 1 && isTerminating(run))
            for metric in metrics {
                var state = run[metric: metric.name] ?? MetricRun(name: metric.name)
                guard !state.phase.isCompleted else { continue }
                (state.phase, state.message) = phase(of: state, metric: metric, terminating: terminating)
                run[metric: metric.name] = state
            }
        }
        (run.phase, run.message) = phase(of: run)
    }

    /// The phase of one metric and why, by Argo's rules in Argo's order.
    static func phase(of state: MetricRun, metric: Metric, terminating: Bool) -> (AnalysisPhase, String?) {
        guard let last = state.last else {
            return terminating ? (.successful, "\(metric.name): stopped before it was measured") : (.running, nil)
        }
        if last.phase == .running { return (.running, last.message) }
        if state.failed > metric.failureLimit {
            let reason = "\(state.failed) \(plural(state.failed, "failure")) > failureLimit \(metric.failureLimit)"
            return (.failed, "\(lastMessage(state, .failed, metric)) (\(reason))")
        }
        if state.inconclusive > metric.inconclusiveLimit {
            return (
                .inconclusive,
                "\(lastMessage(state, .inconclusive, metric)) (\(state.inconclusive) inconclusive > inconclusiveLimit \(metric.inconclusiveLimit))"
            )
        }
        if state.consecutiveError > metric.consecutiveErrorLimit {
            let reason = "\(state.consecutiveError) consecutive errors > consecutiveErrorLimit \(metric.consecutiveErrorLimit)"
            return (.error, "\(lastMessage(state, .error, metric)) (\(reason))")
        }
        if let count = metric.effectiveCount, state.count >= count {
            return (.successful, "\(metric.name) passed: \(tally(state))")
        }
        if terminating { return (.successful, "\(metric.name) stopped after \(tally(state))") }
        return (.running, last.message)
    }

    /// The run's phase from its metrics' phases, and the message of the metrics that decided it.
    static func phase(of run: AnalysisRun) -> (AnalysisPhase, String?) {
        let phases = run.metrics.map(\.phase)
        let worst = phases.max() ?? .successful
        let decided: AnalysisPhase
        switch worst {
        case .failed, .error: decided = worst
        case .inconclusive: decided = phases.contains(.running) ? .running : .inconclusive
        case .successful: decided = .successful
        case .running: decided = .running
        }
        let deciding = decided == .running ? run.metrics.filter { $0.phase == .running } : run.metrics.filter { $0.phase == decided }
        let message = deciding.compactMap(\.message).joined(separator: "; ")
        return (decided, message.isEmpty ? nil : message)
    }

    /// `4 measurements (3 successful, 1 failed)`.
    static func tally(_ state: MetricRun) -> String {
        var parts = ["\(state.successful) successful"]
        if state.failed > 0 { parts.append("\(state.failed) failed") }
        if state.inconclusive > 0 { parts.append("\(state.inconclusive) inconclusive") }
        if state.error > 0 { parts.append("\(state.error) \(plural(state.error, "error"))") }
        return "\(state.count) \(plural(state.count, "measurement")) (\(parts.joined(separator: ", ")))"
    }

    /// The message of the last measurement in `phase`, or a plain one when none is kept.
    private static func lastMessage(_ state: MetricRun, _ phase: AnalysisPhase, _ metric: Metric) -> String {
        state.measurements.last { $0.phase == phase }?.message ?? "\(metric.name) \(phase.rawValue.lowercased())"
    }

    private static func plural(_ count: Int, _ word: String) -> String { count == 1 ? word : word + "s" }
}
