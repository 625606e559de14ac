import Foundation
import Manifests
import Progressive
import Synchronization
import Testing

/// A provider answering from a script per metric, counting calls and how many overlap.
final class ScriptedProvider: MetricProvider {
    struct State {
        var scripts: [String: [Observation]] = [:]
        var measured: [String] = []
        var terminated: [String] = []
        var inFlight = 0
        var mostInFlight = 0
    }

    let state = Mutex(State())
    let pause: Duration

    init(_ scripts: [String: [Observation]], pause: Duration = .zero) {
        state.withLock { $0.scripts = scripts }
        self.pause = pause
    }

    func measure(_ request: MeasurementRequest) async -> Observation {
        let observation = state.withLock { state -> Observation in
            state.measured.append(request.metric.name)
            state.inFlight += 1
            state.mostInFlight = max(state.mostInFlight, state.inFlight)
            var script = state.scripts[request.metric.name] ?? []
            let next = script.isEmpty ? Observation.value(.number(1)) : script.removeFirst()
            state.scripts[request.metric.name] = script.isEmpty ? [next] : script
            return next
        }
        if pause > .zero { try? await Task.sleep(for: pause) }
        state.withLock { $0.inFlight -= 1 }
        return observation
    }

    func terminate(_ request: MeasurementRequest) async -> Observation {
        state.withLock { $0.terminated.append(request.metric.name) }
        return .finished(.successful, message: "stopped")
    }
}

@Suite struct AnalysisRunnerTests {
    typealias S = AnalysisSupport

    static func runner(_ provider: ScriptedProvider, concurrency: Int = 4) -> AnalysisRunner {
        AnalysisRunner(providers: AnalysisProviders(prometheus: provider, web: provider, job: provider), maximumConcurrent: concurrency)
    }

    static func resolved(_ metrics: [Metric]) throws -> [ResolvedMetric] { try metrics.map { try $0.resolve(S.context) } }

    // Measurements are taken when due and the run passes once the count is reached.
    @Test func measuresWhenDue() async throws {
        let metrics = [S.metric("rate", ["count": 2, "interval": "10s"])]
        let provider = ScriptedProvider(["rate": [.value(.number(0.99)), .value(.number(0.97))]])
        let runner = Self.runner(provider)
        var run = AnalysisRun(id: "r1", metrics: metrics, now: S.start)
        run = await runner.tick(run, metrics: try Self.resolved(metrics), context: S.context, now: S.at(0))
        run = await runner.tick(run, metrics: try Self.resolved(metrics), context: S.context, now: S.at(5))
        #expect(provider.state.withLock { $0.measured.count } == 1)
        run = await runner.tick(run, metrics: try Self.resolved(metrics), context: S.context, now: S.at(10))
        #expect(run.phase == .successful)
        #expect(run[metric: "rate"]?.measurements.map(\.value) == ["0.99", "0.97"])
    }

    // No more measurements are in flight at once than the cap, and every due one is taken.
    @Test func capsConcurrency() async throws {
        let metrics = (0..<6).map { S.metric("m\($0)", ["count": 1]) }
        let provider = ScriptedProvider([:], pause: .milliseconds(50))
        let run = await Self.runner(provider, concurrency: 2).tick(
            AnalysisRun(id: "r1", metrics: metrics, now: S.start), metrics: try Self.resolved(metrics), context: S.context, now: S.start)
        #expect(run.phase == .successful)
        #expect(provider.state.withLock { $0.measured.count } == 6)
        #expect(provider.state.withLock { $0.mostInFlight } <= 2)
    }

    // A failing metric decides the run at once and ends what is in flight (a Job is deleted).
    @Test func failureEndsInFlight() async throws {
        let metrics = [S.metric("job", ["count": 1]), S.metric("rate", ["count": 3])]
        let provider = ScriptedProvider(["job": [.running(resumeKey: "web-r1-job-1", message: "running")], "rate": [.value(.number(0.5))]])
        let run = await Self.runner(provider).tick(
            AnalysisRun(id: "r1", metrics: metrics, now: S.start), metrics: try Self.resolved(metrics), context: S.context, now: S.start)
        #expect(run.phase == .failed)
        #expect(run.message == "rate 0.5 < min 0.95 (1 failure > failureLimit 0)")
        #expect(provider.state.withLock { $0.terminated } == ["job"])
        #expect(run[metric: "job"]?.inFlight == nil)
    }

    // Stopping a background run passes it and measures nothing more.
    @Test func stopPassesBackground() async throws {
        let metrics = [S.metric("latency", ["interval": "30s", "threshold": ["max": 0.5]])]
        let provider = ScriptedProvider(["latency": [.value(.number(0.2))]])
        let runner = Self.runner(provider)
        var run = await runner.tick(
            AnalysisRun(id: "r1", metrics: metrics, now: S.start), metrics: try Self.resolved(metrics), context: S.context, now: S.start)
        #expect(run.phase == .running)
        run = await runner.stop(run, metrics: try Self.resolved(metrics), context: S.context, now: S.at(40))
        #expect(run.phase == .successful)
        #expect(provider.state.withLock { $0.measured.count } == 1)
    }
}
