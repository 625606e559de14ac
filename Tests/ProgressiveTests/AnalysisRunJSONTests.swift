import Foundation
import Manifests
import Progressive
import Testing

@Suite struct AnalysisRunJSONTests {
    typealias S = AnalysisSupport

    // The status a killed controller reads back decides exactly as the run it wrote.
    @Test func roundTrips() throws {
        let metric = S.metric("m", ["count": 3, "interval": "10s"])
        var run = AnalysisRun(id: "r1", metrics: [metric], now: S.at(0.4))
        AnalysisEvaluator.record(
            AnalysisEvaluator.measurement(.value(.number(0.97)), metric: metric, startedAt: S.at(0.2), now: S.at(0.9)), metric: "m", in: &run)
        AnalysisEvaluator.record(S.measurement(.running, at: 11), metric: "m", in: &run)
        AnalysisEvaluator.assess(&run, metrics: [metric])
        let back = try AnalysisRun(json: run.json)
        #expect(back == run)
        #expect(AnalysisEvaluator.due(back, metrics: [metric], now: S.at(12)) == AnalysisEvaluator.due(run, metrics: [metric], now: S.at(12)))
    }

    // The stored shape: camelCase keys, RFC 3339 times to the second, absent optionals left out.
    @Test func storedShape() throws {
        let metric = S.metric("m", ["count": 1])
        var run = AnalysisRun(id: "r1", metrics: [metric], now: S.start)
        AnalysisEvaluator.record(
            AnalysisEvaluator.measurement(.value(.number(0.5)), metric: metric, startedAt: S.start, now: S.at(2)), metric: "m", in: &run)
        AnalysisEvaluator.assess(&run, metrics: [metric])
        let text = JSONWriter.compact(run.json)
        #expect(
            text == """
                {"id":"r1","message":"m 0.5 < min 0.95 (1 failure > failureLimit 0)","metrics":[{"consecutiveError":0,"count":1,"error":0,\
                "failed":1,"inconclusive":0,"measurements":[{"finishedAt":"2023-11-14T22:13:22Z","message":"m 0.5 < min 0.95",\
                "phase":"Failed","startedAt":"2023-11-14T22:13:20Z","value":"0.5"}],"message":"m 0.5 < min 0.95 (1 failure > failureLimit 0)",\
                "name":"m","phase":"Failed","successful":0}],"phase":"Failed","startedAt":"2023-11-14T22:13:20Z"}
                """)
    }

    // Something Keelson did not write is refused with the field named.
    @Test func refusesForeignStatus() {
        #expect(throws: AnalysisSpecError.self) { try AnalysisRun(json: ["id": 3]) }
    }
}
