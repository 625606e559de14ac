import HTTPTypes
import Hummingbird
import NIOCore

/// Records each request with the receiver and answers from its script, its handler, or 200.
struct ReceiverResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    /// The largest request body recorded whole.
    static let maximumBodySize = 16 * 1024 * 1024

    let recorder: HTTPReceiver.Recorder

    func respond(to request: Hummingbird.Request, context: Context) async throws -> Hummingbird.Response {
        let body = try await request.body.collect(upTo: Self.maximumBodySize)
        var headers: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName
            headers[name] = headers[name].map { $0 + ", " + field.value } ?? field.value
        }
        let recorded = HTTPReceiver.Request(
            method: request.method.rawValue, path: request.uri.string, headers: headers, body: Array(body.readableBytesView))
        let step = recorder.record(recorded)
        if let delay = step?.script.delay { try await Task.sleep(for: delay) }
        if let (script, status) = step, script.body != nil || !(200..<300).contains(status) || recorder.handler == nil {
            var extra = script.headers
            if let retryAfter = script.retryAfter { extra["Retry-After"] = retryAfter }
            return Self.response(HTTPReceiver.Response(status: status, headers: extra, body: script.body ?? []))
        }
        if let handler = recorder.handler, let answer = await handler(recorded) { return Self.response(answer) }
        return Self.response(HTTPReceiver.Response(status: 200))
    }

    static func response(_ answer: HTTPReceiver.Response) -> Hummingbird.Response {
        var fields = HTTPFields()
        for (name, value) in answer.headers {
            if let name = HTTPField.Name(name) { fields[name] = value }
        }
        return Hummingbird.Response(
            status: HTTPResponse.Status(code: answer.status), headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
    }
}
