import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1

@testable import Server

/// The dashboard mounted on a real Hummingbird server on 127.0.0.1 (a free port), for the
/// duration of a test body; and a client that does not follow redirects.
enum DashboardServer {
    static func withRunning<T: Sendable>(
        backend: some DashboardBackend = FixtureBackend(), _ body: @Sendable (_ base: String, _ client: HTTPClient) async throws -> T
    ) async throws -> T {
        let router = Router()
        try Dashboard(backend: backend).addRoutes(to: router)
        let (ready, readySink) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in readySink.yield(channel.localAddress?.port ?? 0) },
            logger: {
                var logger = Logger(label: "keelson.test.dashboard"); logger.logLevel = .critical; return logger
            }())
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            let result = try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask {
                    do { try await app.runService() } catch  where Task.isCancelled {}
                    return nil
                }
                var iterator = ready.makeAsyncIterator()
                guard let port = await iterator.next() else { throw CancellationError() }
                let result = try await body("http://127.0.0.1:\(port)", client)
                group.cancelAll()
                while try await group.next() != nil {}
                return result
            }
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}

/// A response read whole.
struct Reply {
    var status: Int
    var headers: HTTPHeaders
    var body: String

    static func send(_ client: HTTPClient, _ method: HTTPMethod = .GET, _ url: String, headers: [(String, String)] = [], body: String? = nil)
        async throws -> Reply
    {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await client.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 4 << 20)
        return Reply(status: Int(response.status.code), headers: response.headers, body: String(buffer: bytes))
    }
}
