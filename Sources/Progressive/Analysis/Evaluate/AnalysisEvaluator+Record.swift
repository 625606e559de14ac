extension AnalysisEvaluator {
    /// Adds `measurement` to metric `name` (replacing the in-flight one it finishes) and counts
    /// it the way Argo does: a finished Successful, Failed or Inconclusive measurement counts
    /// toward `count` and resets `consecutiveError`; an Error counts as an error and one more
    /// in a row. Only the last `MetricRun.measurementHistory` measurements are kept.
    public static func record(_ measurement: MetricMeasurement, metric name: String, in run: inout AnalysisRun) {
        var state = run[metric: name] ?? MetricRun(name: name)
        if state.inFlight != nil {
            state.measurements[state.measurements.count - 1] = measurement
        } else {
            state.measurements.append(measurement)
        }
        switch measurement.phase {
        case .running: break
        case .successful: state.successful += 1
        case .failed: state.failed += 1
        case .inconclusive: state.inconclusive += 1
        case .error:
            state.error += 1
            state.consecutiveError += 1
        }
        if [.successful, .failed, .inconclusive].contains(measurement.phase) {
            state.count += 1
            state.consecutiveError = 0
        }
        if state.measurements.count > MetricRun.measurementHistory {
            state.measurements.removeFirst(state.measurements.count - MetricRun.measurementHistory)
        }
        run[metric: name] = state
    }
}
