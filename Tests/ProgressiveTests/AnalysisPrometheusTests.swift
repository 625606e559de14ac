import AsyncHTTPClient
import Foundation
import KeelsonTesting
import Manifests
import Progressive
import Testing

/// Prometheus' answer and what the provider must make of it.
struct PrometheusCase: Sendable, CustomTestStringConvertible {
    var rule: String
    var status: Int
    var body: String
    var observation: Observation
    var testDescription: String { rule }
}

@Suite struct AnalysisPrometheusTests {
    static func vector(_ values: [String]) -> String {
        let series = values.enumerated().map { #"{"metric":{"pod":"p\#($0.offset)"},"value":[1700000000,"\#($0.element)"]}"# }
        return #"{"status":"success","data":{"resultType":"vector","result":[\#(series.joined(separator: ","))]}}"#
    }

    static let cases: [PrometheusCase] = [
        // A scalar result is the value.
        PrometheusCase(
            rule: "scalar", status: 200, body: #"{"status":"success","data":{"resultType":"scalar","result":[1700000000,"0.97"]}}"#,
            observation: .value(.number(0.97))),
        // A vector of one series is its value.
        PrometheusCase(rule: "vector of one", status: 200, body: vector(["0.99"]), observation: .value(.number(0.99))),
        // More than one series is an Error that says to aggregate.
        PrometheusCase(
            rule: "vector of two", status: 200, body: vector(["0.9", "1"]),
            observation: .error("the query returns 2 series; aggregate it to one, e.g. with sum()")),
        // An empty vector is no data.
        PrometheusCase(rule: "empty vector", status: 200, body: vector([]), observation: .noData("the query returned no series")),
        // NaN (0/0 without traffic) is no data.
        PrometheusCase(rule: "NaN", status: 200, body: vector(["NaN"]), observation: .noData("the query returned NaN")),
        // A 503 is an Error quoting the answer.
        PrometheusCase(
            rule: "503", status: 503, body: "service unavailable", observation: .error("prometheus answered HTTP 503: service unavailable")),
        // Prometheus' own error text is quoted.
        PrometheusCase(
            rule: "status error", status: 400, body: #"{"status":"error","errorType":"bad_data","error":"parse error at char 4"}"#,
            observation: .error("prometheus answered HTTP 400: bad_data: parse error at char 4")),
        // A range vector is not a value.
        PrometheusCase(
            rule: "matrix", status: 200, body: #"{"status":"success","data":{"resultType":"matrix","result":[]}}"#,
            observation: .error("the query returns a matrix; it must return a scalar or a vector of one series")),
    ]

    static func metric(address: String, secretRef: Bool = false) throws -> Metric {
        var prometheus: JSONObject = [
            "address": .string(address), "query": #"sum(rate(x{service="{{args.service}}",code!~"5.."}[{{interval}}])) / 2"#,
        ]
        if secretRef { prometheus["secretRef"] = ["name": "prom"] }
        return try Metric.parseList(
            [["name": "rate", "interval": "30s", "threshold": ["min": 0.95], "provider": ["prometheus": .object(prometheus)]]], path: "metrics",
            arguments: ["service"])[0]
    }

    @Test(arguments: cases)
    func reads(_ row: PrometheusCase) async throws {
        try await HTTPReceiver.withRunning { receiver in
            receiver.script("/prom/api/v1/query", statuses: [row.status], body: row.body)
            var context = AnalysisSupport.context
            context.arguments = ["service": "web-canary"]
            let metric = try Self.metric(address: receiver.url + "/prom").resolve(context)
            let observation = await PrometheusProvider(http: .shared).measure(AnalysisSupport.request(metric, context: context))
            #expect(observation == row.observation)
        }
    }

    // The query goes URL-encoded with the time of the tick, and the Secret's token as a Bearer header.
    @Test func sendsQueryAndToken() async throws {
        try await HTTPReceiver.withRunning { receiver in
            receiver.script("/api/v1/query", statuses: [200], body: Self.vector(["1"]))
            var context = AnalysisSupport.context
            context.arguments = ["service": "web-canary"]
            let metric = try Self.metric(address: receiver.url, secretRef: true).resolve(context, secretData: ["token": "s3cret-token"])
            _ = await PrometheusProvider(http: .shared).measure(AnalysisSupport.request(metric, context: context))
            let request = try #require(await receiver.requests(path: "/api/v1/query").first)
            #expect(request.method == "GET")
            #expect(request.header("Authorization") == "Bearer s3cret-token")
            #expect(request.query["query"] == #"sum(rate(x{service="web-canary",code!~"5.."}[30s])) / 2"#)
            #expect(request.query["time"] == "1700000000.000")
            #expect(request.path.contains("query=sum%28rate%28x%7Bservice%3D%22web-canary%22%2Ccode%21~%225..%22%7D%5B30s%5D%29%29%20%2F%202&"))
        }
    }

    // An error answer that echoes the token does not put it in the message.
    @Test func scrubsCredentials() async throws {
        try await HTTPReceiver.withRunning { receiver in
            receiver.script("/api/v1/query", statuses: [401], body: "bad token s3cret-token")
            let metric = try Self.metric(address: receiver.url, secretRef: true).resolve(
                AnalysisSupport.context.with(["service": "x"]), secretData: ["token": "s3cret-token"])
            let observation = await PrometheusProvider(http: .shared).measure(AnalysisSupport.request(metric))
            #expect(observation == .error("prometheus answered HTTP 401: bad token ***"))
        }
    }

    // A server slower than the timeout is an Error naming the timeout, not a hang.
    @Test func timesOut() async throws {
        try await HTTPReceiver.withRunning { receiver in
            receiver.script("/api/v1/query", statuses: [200], delay: .seconds(1), body: Self.vector(["1"]))
            let metric = try Metric.parseList(
                [
                    [
                        "name": "rate", "threshold": ["min": 1],
                        "provider": ["prometheus": ["address": .string(receiver.url), "query": "up", "timeout": "200ms"]],
                    ]
                ],
                path: "metrics", arguments: [])[0].resolve(AnalysisSupport.context)
            let observation = await PrometheusProvider(http: .shared).measure(AnalysisSupport.request(metric))
            guard case .error(let message) = observation else { Issue.record("expected an error, got \(observation)"); return }
            #expect(message.hasPrefix("no answer to GET \(receiver.url)/api/v1/query: timed out"))
        }
    }
}

extension AnalysisContext {
    /// The context with `arguments`.
    func with(_ arguments: [String: String]) -> AnalysisContext {
        var copy = self
        copy.arguments = arguments
        return copy
    }
}
