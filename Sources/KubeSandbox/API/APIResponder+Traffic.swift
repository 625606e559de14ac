import Foundation
import HTTPTypes
import Hummingbird
import Manifests

/// The sandbox endpoints for progressive delivery: the simulated traffic (`TrafficLedger`).
extension APIResponder {
    /// `GET /sandbox/traffic` (JSON) and `GET /sandbox/traffic/metrics` (Prometheus text).
    func handleTraffic(_ request: Request, metrics: Bool) throws -> Response {
        guard request.method == .get else { throw APIError(.methodNotAllowed, "use GET on \(request.uri.path)") }
        guard metrics else { return Self.json(traffic.report) }
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: traffic.exposition)))
    }
}
