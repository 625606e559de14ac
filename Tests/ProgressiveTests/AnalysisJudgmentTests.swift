import Foundation
import Manifests
import Progressive
import Testing

/// An observation of a metric and the measurement it must make.
struct JudgmentCase: Sendable, CustomTestStringConvertible {
    var rule: String
    var fields: [String: JSONValue]
    var observation: Observation
    var phase: AnalysisPhase
    var message: String
    var testDescription: String { rule }
}

@Suite struct AnalysisJudgmentTests {
    static let cases: [JudgmentCase] = [
        // Below min fails, in the words the rollout status and notifications quote.
        JudgmentCase(rule: "below min fails", fields: [:], observation: .value(.number(0.8)), phase: .failed, message: "success-rate 0.8 < min 0.95"),
        // Bounds are inclusive: exactly min passes.
        JudgmentCase(
            rule: "min is inclusive", fields: [:], observation: .value(.number(0.95)), phase: .successful, message: "success-rate 0.95 >= min 0.95"),
        // Above max fails.
        JudgmentCase(
            rule: "above max fails", fields: ["threshold": ["max": 1]], observation: .value(.number(1.2)), phase: .failed,
            message: "success-rate 1.2 > max 1"),
        // Exactly max passes.
        JudgmentCase(
            rule: "max is inclusive", fields: ["threshold": ["max": 1]], observation: .value(.number(1)), phase: .successful,
            message: "success-rate 1 <= max 1"),
        // Between both bounds passes and names both.
        JudgmentCase(
            rule: "between min and max", fields: ["threshold": ["min": 0.1, "max": 0.9]], observation: .value(.number(0.5)), phase: .successful,
            message: "success-rate 0.5 >= min 0.1 and <= max 0.9"),
        // A web answer's numeric string is a number.
        JudgmentCase(
            rule: "numeric string is a number", fields: [:], observation: .value(.string("0.99")), phase: .successful,
            message: "success-rate 0.99 >= min 0.95"),
        // A boolean cannot meet a threshold: an Error, not a pass or a fail.
        JudgmentCase(
            rule: "threshold on a boolean is an error", fields: [:], observation: .value(.bool(true)), phase: .error,
            message: "success-rate true is not a number; threshold needs one"),
        // equals compares booleans.
        JudgmentCase(
            rule: "equals bool", fields: ["equals": true], observation: .value(.bool(true)), phase: .successful, message: "success-rate true == true"),
        // equals compares strings, and a mismatch fails.
        JudgmentCase(
            rule: "equals string mismatch", fields: ["equals": "ok"], observation: .value(.string("down")), phase: .failed,
            message: "success-rate down != ok"),
        // equals compares numbers by value, a numeric string included.
        JudgmentCase(
            rule: "equals number by value", fields: ["equals": 1], observation: .value(.string("1.0")), phase: .successful,
            message: "success-rate 1.0 == 1"),
        // No data is Inconclusive by default, and says so.
        JudgmentCase(
            rule: "no data is inconclusive by default", fields: [:], observation: .noData("the query returned no series"), phase: .inconclusive,
            message: "success-rate: no data (the query returned no series); noData: Inconclusive"),
        // noData: Fail makes no data a failure.
        JudgmentCase(
            rule: "noData Fail", fields: ["noData": "Fail"], observation: .noData("empty"), phase: .failed,
            message: "success-rate: no data (empty); noData: Fail"),
        // noData: Pass makes no data a success.
        JudgmentCase(
            rule: "noData Pass", fields: ["noData": "Pass"], observation: .noData("empty"), phase: .successful,
            message: "success-rate: no data (empty); noData: Pass"),
        // NaN is no data, not a failed comparison.
        JudgmentCase(
            rule: "NaN is no data", fields: [:], observation: .value(.number(.nan)), phase: .inconclusive,
            message: "success-rate: no data (the value is NaN); noData: Inconclusive"),
        // A provider error is an Error measurement naming the metric.
        JudgmentCase(
            rule: "provider error", fields: [:], observation: .error("prometheus answered HTTP 503: down"), phase: .error,
            message: "success-rate: prometheus answered HTTP 503: down"),
    ]

    @Test(arguments: cases)
    func judges(_ row: JudgmentCase) {
        let measurement = AnalysisEvaluator.measurement(
            row.observation, metric: AnalysisSupport.metric("success-rate", row.fields), startedAt: AnalysisSupport.start,
            now: AnalysisSupport.at(1.7))
        #expect(measurement.phase == row.phase)
        #expect(measurement.message == row.message)
        // Times are kept to the second, as the status stores them.
        #expect(measurement.finishedAt == AnalysisSupport.at(1))
    }

    // A running observation is in flight: no finish time, the resume key kept.
    @Test func runningKeepsTheResumeKey() {
        let measurement = AnalysisEvaluator.measurement(
            .running(resumeKey: "web-r1-smoke-1", message: "running"), metric: AnalysisSupport.metric(), startedAt: AnalysisSupport.start,
            now: AnalysisSupport.start)
        #expect(measurement.phase == .running)
        #expect(measurement.finishedAt == nil)
        #expect(measurement.resumeKey == "web-r1-smoke-1")
    }
}
