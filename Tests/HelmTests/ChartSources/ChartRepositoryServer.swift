import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// A static HTTP file server on 127.0.0.1 (port 0) for a Helm repository folder: Basic auth when
/// given a user, an `ETag` per file honoured by `If-None-Match`, and a log of what was served.
final class ChartRepositoryServer: Sendable {
    /// One request and the status it got.
    struct Served: Sendable, Equatable {
        var path: String
        var status: Int
    }

    /// The requests served, shared with the handlers.
    final class Log: Sendable {
        let entries = Mutex<[Served]>([])
    }

    let port: Int
    private let log: Log
    let scheme: String
    /// `http://127.0.0.1:PORT` (`https` with TLS).
    var base: String { "\(scheme)://127.0.0.1:\(port)" }
    /// Every request so far.
    var served: [Served] { log.entries.withLock { $0 } }

    private init(port: Int, scheme: String, log: Log) {
        self.port = port
        self.scheme = scheme
        self.log = log
    }

    /// Serves `root` while `body` runs; with `credentials`, every request needs them as Basic
    /// auth; with `tls`, the server speaks TLS (and may ask for a client certificate).
    static func with<T>(
        root: String, credentials: (user: String, password: String)? = nil, tls: TLSConfiguration? = nil,
        _ body: (ChartRepositoryServer) async throws -> T
    ) async throws -> T {
        let log = Log()
        let expected: String? = credentials.map { "Basic " + Data("\($0.user):\($0.password)".utf8).base64EncodedString() }
        let context = try tls.map { try NIOSSLContext(configuration: $0) }
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let context { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context)) }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(FileHandler(root: root, authorization: expected, log: log))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        defer { channel.close(promise: nil) }
        return try await body(ChartRepositoryServer(port: channel.localAddress?.port ?? 0, scheme: tls == nil ? "http" : "https", log: log))
    }
}

private final class FileHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart
    let root: String
    let authorization: String?
    let log: ChartRepositoryServer.Log

    init(root: String, authorization: String?, log: ChartRepositoryServer.Log) {
        self.root = root
        self.authorization = authorization
        self.log = log
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(let head) = unwrapInboundIn(data) else { return }
        let path = String(head.uri.split(separator: "?", maxSplits: 1).first ?? "")
        var headers = HTTPHeaders()
        var body: [UInt8] = []
        let status: Int
        if let authorization, head.headers.first(name: "Authorization") != authorization {
            status = 401
            headers.add(name: "WWW-Authenticate", value: "Basic realm=\"charts\"")
        } else if path.contains("..") {
            status = 400
        } else if let data = FileManager.default.contents(atPath: root + path) {
            let etag = "\"" + SHA256.hash(data: data).prefix(8).map { String(format: "%02x", $0) }.joined() + "\""
            headers.add(name: "ETag", value: etag)
            if head.headers.first(name: "If-None-Match") == etag {
                status = 304
            } else {
                status = 200
                body = Array(data)
            }
        } else {
            status = 404
        }
        log.entries.withLock { $0.append(.init(path: path, status: status)) }
        headers.add(name: "Content-Length", value: String(body.count))
        let responseHead = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: headers)
        context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
        if !body.isEmpty { context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil) }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}
