import Foundation
import Manifests
import Synchronization

/// A Prometheus query API that answers from a script, for fast and deterministic analysis tests.
///
/// `POST /sandbox/prometheus/answers` sets the rules (a JSON list of `ScriptedRule`s, replacing
/// earlier ones); `DELETE` clears them. `GET` or form-encoded `POST /sandbox/prometheus/api/v1/query`
/// answers from the first rule whose `match` is found in the query:
/// `{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1712345678.5,"0.99"]}]}}`,
/// or an error `{"status":"error","errorType":"unavailable","error":"…"}` with the scripted status.
/// A query no rule matches is 400 `bad_data`. `GET /sandbox/prometheus/queries` lists the queries
/// asked, in order: `{"queries": ["…"]}` (`DELETE` forgets them).
final class ScriptedPrometheus: Sendable {
    static let maximumBodySize = 1024 * 1024
    static let maximumRules = 256
    static let maximumQueries = 10_000
    static let maximumQueryLength = 64 * 1024

    private let state = Mutex<(rules: [ScriptedRule], queries: [String])>(([], []))

    /// Replaces the rules with those of a `POST /sandbox/prometheus/answers` body; returns how many there are.
    @discardableResult
    func script(_ json: JSONValue) throws(APIError) -> Int {
        guard let list = json.arrayValue, list.count <= Self.maximumRules else {
            throw APIError(.badRequest, "the answers must be a JSON list of at most \(Self.maximumRules) rules")
        }
        var rules: [ScriptedRule] = []
        for item in list { rules.append(try ScriptedRule(json: item)) }
        state.withLock { $0.rules = rules }
        return rules.count
    }

    /// Forgets every rule.
    func clearRules() { state.withLock { $0.rules = [] } }

    /// Forgets the queries asked.
    func clearQueries() { state.withLock { $0.queries = [] } }

    /// The queries asked so far, oldest first.
    var queries: [String] { state.withLock { $0.queries } }

    /// The HTTP status and body that answer `query` at unix time `time`.
    func answer(_ query: String, time: Double) -> (status: Int, body: JSONValue) {
        let answer: ScriptedRule.Answer?
        let series: Int
        (answer, series) = state.withLock { state in
            if state.queries.count >= Self.maximumQueries { state.queries.removeFirst() }
            state.queries.append(query)
            guard let index = state.rules.firstIndex(where: { $0.matches(query) }) else { return (nil, 0) }
            return (state.rules[index].next(), state.rules[index].series)
        }
        switch answer {
        case nil: return Self.error(400, "no scripted answer matches the query \(query)")
        case .error(let code): return Self.error(code, "scripted error \(code)")
        case .empty: return (200, Self.vector([]))
        case .value(let value):
            let sample: JSONValue = [.number(JSONNumber(time)), .string(PrometheusText.sample(value))]
            let result: [JSONValue] = (0..<series).map { index in
                ["metric": series == 1 ? [:] : ["series": .string(String(index))], "value": sample]
            }
            return (200, Self.vector(result))
        }
    }

    private static func vector(_ result: [JSONValue]) -> JSONValue {
        ["status": "success", "data": ["resultType": "vector", "result": .array(result)]]
    }

    /// A Prometheus error body, with the `errorType` the API gives that status.
    private static func error(_ code: Int, _ message: String) -> (status: Int, body: JSONValue) {
        let types = [400: "bad_data", 404: "not_found", 422: "execution", 499: "canceled", 503: "unavailable", 504: "timeout"]
        return (code, ["status": "error", "errorType": .string(types[code] ?? "internal"), "error": .string(message)])
    }
}
