import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// A loopback HTTP server on 127.0.0.1 that records every request in order and answers as the
/// test scripts it: status sequences per path prefix (`503, 503, 200`), a `Retry-After`, a
/// delay, a body, or a handler with state of its own (`FakeSCM`).
///
/// ```swift
/// try await HTTPReceiver.withRunning { receiver in
///     receiver.script("/hook", statuses: [503, 503, 200])
///     // … point the code under test at receiver.url + "/hook" …
///     #expect(await receiver.requests(path: "/hook").count == 3)
/// }
/// ```
public final class HTTPReceiver: Sendable {
    /// Answers a request the scripts leave to it; nil falls back to the default answer.
    public typealias Handler = @Sendable (Request) async -> Response?

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    public let url: String
    let recorder: Recorder

    init(url: String, recorder: Recorder) {
        self.url = url
        self.recorder = recorder
    }

    /// Every request received so far, in arrival order.
    public var requests: [Request] {
        get async { recorder.state.withLock { $0.requests } }
    }

    /// The requests whose path (query aside) is `path` or lies under it.
    public func requests(path: String) async -> [Request] {
        await requests.filter { Self.path($0.pathWithoutQuery, isUnder: path) }
    }

    /// Answers requests under `pathPrefix` with `script` (the longest matching prefix wins),
    /// replacing an earlier script for the same prefix and starting its status sequence anew.
    public func script(_ pathPrefix: String, _ script: Script) {
        recorder.state.withLock { $0.scripts[pathPrefix] = (script, 0) }
    }

    /// Removes the script for `pathPrefix`: its requests are answered as before it was scripted.
    public func removeScript(_ pathPrefix: String) {
        _ = recorder.state.withLock { $0.scripts.removeValue(forKey: pathPrefix) }
    }

    /// Answers requests under `pathPrefix` with `statuses` in turn, the last one repeating.
    public func script(
        _ pathPrefix: String, statuses: [Int], retryAfter: String? = nil, delay: Duration? = nil, body: String? = nil,
        headers: [String: String] = [:]
    ) {
        script(pathPrefix, Script(statuses: statuses, retryAfter: retryAfter, delay: delay, body: body.map { Array($0.utf8) }, headers: headers))
    }

    /// Runs a receiver for the duration of `body`, then stops it, whatever `body` does.
    public static func withRunning<Result: Sendable>(_ body: @Sendable (HTTPReceiver) async throws -> Result) async throws -> Result {
        try await withRunning(handler: nil, body)
    }

    /// Runs a receiver whose unscripted requests go to `handler` for the duration of `body`.
    public static func withRunning<Result: Sendable>(
        handler: Handler?, _ body: @Sendable (HTTPReceiver) async throws -> Result
    ) async throws -> Result {
        var logger = Logger(label: "keelson.receiver")
        logger.logLevel = .error
        let recorder = Recorder(handler: handler)
        let (ready, readySink) = AsyncStream<Int>.makeStream()
        let app = Application(
            responder: ReceiverResponder(recorder: recorder),
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "keelson-receiver"),
            onServerRunning: { channel in readySink.yield(channel.localAddress?.port ?? 0) },
            logger: logger)
        // A group rather than cancellation, as in `Sandbox.withRunning`: a cancelled server logs errors.
        let services = ServiceGroup(configuration: .init(services: [.init(service: app)], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { readySink.finish() }
                try await services.run()
            }
            var iterator = ready.makeAsyncIterator()
            guard let port = await iterator.next() else {
                try await group.waitForAll()
                throw CancellationError()
            }
            let receiver = HTTPReceiver(url: "http://127.0.0.1:\(port)", recorder: recorder)
            let result: Result
            do {
                result = try await body(receiver)
            } catch {
                await services.triggerGracefulShutdown()
                try? await group.waitForAll()
                throw error
            }
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
            return result
        }
    }

    /// Whether `path` is `prefix` or a path below it (`/a` covers `/a/b`, not `/ab`).
    static func path(_ path: String, isUnder prefix: String) -> Bool {
        let prefix = prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix
        return prefix.isEmpty || path == prefix || path.hasPrefix(prefix + "/")
    }
}
