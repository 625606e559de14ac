/// The state of one metric in a run: its phase, Argo's counters and the last measurements.
public struct MetricRun: Sendable, Hashable, Codable {
    /// The metric's name.
    public var name: String
    /// Running until the limits or the count decide.
    public var phase: AnalysisPhase
    /// Measurements that finished Successful, Failed or Inconclusive (errors do not count).
    public var count: Int
    /// Successful measurements.
    public var successful: Int
    /// Failed measurements.
    public var failed: Int
    /// Inconclusive measurements.
    public var inconclusive: Int
    /// Error measurements.
    public var error: Int
    /// Errors since the last measurement that was not one.
    public var consecutiveError: Int
    /// The last measurements, oldest first (at most `measurementHistory`).
    public var measurements: [MetricMeasurement]
    /// Why the metric is in its phase.
    public var message: String?

    /// How many measurements a metric keeps (Argo's default history limit).
    public static let measurementHistory = 10

    /// A metric with nothing measured yet.
    public init(name: String) {
        self.name = name
        phase = .running
        count = 0
        successful = 0
        failed = 0
        inconclusive = 0
        error = 0
        consecutiveError = 0
        measurements = []
        message = nil
    }

    /// The last measurement, if any.
    public var last: MetricMeasurement? { measurements.last }

    /// The last measurement when it is still in flight.
    public var inFlight: MetricMeasurement? { measurements.last.flatMap { $0.phase == .running ? $0 : nil } }
}
