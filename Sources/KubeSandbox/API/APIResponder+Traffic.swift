import Foundation
import HTTPTypes
import Hummingbird
import Manifests

/// The sandbox endpoints for progressive delivery: the simulated traffic (`TrafficLedger`) and the
/// scripted Prometheus (`ScriptedPrometheus`).
extension APIResponder {
    /// `GET /sandbox/traffic` (JSON) and `GET /sandbox/traffic/metrics` (Prometheus text).
    func handleTraffic(_ request: Request, metrics: Bool) throws -> Response {
        guard request.method == .get else { throw APIError(.methodNotAllowed, "use GET on \(request.uri.path)") }
        guard metrics else { return Self.json(traffic.report) }
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: traffic.exposition)))
    }

    /// `/sandbox/prometheus/api/v1/query`, `/sandbox/prometheus/answers` and `/sandbox/prometheus/queries`.
    func handlePrometheus(_ rest: String, request: Request) async throws -> Response {
        switch (rest, request.method) {
        case ("api/v1/query", .get), ("api/v1/query", .post):
            var form = QueryParameters(request.uri.query)
            if request.method == .post {
                // Go's `FormValue`: the body's values come before the URL's.
                let body = QueryParameters(try await Self.text(request, limit: ScriptedPrometheus.maximumQueryLength))
                form = body["query"] == nil ? form : body
            }
            guard let query = form["query"], !query.isEmpty, query.utf8.count <= ScriptedPrometheus.maximumQueryLength else {
                return Self.json(
                    ["status": "error", "errorType": "bad_data", "error": "invalid parameter \"query\": a query of at most 64 KiB is required"],
                    status: .badRequest)
            }
            let time = form["time"].flatMap(Double.init) ?? Date().timeIntervalSince1970
            let (status, body) = prometheus.answer(query, time: time)
            return Self.json(body, status: HTTPResponse.Status(code: status))
        case ("answers", .post), ("answers", .put):
            let text = try await Self.text(request, limit: ScriptedPrometheus.maximumBodySize)
            let json: JSONValue
            do {
                json = try JSONParser.parse(Array(text.utf8), file: "<answers>")
            } catch {
                throw APIError(.badRequest, "the answers are not valid JSON: \(error)", cause: error)
            }
            return Self.json(["rules": .int(try prometheus.script(json))])
        case ("answers", .delete):
            prometheus.clearRules()
            return Self.json([:])
        case ("queries", .get): return Self.json(["queries": .array(prometheus.queries.map { .string($0) })])
        case ("queries", .delete):
            prometheus.clearQueries()
            return Self.json([:])
        case ("api/v1/query", _), ("answers", _), ("queries", _):
            throw APIError(.methodNotAllowed, "\(request.method.rawValue) is not allowed on /sandbox/prometheus/\(rest)")
        default: throw APIError(.notFound, "the server could not find the requested resource")
        }
    }

    /// The request body as text, refused beyond `limit` bytes.
    private static func text(_ request: Request, limit: Int) async throws -> String {
        var request = request
        do {
            return String(buffer: try await request.collectBody(upTo: limit))
        } catch {
            throw APIError(.requestEntityTooLarge, "the request body exceeds \(limit) bytes")
        }
    }
}
