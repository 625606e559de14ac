import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A request the stub server received.
struct StubRequest: Sendable {
    var method: String
    var uri: String
    var headers: [String: String]

    /// The path without the query.
    var path: String { String(uri.split(separator: "?", maxSplits: 1).first ?? "") }
    /// The decoded query.
    var query: [String: String] {
        URLComponents(string: uri)?.queryItems?.reduce(into: [:]) { $0[$1.name] = $1.value ?? "" } ?? [:]
    }
}

/// What the stub answers: a status, headers and a body; `nil` from the handler never answers (a hung server).
struct StubResponse: Sendable {
    var status: Int
    var headers: [(String, String)] = []
    var body: String = ""
}

/// A scripted HTTP/1.1 server on 127.0.0.1 for registry protocol cases docker-registry cannot
/// play (a Bearer token service, hostile links, huge or hung replies).
final class StubServer: Sendable {
    typealias Handler = @Sendable (StubRequest, _ base: String) -> StubResponse?

    let port: Int
    private let log = Mutex<[StubRequest]>([])
    /// Every request so far.
    var requests: [StubRequest] { log.withLock { $0 } }
    /// `http://127.0.0.1:PORT`.
    var base: String { "http://127.0.0.1:\(port)" }
    /// `127.0.0.1:PORT`.
    var host: String { "127.0.0.1:\(port)" }

    private init(port: Int) { self.port = port }

    static func with<T>(_ handler: @escaping Handler, _ body: (StubServer) async throws -> T) async throws -> T {
        let box = Mutex<StubServer?>(nil)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(
                        StubHandler { request in
                            guard let server = box.withLock({ $0 }) else { return nil }
                            server.log.withLock { $0.append(request) }
                            return handler(request, server.base)
                        })
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let server = StubServer(port: channel.localAddress?.port ?? 0)
        box.withLock { $0 = server }
        defer { channel.close(promise: nil) }
        return try await body(server)
    }
}

private final class StubHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart
    let respond: @Sendable (StubRequest) -> StubResponse?
    var head: HTTPRequestHead?

    init(_ respond: @escaping @Sendable (StubRequest) -> StubResponse?) { self.respond = respond }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): self.head = head
        case .body: break
        case .end:
            guard let head else { return }
            var headers: [String: String] = [:]
            for (name, value) in head.headers { headers[name.lowercased()] = value }
            guard let response = respond(StubRequest(method: head.method.rawValue, uri: head.uri, headers: headers)) else { return }
            var replyHeaders = HTTPHeaders(response.headers)
            replyHeaders.replaceOrAdd(name: "Content-Length", value: String(response.body.utf8.count))
            let status = HTTPResponseStatus(statusCode: response.status)
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: replyHeaders))), promise: nil)
            if head.method != .HEAD { context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: response.body)))), promise: nil) }
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
