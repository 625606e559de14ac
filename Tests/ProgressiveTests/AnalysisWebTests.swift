import AsyncHTTPClient
import Foundation
import KeelsonTesting
import Manifests
import Progressive
import Testing

/// A web answer, the JSON path read from it, and what the provider must make of it.
struct WebCase: Sendable, CustomTestStringConvertible {
    var rule: String
    var status: Int
    var body: String
    var jsonPath: String?
    var observation: Observation
    var testDescription: String { rule }
}

@Suite struct AnalysisWebTests {
    static let cases: [WebCase] = [
        // A member path reads a number.
        WebCase(rule: "member path", status: 200, body: #"{"data":{"rate":0.99}}"#, jsonPath: "$.data.rate", observation: .value(.number(0.99))),
        // An index path reads an array element.
        WebCase(rule: "index path", status: 200, body: #"{"results":[{"ok":true}]}"#, jsonPath: "$.results[0].ok", observation: .value(.bool(true))),
        // Argo's braces are accepted.
        WebCase(rule: "argo braces", status: 200, body: #"{"state":"ok"}"#, jsonPath: "{$.state}", observation: .value(.string("ok"))),
        // A path that selects nothing is no data.
        WebCase(
            rule: "missing path", status: 200, body: #"{"data":{}}"#, jsonPath: "$.data.rate",
            observation: .noData("jsonPath $.data.rate selects nothing")),
        // An object is not a value.
        WebCase(
            rule: "object selected", status: 200, body: #"{"data":{"a":1}}"#, jsonPath: "$.data",
            observation: .error("jsonPath $.data selects an object; select a number, boolean or string")),
        // Without a path, a scalar answer is the value.
        WebCase(rule: "scalar answer", status: 200, body: "0.5", jsonPath: nil, observation: .value(.number(0.5))),
        // A non-2xx answer is an Error with the status and the answer.
        WebCase(rule: "non-2xx", status: 500, body: "boom", jsonPath: "$.a", observation: .error("GET {url}/metrics answered HTTP 500: boom")),
    ]

    static func metric(url: String, fields: JSONObject) throws -> ResolvedMetric {
        var web: JSONObject = ["url": .string(url)]
        for (key, value) in fields { web[key] = value }
        return try Metric.parseList([["name": "rate", "equals": 1, "provider": ["web": .object(web)]]], path: "metrics", arguments: [])[0]
            .resolve(AnalysisSupport.context, secretData: ["headers": "X-Api-Key: k3y-value\nX-Team: shop"])
    }

    @Test(arguments: cases)
    func reads(_ row: WebCase) async throws {
        try await HTTPReceiver.withRunning { receiver in
            receiver.script("/metrics", statuses: [row.status], body: row.body)
            let metric = try Self.metric(url: receiver.url + "/metrics?key=secret", fields: row.jsonPath.map { ["jsonPath": .string($0)] } ?? [:])
            let observation = await WebProvider(http: .shared).measure(AnalysisSupport.request(metric))
            if case .error(let text) = row.observation {
                #expect(observation == .error(text.replacingOccurrences(of: "{url}", with: receiver.url)))
            } else {
                #expect(observation == row.observation)
            }
        }
    }

    // POST sends the filled body as JSON and the Secret's headers.
    @Test func postsBodyAndHeaders() async throws {
        try await HTTPReceiver.withRunning { receiver in
            receiver.script("/check", statuses: [200], body: #"{"passed":1}"#)
            let metric = try Self.metric(
                url: receiver.url + "/check",
                fields: ["method": "POST", "body": #"{"deployment":"{{canary.deployment}}"}"#, "jsonPath": "$.passed", "secretRef": "web-keys"])
            let observation = await WebProvider(http: .shared).measure(AnalysisSupport.request(metric))
            #expect(observation == .value(.number(1)))
            let request = try #require(await receiver.requests(path: "/check").first)
            #expect(request.method == "POST")
            #expect(request.text == #"{"deployment":"web-canary"}"#)
            #expect(request.header("Content-Type") == "application/json")
            #expect(request.header("X-Api-Key") == "k3y-value")
            #expect(request.header("X-Team") == "shop")
        }
    }
}
