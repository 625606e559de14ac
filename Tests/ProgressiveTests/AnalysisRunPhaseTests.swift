import Foundation
import Manifests
import Progressive
import Testing

/// Two metrics' histories and the run phase they must give.
struct RunCase: Sendable, CustomTestStringConvertible {
    var rule: String
    var first: [AnalysisPhase]
    var second: [AnalysisPhase]
    var phase: AnalysisPhase
    var testDescription: String { rule }
}

@Suite struct AnalysisRunPhaseTests {
    typealias S = AnalysisSupport

    static let cases: [RunCase] = [
        // Any Failed metric fails the run at once, even with the other still measuring.
        RunCase(rule: "failed wins while others run", first: [.failed], second: [.successful], phase: .failed),
        // Any Error metric errs the run.
        RunCase(rule: "error decides", first: [.error, .error, .error, .error, .error], second: [.successful, .successful], phase: .error),
        // Failed is worse than Error.
        RunCase(rule: "failed beats error", first: [.error, .error, .error, .error, .error], second: [.failed], phase: .failed),
        // Inconclusive waits for a measurement still in flight elsewhere.
        RunCase(rule: "inconclusive waits for in-flight", first: [.inconclusive, .inconclusive], second: [.running], phase: .running),
        // With nothing in flight, Inconclusive decides and the others stop (Argo's terminate).
        RunCase(rule: "inconclusive decides", first: [.inconclusive, .inconclusive], second: [.successful], phase: .inconclusive),
        // Successful when every metric is.
        RunCase(rule: "all successful", first: [.successful, .successful], second: [.successful, .successful], phase: .successful),
        // Running while any metric is.
        RunCase(rule: "one still running", first: [.successful, .successful], second: [.successful], phase: .running),
    ]

    @Test(arguments: cases)
    func runPhase(_ row: RunCase) {
        let metrics = [S.metric("a", ["count": 2]), S.metric("b", ["count": 2])]
        #expect(S.run(metrics, [row.first, row.second]).phase == row.phase)
    }

    // The run's message is the deciding metric's, as `keelson rollout status` prints after "aborted: ".
    @Test func failedRunQuotesTheMetric() {
        let metric = S.metric("success-rate", ["count": 4, "failureLimit": 1])
        var run = AnalysisRun(id: "r1", metrics: [metric], now: S.start)
        for (second, value) in [0.99, 0.82, 0.8].enumerated() {
            let measurement = AnalysisEvaluator.measurement(
                .value(.number(value)), metric: metric, startedAt: S.at(Double(second)), now: S.at(Double(second)))
            AnalysisEvaluator.record(measurement, metric: metric.name, in: &run)
            AnalysisEvaluator.assess(&run, metrics: [metric])
        }
        #expect(run.phase == .failed)
        #expect(run.message == "success-rate 0.8 < min 0.95 (2 failures > failureLimit 1)")
    }

    // Stopping a background run that never failed passes it; one that failed stays failed.
    @Test func stoppingBackgroundPasses() {
        let metric = S.metric("latency", ["interval": "10s"])
        var run = S.run([metric], [[.successful, .successful]])
        #expect(run.phase == .running)
        AnalysisEvaluator.assess(&run, metrics: [metric], stopping: true)
        #expect(run.phase == .successful)
        #expect(run.message == "latency stopped after 2 measurements (2 successful)")
    }
}
