import Foundation

/// One measurement to take: the filled metric, the run it belongs to and the one in flight.
public struct MeasurementRequest: Sendable, Hashable {
    /// The metric, templates filled and credentials read.
    public var metric: ResolvedMetric
    /// The run's names.
    public var context: AnalysisContext
    /// The run's identifier (Job names carry it).
    public var runID: String
    /// The measurement's number in its metric, from 1 (Job names carry it).
    public var ordinal: Int
    /// The in-flight measurement to resume; nil starts a new one.
    public var inFlight: MetricMeasurement?
    /// The time of the tick (Prometheus evaluates the query at it).
    public var now: Date

    /// Creates a request.
    public init(metric: ResolvedMetric, context: AnalysisContext, runID: String, ordinal: Int, inFlight: MetricMeasurement? = nil, now: Date) {
        self.metric = metric
        self.context = context
        self.runID = runID
        self.ordinal = ordinal
        self.inFlight = inFlight
        self.now = now
    }
}

/// Takes measurements of one kind: `PrometheusProvider`, `WebProvider`, `JobProvider`, or a
/// test double. It reports what it saw; `AnalysisEvaluator` judges it.
public protocol MetricProvider: Sendable {
    /// Takes (or, with `request.inFlight`, resumes) a measurement.
    func measure(_ request: MeasurementRequest) async -> Observation
    /// Ends the in-flight measurement of `request` because the run is over (deletes a Job).
    func terminate(_ request: MeasurementRequest) async -> Observation
}

extension MetricProvider {
    /// Nothing is in flight between ticks for request/answer providers, so there is nothing to end.
    public func terminate(_ request: MeasurementRequest) async -> Observation {
        .finished(.successful, message: "\(request.metric.name): stopped, the run is over")
    }
}
