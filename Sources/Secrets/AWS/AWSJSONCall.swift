import AsyncHTTPClient
import Foundation
import Manifests
import NIOCore
import NIOHTTP1

/// One signed call of an AWS JSON 1.1 API (`X-Amz-Target: <prefix>.<operation>`), shared by the
/// Secrets Manager and KMS clients: the body is signed with SigV4, the reply is read up to a
/// bound and parsed. Each client turns an `AWSCallFailure` into its own error type.
struct AWSJSONCall: Sendable {
    /// The service endpoint.
    var endpoint: URL
    /// The target prefix, e.g. `secretsmanager` or `TrentService`.
    var targetPrefix: String
    /// The signer, holding the credentials, region and service.
    var signer: SigV4Signer
    /// The HTTP client.
    var httpClient: HTTPClient
    /// Dates the signatures.
    var now: @Sendable () -> Date

    /// Sends `body` to `operation`; the reply object, or why there is none.
    func send(_ operation: String, _ body: JSONObject, timeout: Duration, maximumReplyBytes: Int) async throws(AWSCallFailure) -> JSONObject {
        let payload = Array(JSONWriter.compact(.object(body)).utf8)
        let headers = signer.sign(
            method: "POST", url: endpoint,
            headers: [("Content-Type", "application/x-amz-json-1.1"), ("X-Amz-Target", "\(targetPrefix).\(operation)")],
            payload: payload, date: now())
        var request = HTTPClientRequest(url: endpoint.absoluteString)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: payload))
        let status: HTTPResponseStatus
        let bytes: [UInt8]
        do {
            let response = try await httpClient.execute(request, timeout: .seconds(max(1, timeout.components.seconds)))
            status = response.status
            let buffer = try await response.body.collect(upTo: maximumReplyBytes)
            bytes = Array(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw .badReply("the reply is larger than \(maximumReplyBytes) bytes")
        } catch {
            throw .unreachable("\(endpoint.absoluteString) did not answer: \(error)")
        }
        let reply = (try? JSONParser.parse(bytes, file: operation))?.objectValue
        guard status == .ok else { throw Self.serviceFailure(status: status, reply: reply, bytes: bytes) }
        guard let reply else { throw .badReply("the reply is not a JSON object") }
        return reply
    }

    /// The failure an error reply stands for: JSON (`{"__type": "…#NotFoundException", "message": "…"}`),
    /// or the XML `<Code>`/`<Message>` some endpoints send for a refused signature.
    static func serviceFailure(status: HTTPResponseStatus, reply: JSONObject?, bytes: [UInt8]) -> AWSCallFailure {
        var rawType = reply?["__type"]?.stringValue ?? ""
        var message = reply?["message"]?.stringValue ?? reply?["Message"]?.stringValue
        if reply == nil {
            let text = String(decoding: bytes.prefix(4096), as: UTF8.self)
            rawType = xmlElement("Code", in: text) ?? ""
            message = xmlElement("Message", in: text)
        }
        let type = rawType.split(separator: "#").last.map(String.init) ?? rawType
        return .service(status: status, type: type.isEmpty ? nil : type, message: String((message ?? "HTTP \(status.code)").prefix(512)))
    }

    private static func xmlElement(_ name: String, in text: String) -> String? {
        guard let start = text.range(of: "<\(name)>"), let end = text.range(of: "</\(name)>", range: start.upperBound..<text.endIndex) else {
            return nil
        }
        return String(text[start.upperBound..<end.lowerBound])
    }

    /// Whether an AWS error type means the credentials were refused or lack the permission.
    static func isAccessDenied(_ type: String?, status: HTTPResponseStatus) -> Bool {
        let denied: Set = [
            "AccessDeniedException", "UnrecognizedClientException", "InvalidSignatureException", "ExpiredTokenException",
            "SignatureDoesNotMatch", "InvalidClientTokenId", "IncompleteSignature",
        ]
        if let type, denied.contains(type) { return true }
        return status == .forbidden
    }
}

/// Why an AWS JSON call has no reply object.
enum AWSCallFailure: Error, Sendable {
    /// No reply: the endpoint is down or unreachable, or the call timed out.
    case unreachable(String)
    /// A reply that is not what the API documents, or is too large.
    case badReply(String)
    /// An error reply of the service, with its type (`NotFoundException`) when it sent one.
    case service(status: HTTPResponseStatus, type: String?, message: String)
}
