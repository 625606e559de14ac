import Foundation
import Logging

/// Takes the measurements a run is due, a few at a time, and records them through
/// `AnalysisEvaluator`: the only part of analysis that does I/O. The run it returns is what
/// the reconciler persists in `Rollout.status` before acting on its phase.
///
/// ```swift
/// let runner = AnalysisRunner(providers: AnalysisProviders(http: http, client: kube))
/// run = await runner.tick(run, metrics: resolved, context: context, now: clock.now)
/// switch run.phase { case .failed, .error: abort(run.message) … }
/// ```
public struct AnalysisRunner: Sendable {
    /// The providers by kind.
    public var providers: AnalysisProviders
    /// The most measurements in flight at once.
    public var maximumConcurrent: Int
    let logger: Logger

    /// Creates a runner.
    public init(providers: AnalysisProviders, maximumConcurrent: Int = 4, logger: Logger = Logger(label: "keelson.analysis")) {
        self.providers = providers
        self.maximumConcurrent = max(1, maximumConcurrent)
        self.logger = logger
    }

    /// Measures every metric due at `now`, records the results and decides the phases. Once
    /// the run is decided, measurements still in flight are ended (their Jobs deleted).
    public func tick(_ run: AnalysisRun, metrics: [ResolvedMetric], context: AnalysisContext, now: Date) async -> AnalysisRun {
        guard !run.phase.isCompleted else { return run }
        var run = run
        let specs = metrics.map(\.metric)
        let due = AnalysisEvaluator.due(run, metrics: specs, now: now)
        let requests = due.compactMap { due in request(due, run: run, metrics: metrics, context: context, now: now) }
        for (request, observation) in await observe(requests, terminating: false) {
            record(observation, for: request, in: &run, now: now)
        }
        AnalysisEvaluator.assess(&run, metrics: specs)
        if AnalysisEvaluator.isTerminating(run) || run.phase.isCompleted {
            run = await endInFlight(run, metrics: metrics, context: context, now: now)
            AnalysisEvaluator.assess(&run, metrics: specs)
        }
        return run
    }

    /// Stops the run (the rollout moved past the step, was promoted or aborted): ends what is
    /// in flight, and decides it as far as it got. A background run with no failure passes.
    public func stop(_ run: AnalysisRun, metrics: [ResolvedMetric], context: AnalysisContext, now: Date) async -> AnalysisRun {
        guard !run.phase.isCompleted else { return run }
        var run = await endInFlight(run, metrics: metrics, context: context, now: now)
        AnalysisEvaluator.assess(&run, metrics: metrics.map(\.metric), stopping: true)
        return run
    }

    /// Terminates every in-flight measurement of `run`.
    private func endInFlight(_ run: AnalysisRun, metrics: [ResolvedMetric], context: AnalysisContext, now: Date) async -> AnalysisRun {
        var run = run
        let requests = run.metrics.compactMap { state -> MeasurementRequest? in
            guard let inFlight = state.inFlight else { return nil }
            return request(DueMeasurement(metric: state.name, inFlight: inFlight), run: run, metrics: metrics, context: context, now: now)
        }
        for (request, observation) in await observe(requests, terminating: true) {
            record(observation, for: request, in: &run, now: now)
        }
        return run
    }

    /// The request for `due`, or nil when the metric is not among `metrics`.
    private func request(_ due: DueMeasurement, run: AnalysisRun, metrics: [ResolvedMetric], context: AnalysisContext, now: Date)
        -> MeasurementRequest?
    {
        guard let metric = metrics.first(where: { $0.name == due.metric }) else { return nil }
        let state = run[metric: due.metric] ?? MetricRun(name: due.metric)
        let ordinal = state.count + state.error + 1
        return MeasurementRequest(metric: metric, context: context, runID: run.id, ordinal: ordinal, inFlight: due.inFlight, now: now)
    }

    /// Judges `observation` and adds it to the run.
    private func record(_ observation: Observation, for request: MeasurementRequest, in run: inout AnalysisRun, now: Date) {
        let measurement = AnalysisEvaluator.measurement(
            observation, metric: request.metric.metric, startedAt: request.inFlight?.startedAt ?? now, now: now)
        logger.debug(
            "measured",
            metadata: [
                "keelson.rollout": "\(request.context.namespace)/\(request.context.rollout)", "keelson.metric": "\(request.metric.name)",
                "keelson.phase": "\(measurement.phase.rawValue)",
            ])
        AnalysisEvaluator.record(measurement, metric: request.metric.name, in: &run)
    }

    /// Runs `requests` with at most `maximumConcurrent` in flight, results in request order.
    private func observe(_ requests: [MeasurementRequest], terminating: Bool) async -> [(MeasurementRequest, Observation)] {
        let providers = self.providers
        var results = [Observation?](repeating: nil, count: requests.count)
        await withTaskGroup(of: (Int, Observation).self) { group in
            var next = 0
            func start() {
                guard next < requests.count else { return }
                let index = next
                let request = requests[index]
                group.addTask {
                    let provider = providers.provider(for: request.metric)
                    return (index, terminating ? await provider.terminate(request) : await provider.measure(request))
                }
                next += 1
            }
            for _ in 0..<maximumConcurrent { start() }
            for await (index, observation) in group {
                results[index] = observation
                start()
            }
        }
        return zip(requests, results).map { ($0, $1 ?? .error("the measurement did not finish")) }
    }
}
