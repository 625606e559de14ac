import Foundation
import Controller
import HTTPTypes
import Hummingbird
import Manifests
import ServiceLifecycle

extension ServerAPI {
    static let lastEventID = HTTPField.Name("Last-Event-ID")!

    /// `GET /api/v1/events`: server-sent events, one `application` event per change of an
    /// application the caller may see. With `Last-Event-ID` the kept events after it are sent
    /// first; a comment line every `heartbeat` keeps proxies from closing an idle stream.
    func events(_ request: Request, _ context: ServerContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let lastSeen = request.headers[Self.lastEventID].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let handle = self.handle
        let heartbeat = self.heartbeat
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-store"
        let body = ResponseBody { writer in
            // Subscribe before reading the kept events, so nothing falls between the two.
            let live = await handle.subscribe()
            var sent = lastSeen ?? 0
            try await writer.write(ByteBuffer(string: "retry: 3000\n: connected\n\n"))
            if let lastSeen {
                for event in await handle.events(after: lastSeen) where Self.visible(event, to: principal) {
                    try await writer.write(ByteBuffer(string: Self.frame(event)))
                    sent = event.sequence
                }
            }
            let replayed = sent
            let (chunks, sink) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(512))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await event in live { sink.yield(Self.visible(event, to: principal) ? Self.frame(event, after: replayed) : "") }
                    sink.finish()
                }
                group.addTask {
                    while !Task.isCancelled {
                        try await Task.sleep(for: heartbeat)
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

    static func visible(_ event: ApplicationEvent, to principal: Principal) -> Bool {
        let name = event.application.split(separator: "/", maxSplits: 1).last.map(String.init) ?? event.application
        return principal.canAccess(name)
    }

    /// The event's frame; empty when it was already sent in the replay (sequence ≤ `after`).
    static func frame(_ event: ApplicationEvent, after sent: Int = 0) -> String {
        guard event.sequence > sent else { return "" }
        return "id: \(event.sequence)\nevent: application\ndata: \(JSONWriter.compact(ApplicationJSON.event(event)))\n\n"
    }
}
