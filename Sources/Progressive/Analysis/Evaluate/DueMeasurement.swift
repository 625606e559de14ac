/// A metric to measure on this tick: a new measurement, or the one in flight to resume.
public struct DueMeasurement: Sendable, Hashable {
    /// The metric's name.
    public var metric: String
    /// The in-flight measurement to resume (a running Job); nil starts a new one.
    public var inFlight: MetricMeasurement?

    /// Creates a due measurement.
    public init(metric: String, inFlight: MetricMeasurement? = nil) {
        self.metric = metric
        self.inFlight = inFlight
    }
}
