import Foundation
import Manifests

/// What `GET /sandbox/traffic` and `GET /sandbox/traffic/metrics` show.
extension TrafficLedger {
    /// `{"entrypoints": {"<ns>/<name>": {"kind": "Service", "rps": 100, "share": {"<deployment>": 0.25}, "errorRate": 0.1}}}`.
    /// The key of an entry point whose name another kind already took in its namespace ends with ` (Kind)`.
    var report: JSONValue {
        var entrypoints = JSONObject()
        for entry in entries() {
            var key = "\(entry.namespace)/\(entry.name)"
            if entrypoints[key] != nil { key += " (\(entry.kind.rawValue))" }
            var share = JSONObject()
            for (deployment, value) in entry.shares.sorted(by: { $0.key < $1.key }) { share[deployment] = .number(JSONNumber(value)) }
            entrypoints[key] = [
                "kind": .string(entry.kind.rawValue), "rps": .number(JSONNumber(entry.rps)), "share": .object(share),
                "errorRate": .number(JSONNumber(entry.errorRate)),
            ]
        }
        return ["entrypoints": .object(entrypoints)]
    }

    /// The Prometheus text exposition (format 0.0.4) of every series.
    var exposition: String {
        let all = series()
        var text = """
            # HELP sandbox_http_requests_total Requests the sandbox's simulated traffic sent, by entry point, Service, Deployment and status code.
            # TYPE sandbox_http_requests_total counter

            """
        for (key, counter) in all { text += "sandbox_http_requests_total\(Self.labels(key)) \(Self.whole(counter.count))\n" }
        text += """
            # HELP sandbox_http_request_duration_seconds How long the simulated requests took to answer.
            # TYPE sandbox_http_request_duration_seconds histogram

            """
        for (key, counter) in all {
            for (index, bucket) in TrafficPolicy.buckets.enumerated() {
                text += "sandbox_http_request_duration_seconds_bucket\(Self.labels(key, le: bucket.label)) \(Self.whole(counter.buckets[index]))\n"
            }
            let count = Self.whole(counter.count)
            text += "sandbox_http_request_duration_seconds_bucket\(Self.labels(key, le: "+Inf")) \(count)\n"
            text += "sandbox_http_request_duration_seconds_sum\(Self.labels(key)) \(PrometheusText.sample(counter.sum))\n"
            text += "sandbox_http_request_duration_seconds_count\(Self.labels(key)) \(count)\n"
        }
        return text
    }

    private static func labels(_ key: SeriesKey, le: String? = nil) -> String {
        var pairs = [
            ("namespace", key.namespace), ("entrypoint", key.entrypoint), ("service", key.service), ("deployment", key.deployment),
            ("code", key.code),
        ]
        if let le { pairs.append(("le", le)) }
        return "{" + pairs.map { "\($0.0)=\"\(PrometheusText.escape($0.1))\"" }.joined(separator: ",") + "}"
    }
}
