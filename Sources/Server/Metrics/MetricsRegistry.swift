import Synchronization

/// Prometheus metrics kept in memory and written in the text exposition format (0.0.4):
/// counters (`_total`), gauges and histograms (`_bucket`, `_sum`, `_count`), with labels.
///
/// ```swift
/// let metrics = MetricsRegistry()
/// metrics.increment("keelson_reconcile_total", help: "Reconciles.", labels: ["app": "web", "result": "success"])
/// metrics.render()
/// ```
public final class MetricsRegistry: Sendable {
    /// The kind of a metric family.
    public enum Kind: String, Sendable { case counter, gauge, histogram }

    struct Family: Sendable {
        var kind: Kind
        var help: String
        var buckets: [Double]
        var values: [[String: String]: Double] = [:]
        var histograms: [[String: String]: Histogram] = [:]
    }

    struct Histogram: Sendable {
        var counts: [Int]
        var sum = 0.0
        var count = 0
    }

    /// Default buckets for durations in seconds.
    public static let secondsBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

    private let families = Mutex<[String: Family]>([:])

    /// Creates an empty registry.
    public init() {}

    /// Adds `amount` to a counter.
    public func increment(_ name: String, help: String, labels: [String: String] = [:], by amount: Double = 1) {
        update(name, kind: .counter, help: help) { $0.values[labels, default: 0] += amount }
    }

    /// Sets a gauge, or a counter whose total is read from elsewhere (`process_cpu_seconds_total`).
    public func set(_ name: String, kind: Kind = .gauge, help: String, labels: [String: String] = [:], to value: Double) {
        precondition(kind != .histogram, "metric \(name): a histogram is observed, not set")
        update(name, kind: kind, help: help) { $0.values[labels] = value }
    }

    /// Removes every series of a gauge whose labels include `matching` (e.g. a deleted app).
    public func remove(_ name: String, matching: [String: String]) {
        families.withLock { families in
            guard var family = families[name] else { return }
            family.values = family.values.filter { labels, _ in !matching.allSatisfy { labels[$0.key] == $0.value } }
            families[name] = family
        }
    }

    /// Records one observation in a histogram.
    public func observe(_ name: String, help: String, labels: [String: String] = [:], value: Double, buckets: [Double] = secondsBuckets) {
        update(name, kind: .histogram, help: help, buckets: buckets) { family in
            var histogram = family.histograms[labels] ?? Histogram(counts: Array(repeating: 0, count: family.buckets.count))
            for (index, bound) in family.buckets.enumerated() where value <= bound { histogram.counts[index] += 1 }
            histogram.sum += value
            histogram.count += 1
            family.histograms[labels] = histogram
        }
    }

    private func update(_ name: String, kind: Kind, help: String, buckets: [Double] = [], _ body: (inout Family) -> Void) {
        families.withLock { families in
            var family = families[name] ?? Family(kind: kind, help: help, buckets: buckets)
            precondition(family.kind == kind, "metric \(name) registered as \(family.kind), used as \(kind)")
            body(&family)
            families[name] = family
        }
    }

    /// The current value of a counter or gauge series, for tests and the API.
    public func value(_ name: String, labels: [String: String] = [:]) -> Double? {
        families.withLock { $0[name]?.values[labels] }
    }

    /// Every metric in the Prometheus text format, families and series in a stable order.
    public func render() -> String {
        let snapshot = families.withLock { $0 }
        var out = ""
        for name in snapshot.keys.sorted() {
            let family = snapshot[name]!
            out += "# HELP \(name) \(Self.escapeHelp(family.help))\n# TYPE \(name) \(family.kind.rawValue)\n"
            switch family.kind {
            case .counter, .gauge:
                for labels in family.values.keys.sorted(by: Self.order) {
                    out += "\(name)\(Self.labelText(labels)) \(Self.number(family.values[labels]!))\n"
                }
            case .histogram:
                for labels in family.histograms.keys.sorted(by: Self.order) {
                    let histogram = family.histograms[labels]!
                    for (index, bound) in family.buckets.enumerated() {
                        out += "\(name)_bucket\(Self.labelText(labels.merging(["le": Self.number(bound)]) { $1 })) \(histogram.counts[index])\n"
                    }
                    out += "\(name)_bucket\(Self.labelText(labels.merging(["le": "+Inf"]) { $1 })) \(histogram.count)\n"
                    out += "\(name)_sum\(Self.labelText(labels)) \(Self.number(histogram.sum))\n"
                    out += "\(name)_count\(Self.labelText(labels)) \(histogram.count)\n"
                }
            }
        }
        return out
    }

    static func order(_ a: [String: String], _ b: [String: String]) -> Bool { labelText(a) < labelText(b) }

    static func labelText(_ labels: [String: String]) -> String {
        guard !labels.isEmpty else { return "" }
        let pairs = labels.keys.sorted().map { key in
            let value = labels[key]!.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n")
            return "\(key)=\"\(value)\""
        }
        return "{" + pairs.joined(separator: ",") + "}"
    }

    static func escapeHelp(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
