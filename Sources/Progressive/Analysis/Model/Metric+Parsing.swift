import KeelsonFoundation
import Manifests

extension Metric {
    /// The most metrics one template or Rollout may hold.
    public static let maximumMetrics = 32

    /// The fields a metric may have.
    static let fields: Set<String> = [
        "name", "interval", "count", "initialDelay", "failureLimit", "inconclusiveLimit", "consecutiveErrorLimit", "threshold",
        "equals", "noData", "provider",
    ]

    /// Reads a `metrics` array (an AnalysisTemplate's `spec.metrics`, or metrics written
    /// inline in a Rollout), refusing duplicates and more than `maximumMetrics`.
    ///
    /// - Parameters:
    ///   - value: the array.
    ///   - path: its field path, e.g. `spec.strategy.canary.steps[2].analysis.metrics`.
    ///   - arguments: the argument names `{{args.X}}` may use; nil allows any (inline metrics,
    ///     whose arguments are checked when the run is resolved).
    public static func parseList(_ value: JSONValue?, path: String, arguments: Set<String>?) throws(AnalysisSpecError) -> [Metric] {
        guard let items = value?.arrayValue else {
            throw AnalysisSpecError(.invalidField, path: path, "must be an array, not \(value?.typeName ?? "missing")")
        }
        guard !items.isEmpty else { throw AnalysisSpecError(.invalidField, path: path, "must hold at least one metric") }
        guard items.count <= maximumMetrics else {
            throw AnalysisSpecError(.tooLarge, path: path, "holds \(items.count) metrics; at most \(maximumMetrics) are read")
        }
        let vocabulary = AnalysisVocabulary.vocabulary(arguments: arguments)
        var metrics: [Metric] = []
        for (index, item) in items.enumerated() {
            let metric = try Metric(item, path: "\(path)[\(index)]", vocabulary: vocabulary)
            if metrics.contains(where: { $0.name == metric.name }) {
                throw AnalysisSpecError(.invalidField, path: "\(path)[\(index)].name", "another metric is also named \"\(metric.name)\"")
            }
            metrics.append(metric)
        }
        return metrics
    }

    /// Reads one metric at `path`.
    init(_ value: JSONValue, path: String, vocabulary: TagTemplate.Vocabulary) throws(AnalysisSpecError) {
        let reader = try SpecReader(value, path: path)
        try reader.refuseUnknown(Self.fields)
        let name = try reader.requiredString("name")
        guard name.utf8.count <= 63, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }) else {
            throw AnalysisSpecError(.invalidField, path: reader.at("name"), "must be at most 63 letters, digits, -, _ or .")
        }
        let source = try MetricSource.parse(reader.object["provider"], path: reader.at("provider"), vocabulary: vocabulary)
        let condition = try Self.condition(reader)
        if condition == nil, case .prometheus = source {
            throw AnalysisSpecError(.invalidField, path: path, "a prometheus metric needs threshold or equals")
        }
        self.init(
            name: name, interval: try reader.duration("interval"), count: try reader.int("count", minimum: 1),
            initialDelay: try reader.duration("initialDelay", allowZero: true), failureLimit: try reader.int("failureLimit") ?? 0,
            inconclusiveLimit: try reader.int("inconclusiveLimit") ?? Self.defaultInconclusiveLimit,
            consecutiveErrorLimit: try reader.int("consecutiveErrorLimit") ?? Self.defaultConsecutiveErrorLimit,
            condition: condition, noData: try Self.noData(reader), source: source)
    }

    /// `threshold {min?, max?}` or `equals`, never both.
    private static func condition(_ reader: SpecReader) throws(AnalysisSpecError) -> MetricCondition? {
        switch (reader.has("threshold"), reader.has("equals")) {
        case (true, true):
            throw AnalysisSpecError(.invalidField, path: reader.at("threshold"), "cannot be written together with equals; choose one")
        case (true, false):
            let threshold = try SpecReader(reader.object["threshold"], path: reader.at("threshold"))
            try threshold.refuseUnknown(["min", "max"])
            let min = try threshold.double("min")
            let max = try threshold.double("max")
            guard min != nil || max != nil else {
                throw AnalysisSpecError(.invalidField, path: threshold.path, "needs min, max or both")
            }
            if let min, let max, min > max {
                throw AnalysisSpecError(.invalidField, path: threshold.path, "min \(MetricValue.format(min)) is above max \(MetricValue.format(max))")
            }
            return .threshold(min: min, max: max)
        case (false, true):
            guard let value = reader.object["equals"].flatMap(MetricValue.init) else {
                throw reader.typeError("equals", "a number, boolean or string")
            }
            return .equals(value)
        case (false, false):
            return nil
        }
    }

    /// `noData`, Inconclusive when absent.
    private static func noData(_ reader: SpecReader) throws(AnalysisSpecError) -> NoDataPolicy {
        guard let text = try reader.string("noData") else { return .inconclusive }
        guard let policy = NoDataPolicy(rawValue: text) else {
            let known = NoDataPolicy.allCases.map(\.rawValue).joined(separator: ", ")
            throw AnalysisSpecError(.invalidField, path: reader.at("noData"), "must be one of \(known), not \(text)")
        }
        return policy
    }
}
