/// One metric of an analysis: where its value comes from, what the value must be, how often it
/// is measured and how many bad measurements it tolerates (Argo Rollouts' limits and count).
///
/// ```yaml
/// - name: success-rate
///   interval: 30s
///   count: 4
///   failureLimit: 1
///   threshold: {min: 0.95}
///   provider: {prometheus: {address: http://prometheus:9090, query: "…"}}
/// ```
public struct Metric: Sendable, Hashable {
    /// The metric's name, unique in a run.
    public var name: String
    /// The time between measurements as written; nil when not set (see `effectiveCount`).
    public var interval: Duration?
    /// How many measurements to take; nil with an interval runs until the run is stopped.
    public var count: Int?
    /// How long after the run starts the first measurement waits.
    public var initialDelay: Duration?
    /// Failed measurements tolerated; one more fails the metric (strict `>`, default 0).
    public var failureLimit: Int
    /// Inconclusive measurements tolerated; one more makes the metric Inconclusive.
    public var inconclusiveLimit: Int
    /// Errors in a row tolerated; one more makes the metric Error (default 4).
    public var consecutiveErrorLimit: Int
    /// What the value must be; nil passes every value (a job, or a web endpoint as a gate).
    public var condition: MetricCondition?
    /// What a measurement without data counts as.
    public var noData: NoDataPolicy
    /// Where the value comes from.
    public var source: MetricSource

    /// The interval when none is written: Argo's and the design's one minute.
    public static let defaultInterval = Duration.seconds(60)
    /// Argo's retry interval after an error when the metric has no interval.
    public static let errorRetryInterval = Duration.seconds(10)
    /// Argo's default for `consecutiveErrorLimit`.
    public static let defaultConsecutiveErrorLimit = 4
    /// The design's default for `inconclusiveLimit`. Argo's is 0 (the first inconclusive
    /// measurement decides); Keelson tolerates one, so a single scrape without traffic does
    /// not pause a rollout.
    public static let defaultInconclusiveLimit = 1

    /// Creates a metric.
    public init(
        name: String, interval: Duration? = nil, count: Int? = nil, initialDelay: Duration? = nil, failureLimit: Int = 0,
        inconclusiveLimit: Int = Metric.defaultInconclusiveLimit, consecutiveErrorLimit: Int = Metric.defaultConsecutiveErrorLimit,
        condition: MetricCondition? = nil, noData: NoDataPolicy = .inconclusive, source: MetricSource
    ) {
        self.name = name
        self.interval = interval
        self.count = count
        self.initialDelay = initialDelay
        self.failureLimit = failureLimit
        self.inconclusiveLimit = inconclusiveLimit
        self.consecutiveErrorLimit = consecutiveErrorLimit
        self.condition = condition
        self.noData = noData
        self.source = source
    }

    /// The measurements that complete the metric (Argo's `EffectiveCount`): `count` when set;
    /// 1 when neither count nor interval is set; nil (no end) with only an interval.
    public var effectiveCount: Int? {
        if let count, count > 0 { return count }
        return interval == nil ? 1 : nil
    }

    /// The time from one finished measurement to the next: the interval, or after an error
    /// without one, Argo's 10 s retry.
    public var spacing: Duration { interval ?? Self.errorRetryInterval }
}
