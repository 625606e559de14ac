import AsyncHTTPClient
import Foundation
import Manifests
import NIOHTTP1

/// Measures with a Prometheus instant query: `GET {address}/api/v1/query?query=…&time=…`.
///
/// The result must be a scalar or a vector of exactly one series: more series is an Error
/// that says to aggregate (safer than reading the first of them); an empty vector or NaN is no
/// data. A non-2xx answer or `"status":"error"` is an Error quoting Prometheus' own text.
/// Credentials go in headers and never into a message or a log line.
///
/// ```swift
/// let provider = PrometheusProvider(http: HTTPClient.shared)
/// let observation = await provider.measure(request)  // .value(.number(0.97))
/// ```
public struct PrometheusProvider: MetricProvider {
    let exchange: AnalysisHTTP

    /// Creates a provider sending through `http` (shared; the provider does not shut it down).
    public init(http: HTTPClient) { exchange = AnalysisHTTP(http: http) }

    /// Runs the query at `request.now`.
    public func measure(_ request: MeasurementRequest) async -> Observation {
        guard case .prometheus(let address, let query, let timeout, let credentials) = request.metric.request else {
            return .error("the metric is not a prometheus metric")
        }
        let url = "\(address)/api/v1/query?query=\(AnalysisText.urlEncoded(query))&time=\(Self.timestamp(request.now))"
        var headers = credentials.headers
        headers["Accept"] = "application/json"
        switch await exchange.send(.GET, url: url, headers: headers, timeout: timeout, credentials: credentials) {
        case .failure(let failure): return .error(failure.message)
        case .success(let answer): return Self.observation(answer, credentials: credentials)
        }
    }

    /// What Prometheus' answer says.
    static func observation(_ answer: AnalysisHTTP.Answer, credentials: Credentials) -> Observation {
        let document = try? JSONParser.parse(answer.body)
        if document?["status"]?.stringValue == "error" || !(200..<300).contains(answer.status) {
            let kind = document?["errorType"]?.stringValue.map { $0 + ": " } ?? ""
            let text = document?["error"]?.stringValue ?? answer.excerpt
            return .error(credentials.scrub("prometheus answered HTTP \(answer.status): \(kind)\(String(text.prefix(300)))"))
        }
        guard let data = document?["data"], let type = data["resultType"]?.stringValue else {
            return .error("prometheus' answer has no data.resultType: \(answer.excerpt)")
        }
        switch type {
        case "scalar":
            return sample(data["result"])
        case "vector":
            let series = data["result"]?.arrayValue ?? []
            guard series.count <= 1 else {
                return .error("the query returns \(series.count) series; aggregate it to one, e.g. with sum()")
            }
            guard let only = series.first else { return .noData("the query returned no series") }
            return sample(only["value"])
        default:
            return .error("the query returns a \(type); it must return a scalar or a vector of one series")
        }
    }

    /// The number of a `[timestamp, "value"]` sample.
    private static func sample(_ pair: JSONValue?) -> Observation {
        guard let text = pair?.arrayValue?.last?.stringValue, let number = Double(text) else {
            return .error("prometheus' sample is not [time, \"number\"]")
        }
        return number.isNaN ? .noData("the query returned NaN") : .value(.number(number))
    }

    /// `date` as Unix seconds with milliseconds, as Prometheus' `time` parameter reads it.
    static func timestamp(_ date: Date) -> String {
        String(format: "%.3f", date.timeIntervalSince1970)
    }
}
