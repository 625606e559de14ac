import AsyncHTTPClient
import Manifests
import NIOHTTP1

/// Measures with an HTTP endpoint answering JSON (Argo's web metric): GET or POST, headers
/// from a Secret, the value read at a JSON path (`$.a.b`, `$.a[0]`) as a number, boolean or
/// string. A non-2xx answer is an Error; a path that selects nothing or null is no data.
/// Without a path and without a condition the endpoint is a gate: any 2xx passes.
public struct WebProvider: MetricProvider {
    let exchange: AnalysisHTTP

    /// Creates a provider sending through `http` (shared; the provider does not shut it down).
    public init(http: HTTPClient) { exchange = AnalysisHTTP(http: http) }

    /// Sends the request and reads the value.
    public func measure(_ request: MeasurementRequest) async -> Observation {
        guard case .web(let url, let method, let body, let jsonPath, let timeout, let credentials) = request.metric.request else {
            return .error("the metric is not a web metric")
        }
        var headers = credentials.headers
        if body != nil, !headers.keys.contains(where: { $0.lowercased() == "content-type" }) {
            headers["Content-Type"] = "application/json"
        }
        let answer: AnalysisHTTP.Answer
        switch await exchange.send(
            HTTPMethod(rawValue: method.rawValue), url: url, headers: headers, body: body.map { Array($0.utf8) }, timeout: timeout,
            credentials: credentials)
        {
        case .failure(let failure): return .error(failure.message)
        case .success(let reply): answer = reply
        }
        guard (200..<300).contains(answer.status) else {
            return .error(credentials.scrub("\(method.rawValue) \(AnalysisHTTP.redacted(url)) answered HTTP \(answer.status): \(answer.excerpt)"))
        }
        return Self.observation(answer, jsonPath: jsonPath, gate: request.metric.metric.condition == nil)
    }

    /// The value the answer holds at `jsonPath`.
    static func observation(_ answer: AnalysisHTTP.Answer, jsonPath: JSONPathExpression?, gate: Bool) -> Observation {
        let document = try? JSONParser.parse(answer.body)
        guard let jsonPath else {
            if let document, let value = MetricValue(document) { return .value(value) }
            return gate ? .finished(.successful, message: "answered HTTP \(answer.status)") : .error("the answer is not a scalar; set jsonPath")
        }
        guard let document else { return .error("the answer is not JSON: \(answer.excerpt)") }
        guard let selected = jsonPath.select(in: document), !selected.isNull else {
            return .noData("jsonPath \(jsonPath) selects nothing")
        }
        guard let value = MetricValue(selected) else {
            return .error(
                "jsonPath \(jsonPath) selects \(selected.typeName == "array" ? "an array" : "an object"); select a number, boolean or string")
        }
        return .value(value)
    }
}
