import Foundation
import Manifests
import Progressive
import Testing

/// A metric's history and the time asked about, and whether it is due then.
struct DueCase: Sendable, CustomTestStringConvertible {
    var rule: String
    var fields: [String: JSONValue]
    var measured: [AnalysisPhase]
    var now: Double
    var due: Bool
    var testDescription: String { rule }
}

@Suite struct AnalysisSchedulingTests {
    typealias S = AnalysisSupport

    static let cases: [DueCase] = [
        // A new run measures at once.
        DueCase(rule: "first measurement at once", fields: ["count": 2, "interval": "30s"], measured: [], now: 0, due: true),
        // initialDelay holds the first measurement back.
        DueCase(rule: "initialDelay not yet", fields: ["count": 2, "initialDelay": "30s"], measured: [], now: 29, due: false),
        // ...until it has passed from the run's start.
        DueCase(rule: "initialDelay passed", fields: ["count": 2, "initialDelay": "30s"], measured: [], now: 30, due: true),
        // The next measurement waits the interval from the last one's finish.
        DueCase(rule: "interval not yet", fields: ["count": 3, "interval": "30s"], measured: [.successful], now: 29, due: false),
        // ...and is due once it has passed.
        DueCase(rule: "interval passed", fields: ["count": 3, "interval": "30s"], measured: [.successful], now: 30, due: true),
        // A metric that reached its count takes no more.
        DueCase(rule: "count reached", fields: ["count": 1, "interval": "30s"], measured: [.successful], now: 600, due: false),
        // Without an interval an error is retried after Argo's 10 s.
        DueCase(rule: "error retry without interval", fields: [:], measured: [.error], now: 10, due: true),
        // ...not before.
        DueCase(rule: "error retry waits", fields: [:], measured: [.error], now: 9, due: false),
        // A background metric keeps measuring.
        DueCase(
            rule: "background keeps measuring", fields: ["interval": "5s"], measured: Array(repeating: .successful, count: 30), now: 40, due: true),
        // A decided metric takes no more.
        DueCase(rule: "failed metric stops", fields: ["count": 5], measured: [.failed], now: 600, due: false),
    ]

    @Test(arguments: cases)
    func due(_ row: DueCase) {
        let metric = S.metric("m", row.fields)
        let run = S.run([metric], [row.measured])
        let due = AnalysisEvaluator.due(run, metrics: [metric], now: S.at(row.now))
        #expect(due.map(\.metric) == (row.due ? ["m"] : []))
    }

    // An in-flight measurement is resumed on every tick, interval or not.
    @Test func inFlightIsResumed() {
        let metric = S.metric("m", ["count": 2, "interval": "1h"])
        let run = S.run([metric], [[.running]])
        let due = AnalysisEvaluator.due(run, metrics: [metric], now: S.at(1))
        #expect(due == [DueMeasurement(metric: "m", inFlight: run[metric: "m"]?.last)])
    }

    // Once a metric decides the run, no new measurement starts; in-flight ones still resume.
    @Test func terminatingStartsNothingNew() {
        let metrics = [S.metric("a", ["count": 3]), S.metric("b", ["count": 3]), S.metric("c", ["count": 3])]
        var run = AnalysisRun(id: "r1", metrics: metrics, now: S.start)
        AnalysisEvaluator.record(S.measurement(.running), metric: "b", in: &run)
        AnalysisEvaluator.record(S.measurement(.failed), metric: "c", in: &run)
        AnalysisEvaluator.assess(&run, metrics: metrics)
        #expect(run.phase == .failed)
        run.phase = .running  // as if the run were read back mid-decision
        #expect(AnalysisEvaluator.due(run, metrics: metrics, now: S.at(100)).map(\.metric) == ["b"])
    }

    // The next tick is the earliest of the metrics' next measurements.
    @Test func nextTickIsTheEarliest() {
        let metrics = [S.metric("slow", ["count": 3, "interval": "1m"]), S.metric("fast", ["count": 3, "interval": "20s"])]
        let run = S.run(metrics, [[.successful], [.successful]])
        #expect(AnalysisEvaluator.nextTick(run, metrics: metrics, now: S.at(1)) == S.at(20))
    }
}
