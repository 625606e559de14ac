import Controller
import Foundation
import HTTPTypes
import Hummingbird
import Manifests
import ServiceLifecycle

extension ServerAPI {
    static let lastEventID = HTTPField.Name("Last-Event-ID")!

    /// `GET /api/v1/events`: server-sent events, one `application` event per change of an
    /// application the caller may see, and one `rollout` event per change of its rollouts. With `Last-Event-ID` the kept events after it are sent
    /// first; a comment line every `heartbeat` keeps proxies from closing an idle stream. Past
    /// `streams.limit` open streams the answer is 503 with `Retry-After`. A stream opened with a
    /// dashboard session ends at the first heartbeat after the session does (logout, expiry).
    func events(_ request: Request, _ context: ServerContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        guard let slot = StreamSlot(streams) else {
            throw APIError(
                .serviceUnavailable, "TooManyStreams", "the server has \(streams.limit) event streams open; retry later",
                headers: [.retryAfter: "5"])
        }
        let lastSeen = request.headers[Self.lastEventID].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let handle = self.handle
        let heartbeat = self.heartbeat
        let sessions = self.sessions
        let session = context.sessionID
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-store"
        let body = ResponseBody { writer in
            // The slot is held as long as the response exists.
            _ = slot
            // Subscribe before reading the kept events, so nothing falls between the two.
            let live = await handle.subscribe()
            var sent = lastSeen ?? 0
            try await writer.write(ByteBuffer(string: "retry: 3000\n: connected\n\n"))
            if let lastSeen {
                for event in await handle.events(after: lastSeen) {
                    guard await Self.visible(event, to: principal, handle) else { continue }
                    try await writer.write(ByteBuffer(string: Self.frame(event)))
                    sent = event.sequence
                }
            }
            let replayed = sent
            let (chunks, sink) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(512))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await event in live { sink.yield(await Self.visible(event, to: principal, handle) ? Self.frame(event, after: replayed) : "") }
                    sink.finish()
                }
                group.addTask {
                    while !Task.isCancelled {
                        try await Task.sleep(for: heartbeat)
                        if let session, !sessions.isLive(session) {
                            sink.finish()
                            return
                        }
                        sink.yield(": heartbeat\n\n")
                    }
                }
                // A graceful shutdown ends the stream, so open streams do not hold the server up.
                group.addTask {
                    try? await gracefulShutdown()
                    sink.finish()
                }
                defer { group.cancelAll() }
                for await chunk in chunks where !chunk.isEmpty { try await writer.write(ByteBuffer(string: chunk)) }
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    /// Whether `principal` may see `event`; for a token limited to projects, the application's
    /// project is looked up (an application no longer known, deleted, is hidden from it).
    static func visible(_ event: ApplicationEvent, to principal: Principal, _ handle: ControllerHandle) async -> Bool {
        let parts = event.application.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return false }
        // Without project globs the project plays no part.
        guard principal.isProjectScoped else { return principal.canAccess(namespace: parts[0], name: parts[1], project: "") }
        guard let view = await handle.application(namespace: parts[0], name: parts[1]) else { return false }
        return principal.canAccess(view)
    }

    /// The event's frame; empty when it was already sent in the replay (sequence ≤ `after`).
    static func frame(_ event: ApplicationEvent, after sent: Int = 0) -> String {
        guard event.sequence > sent else { return "" }
        let name = event.kind == .rollout ? "rollout" : "application"
        return "id: \(event.sequence)\nevent: \(name)\ndata: \(JSONWriter.compact(ApplicationJSON.event(event)))\n\n"
    }
}

/// One event stream's place under the cap, given back when the response is released (however
/// it ends: finished, cancelled, or never written).
final class StreamSlot: Sendable {
    let gate: ConnectionGate

    init?(_ gate: ConnectionGate) {
        guard gate.open() else { return nil }
        self.gate = gate
    }

    deinit { gate.close() }
}
