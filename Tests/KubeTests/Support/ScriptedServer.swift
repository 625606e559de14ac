import Foundation
import Manifests
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// A request the scripted server received.
struct RecordedRequest: Sendable {
    var method: String
    var uri: String
    var headers: [(String, String)]
    var body: String

    /// The path without the query.
    var path: String { String(uri.split(separator: "?", maxSplits: 1).first ?? "") }
    /// The decoded query items.
    var query: [String: String] {
        guard let q = uri.split(separator: "?", maxSplits: 1).dropFirst().first else { return [:] }
        var items: [String: String] = [:]
        for pair in q.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
            items[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return items
    }
    /// The first header named `name` (case-insensitive).
    func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
}

/// A reply the scripted server sends.
struct ScriptedResponse: Sendable {
    var status: Int
    var headers: [(String, String)] = []
    /// Body parts; more than one is sent chunked, each part flushed on its own.
    var chunks: [String]
    /// Close the connection after the chunks without ending the reply (a dropped watch).
    var dropConnection = false

    static func json(_ status: Int, _ value: JSONValue, headers: [(String, String)] = []) -> ScriptedResponse {
        ScriptedResponse(status: status, headers: headers, chunks: [JSONWriter.compact(value)])
    }

    static func status(_ code: Int, reason: String, message: String = "", headers: [(String, String)] = []) -> ScriptedResponse {
        json(
            code,
            [
                "kind": "Status", "apiVersion": "v1", "status": "Failure", "code": .number(JSONNumber(Int64(code))),
                "reason": .string(reason), "message": .string(message),
            ], headers: headers)
    }

    /// A watch stream: one chunk per event line.
    static func watch(_ events: [JSONValue], drop: Bool = false) -> ScriptedResponse {
        ScriptedResponse(
            status: 200, headers: [("Content-Type", "application/json")],
            chunks: events.map { JSONWriter.compact($0) + "\n" }, dropConnection: drop)
    }
}

/// A test-only HTTP/1.1 server on 127.0.0.1 that answers each request with whatever the
/// script returns, so the real AsyncHTTPClient stack is exercised end to end.
final class ScriptedServer: Sendable {
    typealias Script = @Sendable (RecordedRequest) -> ScriptedResponse

    let port: Int
    let scheme: String
    private let channel: any Channel
    private let log = Mutex<[RecordedRequest]>([])

    /// Every request received so far.
    var requests: [RecordedRequest] { log.withLock { $0 } }
    /// The base URL.
    var url: String { "\(scheme)://127.0.0.1:\(port)" }

    private init(channel: any Channel, scheme: String) {
        self.channel = channel
        self.scheme = scheme
        port = channel.localAddress?.port ?? 0
    }

    /// Runs `body` with a server answering by `script`, then closes it.
    static func with<T>(
        tls: TLSConfiguration? = nil, script: @escaping Script, _ body: (ScriptedServer) async throws -> T
    ) async throws -> T {
        let sslContext = try tls.map { try NIOSSLContext(configuration: $0) }
        let box = Mutex<ScriptedServer?>(nil)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let sslContext { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext)) }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(
                        ScriptHandler(script: script) { request in
                            box.withLock { $0 }?.log.withLock { $0.append(request) }
                        })
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let server = ScriptedServer(channel: channel, scheme: tls == nil ? "http" : "https")
        box.withLock { $0 = server }
        do {
            let result = try await body(server)
            try? await channel.close()
            return result
        } catch {
            try? await channel.close()
            throw error
        }
    }
}

private final class ScriptHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let script: ScriptedServer.Script
    let record: @Sendable (RecordedRequest) -> Void
    var head: HTTPRequestHead?
    var body = ""

    init(script: @escaping ScriptedServer.Script, record: @escaping @Sendable (RecordedRequest) -> Void) {
        self.script = script
        self.record = record
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = ""
        case .body(let buffer):
            body += String(buffer: buffer)
        case .end:
            guard let head else { return }
            let request = RecordedRequest(method: head.method.rawValue, uri: head.uri, headers: head.headers.map { ($0.name, $0.value) }, body: body)
            record(request)
            respond(context: context, with: script(request))
        }
    }

    private func respond(context: ChannelHandlerContext, with response: ScriptedResponse) {
        var headers = HTTPHeaders(response.headers)
        if response.chunks.count <= 1 && !response.dropConnection {
            headers.replaceOrAdd(name: "Content-Length", value: String(response.chunks.first?.utf8.count ?? 0))
        } else {
            headers.replaceOrAdd(name: "Transfer-Encoding", value: "chunked")
        }
        if headers["Content-Type"].isEmpty { headers.add(name: "Content-Type", value: "application/json") }
        let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        for chunk in response.chunks {
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: chunk)))), promise: nil)
        }
        if response.dropConnection {
            context.flush()
            context.close(promise: nil)
        } else {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
