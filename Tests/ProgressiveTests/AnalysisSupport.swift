import Foundation
import Manifests
import Progressive

/// Metrics, runs and times the analysis tests share.
enum AnalysisSupport {
    /// The start of every test run.
    static let start = Date(timeIntervalSince1970: 1_700_000_000)

    /// `start` plus `seconds`.
    static func at(_ seconds: Double) -> Date { start.addingTimeInterval(seconds) }

    /// A prometheus metric named `name` (threshold min 0.95 unless `fields` says otherwise),
    /// with `fields` written over the defaults, read as a template would be.
    static func metric(_ name: String = "success-rate", _ fields: [String: JSONValue] = [:]) -> Metric {
        var object: JSONObject = [
            "name": .string(name), "threshold": ["min": 0.95],
            "provider": ["prometheus": ["address": "http://prometheus:9090", "query": "sum(up)"]],
        ]
        for (key, value) in fields {
            if key == "equals" { object["threshold"] = nil }
            object[key] = value == .null ? nil : value
        }
        do {
            return try Metric.parseList([.object(object)], path: "metrics", arguments: nil)[0]
        } catch {
            fatalError("fixture metric does not parse: \(error)")
        }
    }

    /// A finished measurement in `phase` at `seconds`.
    static func measurement(_ phase: AnalysisPhase, at seconds: Double = 0, message: String? = nil) -> MetricMeasurement {
        MetricMeasurement(
            phase: phase, value: nil, startedAt: at(seconds), finishedAt: phase == .running ? nil : at(seconds), message: message,
            resumeKey: phase == .running ? "job-1" : nil)
    }

    /// A run of `metrics` with `phases` recorded per metric (one second apart) and then assessed.
    static func run(_ metrics: [Metric], _ phases: [[AnalysisPhase]]) -> AnalysisRun {
        var run = AnalysisRun(id: "r1", metrics: metrics, now: start)
        for (metric, list) in zip(metrics, phases) {
            for (index, phase) in list.enumerated() {
                AnalysisEvaluator.record(
                    measurement(phase, at: Double(index), message: "\(metric.name) \(phase.rawValue)"), metric: metric.name, in: &run)
            }
        }
        AnalysisEvaluator.assess(&run, metrics: metrics)
        return run
    }
}
