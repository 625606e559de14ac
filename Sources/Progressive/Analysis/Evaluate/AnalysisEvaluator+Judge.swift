import Foundation

extension AnalysisEvaluator {
    /// The measurement `observation` makes for `metric`: a value against the threshold
    /// (inclusive bounds) or equals, no data through the metric's `noData` policy.
    public static func measurement(_ observation: Observation, metric: Metric, startedAt: Date, now: Date) -> MetricMeasurement {
        let finished = JSONCoding.second(now)
        var measurement = MetricMeasurement(phase: .running, startedAt: JSONCoding.second(startedAt), finishedAt: finished)
        switch observation {
        case .value(let value):
            if let number = value.number, number.isNaN {
                return self.measurement(.noData("the value is NaN"), metric: metric, startedAt: startedAt, now: now)
            }
            measurement.value = value.description
            (measurement.phase, measurement.message) = judge(value, metric: metric)
        case .noData(let reason):
            measurement.phase =
                switch metric.noData {
                case .inconclusive: .inconclusive
                case .fail: .failed
                case .pass: .successful
                }
            measurement.message = "\(metric.name): no data (\(reason)); noData: \(metric.noData.rawValue)"
        case .error(let reason):
            measurement.phase = .error
            measurement.message = "\(metric.name): \(reason)"
        case .running(let key, let message):
            measurement.phase = .running
            measurement.finishedAt = nil
            measurement.resumeKey = key
            measurement.message = message
        case .finished(let phase, let message):
            measurement.phase = phase
            measurement.message = message
        }
        return measurement
    }

    /// The phase and message of `value` under `metric`'s condition.
    static func judge(_ value: MetricValue, metric: Metric) -> (AnalysisPhase, String) {
        let name = metric.name
        switch metric.condition {
        case nil:
            return (.successful, "\(name) \(value)")
        case .equals(let expected):
            return value.matches(expected) ? (.successful, "\(name) \(value) == \(expected)") : (.failed, "\(name) \(value) != \(expected)")
        case .threshold(let min, let max):
            guard let number = value.number else { return (.error, "\(name) \(value) is not a number; threshold needs one") }
            let shown = MetricValue.format(number)
            if let min, number < min { return (.failed, "\(name) \(shown) < min \(MetricValue.format(min))") }
            if let max, number > max { return (.failed, "\(name) \(shown) > max \(MetricValue.format(max))") }
            let bounds = [min.map { ">= min \(MetricValue.format($0))" }, max.map { "<= max \(MetricValue.format($0))" }]
            return (.successful, "\(name) \(shown) " + bounds.compactMap { $0 }.joined(separator: " and "))
        }
    }
}
