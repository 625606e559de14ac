import Foundation
import KeelsonTesting
import KubeSandbox
import Manifests
import Testing

/// One scripted rule and the answers that the queries after it get, in order.
struct ScriptCase: Sendable, CustomTestStringConvertible {
    var rule: String
    var answers: String
    /// Per query: the HTTP status and the sample values (`[]` for an empty vector) or the errorType.
    var expected: [(status: Int, values: [String], errorType: String?)]

    var testDescription: String { rule }
}

@Suite("Scripted Prometheus")
struct ScriptedPrometheusTests {
    static let query = "/sandbox/prometheus/api/v1/query"

    static let cases: [ScriptCase] = [
        // Values are taken in order, then `then` repeats.
        ScriptCase(
            rule: "values in order, then `then` forever",
            answers: #"[{"match": "success", "values": [0.99, 0.97], "then": 0.5}]"#,
            expected: [(200, ["0.99"], nil), (200, ["0.97"], nil), (200, ["0.5"], nil), (200, ["0.5"], nil)]),
        // Without `then`, the last value repeats.
        ScriptCase(
            rule: "without `then` the last value repeats",
            answers: #"[{"match": "success", "values": [1, 0]}]"#,
            expected: [(200, ["1"], nil), (200, ["0"], nil), (200, ["0"], nil)]),
        // "empty" is an empty vector, "nan" a NaN sample.
        ScriptCase(
            rule: "empty and nan",
            answers: #"[{"match": "success", "values": ["empty", "nan"]}]"#,
            expected: [(200, [], nil), (200, ["NaN"], nil)]),
        // {"error": N} answers status N with a Prometheus error body.
        ScriptCase(
            rule: "an error status with a Prometheus error body",
            answers: #"[{"match": "success", "values": [{"error": 503}, {"error": 422}], "then": 0.9}]"#,
            expected: [(503, [], "unavailable"), (422, [], "execution"), (200, ["0.9"], nil)]),
        // `series` answers that many series.
        ScriptCase(
            rule: "series gives as many series",
            answers: #"[{"match": "success", "values": [0.9], "series": 2}]"#,
            expected: [(200, ["0.9", "0.9"], nil)]),
        // The first rule whose regex is found in the query answers.
        ScriptCase(
            rule: "the first matching rule answers",
            answers: #"[{"match": "^latency", "values": [7]}, {"match": "rate\\(.*success", "values": [0.8]}]"#,
            expected: [(200, ["0.8"], nil)]),
    ]

    @Test("a scripted rule answers its queries in order", arguments: cases)
    func script(_ script: ScriptCase) async throws {
        try await withSandbox { _, endpoint in
            #expect(try await SandboxHTTP.call(endpoint, "/sandbox/prometheus/answers", method: "POST", body: script.answers).status == 200)
            for (index, expected) in script.expected.enumerated() {
                let (status, text) = try await Self.ask(endpoint, "sum(rate(success_total[1m]))", post: index % 2 == 1)
                let body = try JSONParser.parse(text)
                #expect(status == expected.status, "query \(index): \(text)")
                if let errorType = expected.errorType {
                    #expect(body["status"] == "error")
                    #expect(body["errorType"]?.stringValue == errorType)
                    #expect(body["error"]?.stringValue?.isEmpty == false)
                } else {
                    #expect(body["status"] == "success")
                    #expect(body["data"]?["resultType"] == "vector")
                    let samples = body["data"]?["result"]?.arrayValue ?? []
                    #expect(samples.compactMap { $0["value"]?.arrayValue?.last?.stringValue } == expected.values, "query \(index): \(text)")
                    #expect(samples.allSatisfy { $0["value"]?.arrayValue?.first?.doubleValue ?? 0 > 1_600_000_000 })
                    #expect(Set(samples.compactMap { $0["metric"] }).count == samples.count, "each series has labels of its own")
                }
            }
        }
    }

    @Test("an unmatched query is bad_data; queries are listed in order; DELETE clears the answers")
    func unmatchedQueriesAndClear() async throws {
        try await withSandbox { _, endpoint in
            let answers = #"[{"match": "up", "values": [1]}]"#
            _ = try await SandboxHTTP.call(endpoint, "/sandbox/prometheus/answers", method: "POST", body: answers)
            let unmatched = try await Self.ask(endpoint, "errors_total", post: false)
            #expect(unmatched.status == 400)
            #expect(try JSONParser.parse(unmatched.text)["errorType"]?.stringValue == "bad_data")
            #expect(try await Self.ask(endpoint, "up", post: true).status == 200)
            #expect(try await SandboxHTTP.call(endpoint, "/sandbox/prometheus/answers", method: "DELETE").status == 200)
            #expect(try await Self.ask(endpoint, "up", post: false).status == 400)
            let queries = try await SandboxHTTP.json(endpoint, "/sandbox/prometheus/queries")["queries"]
            #expect(queries == ["errors_total", "up", "up"])
        }
    }

    /// Each case pins one refusal of a bad script.
    @Test(
        "a bad script is refused",
        arguments: [
            #"{"match": "up"}"#, #"[{"values": [1]}]"#, #"[{"match": "(", "values": [1]}]"#, #"[{"match": "up"}]"#,
            #"[{"match": "up", "values": ["soon"]}]"#, #"[{"match": "up", "values": [{"error": 200}]}]"#,
            #"[{"match": "up", "values": [1], "series": 0}]"#,
            "[{\"match\": \"\(String(repeating: "a", count: 2000))\", \"values\": [1]}]",
        ])
    func badScript(_ answers: String) async throws {
        let status = try await withSandbox { _, endpoint in
            try await SandboxHTTP.call(endpoint, "/sandbox/prometheus/answers", method: "POST", body: answers).status
        }
        #expect(status == 400)
    }

    /// Asks the scripted Prometheus `query`, by GET or by form-encoded POST.
    static func ask(_ endpoint: SandboxEndpoint, _ query: String, post: Bool) async throws -> (status: Int, text: String) {
        let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? query
        if post {
            return try await SandboxHTTP.call(
                endpoint, Self.query, method: "POST", body: "query=\(encoded)", contentType: "application/x-www-form-urlencoded")
        }
        return try await SandboxHTTP.call(endpoint, Self.query + "?query=\(encoded)")
    }
}
