import Foundation
import Manifests
import Progressive
import Testing

/// A metric, the measurements it took, and the phase (and message) the rules must give it.
struct MetricCase: Sendable, CustomTestStringConvertible {
    var rule: String
    var fields: [String: JSONValue]
    var measured: [AnalysisPhase]
    var phase: AnalysisPhase
    var message: String? = nil
    var testDescription: String { rule }
}

@Suite struct AnalysisEvaluatorTests {
    typealias S = AnalysisSupport
    static let s = AnalysisPhase.successful
    static let f = AnalysisPhase.failed
    static let i = AnalysisPhase.inconclusive
    static let e = AnalysisPhase.error
    static let r = AnalysisPhase.running

    static let metricCases: [MetricCase] = [
        // failureLimit is strict: the default 0 fails on the first failure (1 > 0).
        MetricCase(rule: "first failure fails with failureLimit 0", fields: ["count": 4], measured: [f], phase: .failed),
        // One failure is tolerated with failureLimit 1 while the count is not reached.
        MetricCase(rule: "failureLimit 1 tolerates one failure", fields: ["count": 4, "failureLimit": 1], measured: [f], phase: .running),
        // The second failure crosses failureLimit 1, and the message quotes both.
        MetricCase(
            rule: "failures > failureLimit fails with message", fields: ["count": 4, "failureLimit": 1], measured: [f, s, f], phase: .failed,
            message: "success-rate Failed (2 failures > failureLimit 1)"),
        // Reaching the count with tolerated failures passes (Argo ignores them once within limits).
        MetricCase(rule: "count reached within limits passes", fields: ["count": 2, "failureLimit": 1], measured: [f, s], phase: .successful),
        // The design's inconclusiveLimit default is 1: one inconclusive measurement is tolerated.
        MetricCase(rule: "default inconclusiveLimit tolerates one", fields: ["count": 3], measured: [i], phase: .running),
        // Two inconclusive measurements exceed the default limit of 1.
        MetricCase(
            rule: "inconclusive > inconclusiveLimit", fields: ["count": 3], measured: [i, i], phase: .inconclusive,
            message: "success-rate Inconclusive (2 inconclusive > inconclusiveLimit 1)"),
        // Argo's own default, 0, decides at the first inconclusive measurement.
        MetricCase(rule: "inconclusiveLimit 0", fields: ["count": 3, "inconclusiveLimit": 0], measured: [i], phase: .inconclusive),
        // Four errors in a row are within the default consecutiveErrorLimit of 4.
        MetricCase(rule: "4 consecutive errors tolerated", fields: ["count": 3], measured: [e, e, e, e], phase: .running),
        // The fifth error in a row exceeds it.
        MetricCase(
            rule: "5 consecutive errors > limit 4", fields: ["count": 3], measured: [e, e, e, e, e], phase: .error,
            message: "success-rate Error (5 consecutive errors > consecutiveErrorLimit 4)"),
        // A measurement that is not an error resets the run of errors.
        MetricCase(rule: "a success resets consecutive errors", fields: ["count": 9], measured: [e, e, e, e, s, e, e, e, e], phase: .running),
        // consecutiveErrorLimit 0 gives up at the first error.
        MetricCase(rule: "consecutiveErrorLimit 0", fields: ["count": 3, "consecutiveErrorLimit": 0], measured: [e], phase: .error),
        // Errors do not count toward count.
        MetricCase(rule: "errors do not count toward count", fields: ["count": 2], measured: [e, s], phase: .running),
        // With the errors aside, the count is reached.
        MetricCase(rule: "count reached after an error", fields: ["count": 2], measured: [e, s, s], phase: .successful),
        // Neither count nor interval: Argo's effective count of 1.
        MetricCase(rule: "no count, no interval measures once", fields: [:], measured: [s], phase: .successful),
        // Only an interval: background analysis never passes on its own.
        MetricCase(rule: "background metric keeps running", fields: ["interval": "10s"], measured: Array(repeating: s, count: 20), phase: .running),
        // A background metric still fails.
        MetricCase(rule: "background metric fails", fields: ["interval": "10s"], measured: [s, s, f], phase: .failed),
        // Failures are looked at before inconclusives (Argo's order).
        MetricCase(rule: "failure checked before inconclusive", fields: ["count": 5, "inconclusiveLimit": 0], measured: [i, f], phase: .failed),
        // Failures beyond the limit fail even when the count is reached.
        MetricCase(rule: "count reached with too many failures fails", fields: ["count": 2], measured: [s, f], phase: .failed),
        // A measurement in flight leaves the metric Running whatever the counters say.
        MetricCase(rule: "in-flight measurement keeps running", fields: ["count": 2], measured: [s, r], phase: .running),
        // The passing message tallies the measurements.
        MetricCase(
            rule: "passing message tallies", fields: ["count": 3, "failureLimit": 1], measured: [s, f, s], phase: .successful,
            message: "success-rate passed: 3 measurements (2 successful, 1 failed)"),
    ]

    @Test(arguments: metricCases)
    func metricPhase(_ row: MetricCase) {
        let metric = S.metric("success-rate", row.fields)
        let run = S.run([metric], [row.measured])
        let state = run[metric: "success-rate"]
        #expect(state?.phase == row.phase)
        if let message = row.message { #expect(state?.message == message) }
    }

    // Argo keeps the last 10 measurements; the counters keep counting.
    @Test func historyKeepsTheLastTen() {
        let run = S.run([S.metric("m", ["interval": "1s"])], [Array(repeating: .successful, count: 12)])
        #expect(run[metric: "m"]?.measurements.count == 10)
        #expect(run[metric: "m"]?.count == 12)
        #expect(run[metric: "m"]?.measurements.first?.startedAt == S.at(2))
    }

    // Recording a finished measurement over the in-flight one replaces it, counted once.
    @Test func finishingInFlightReplacesIt() {
        let metric = S.metric("job", ["count": 1])
        var run = AnalysisRun(id: "r1", metrics: [metric], now: S.start)
        AnalysisEvaluator.record(S.measurement(.running), metric: "job", in: &run)
        AnalysisEvaluator.record(S.measurement(.successful, at: 5), metric: "job", in: &run)
        AnalysisEvaluator.assess(&run, metrics: [metric])
        #expect(run[metric: "job"]?.measurements.count == 1)
        #expect(run[metric: "job"]?.count == 1)
        #expect(run.phase == .successful)
    }
}
