import Foundation
import Testing

@testable import Progressive

/// What a tick reports for the metrics: the measurements its analyses took, from the runs' counters.
@Suite struct RolloutEngineChangesTests {
    static let now = Date(timeIntervalSince1970: 1_795_735_200)

    static func slot(_ id: String, successful: Int, failed: Int, error: Int = 0) -> AnalysisSlot {
        var metric = MetricRun(name: "success-rate")
        metric.successful = successful
        metric.failed = failed
        metric.error = error
        let run = AnalysisRun(id: id, startedAt: now, metrics: [metric])
        return AnalysisSlot(templates: ["success-rate"], args: [:], run: run.json, outcome: "running", message: "")
    }

    typealias Measured = RolloutEngine.Measured

    // Only what the counters gained since the tick began counts.
    @Test func countsWhatTheRunGained() {
        let measured = RolloutEngine.measurements(
            before: ["step": Self.slot("a", successful: 2, failed: 0)], after: ["step": Self.slot("a", successful: 3, failed: 1, error: 1)])
        #expect(
            measured == [
                Measured(metric: "success-rate", outcome: "Successful"), Measured(metric: "success-rate", outcome: "Failed"),
                Measured(metric: "success-rate", outcome: "Error"),
            ])
    }

    // A new run in the slot (another id) counts from zero; an unchanged run counts nothing.
    @Test func aNewRunCountsFromZero() {
        let replaced = RolloutEngine.measurements(
            before: ["step": Self.slot("a", successful: 5, failed: 0)], after: ["step": Self.slot("b", successful: 1, failed: 0)])
        #expect(replaced == [Measured(metric: "success-rate", outcome: "Successful")])
        let same = Self.slot("a", successful: 5, failed: 1)
        #expect(RolloutEngine.measurements(before: ["step": same], after: ["step": same]).isEmpty)
        #expect(RolloutEngine.measurements(before: [:], after: ["background": Self.slot("c", successful: 0, failed: 2)]).count == 2)
    }
}
