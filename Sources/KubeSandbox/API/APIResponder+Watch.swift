import Foundation
import Hummingbird
import Manifests
import ServiceLifecycle

extension APIResponder {
    private enum Frame: Sendable {
        case event(WatchEvent)
        case bookmark(Int64)
        case error(APIError)
        case end
    }

    /// Streams watch events as newline-delimited JSON over a chunked response.
    func watch(_ type: ResourceType, query: ListQuery, parameters: QueryParameters, asTable: Bool) async throws -> Response {
        let since: Int64?
        if let text = parameters["resourceVersion"], !text.isEmpty {
            guard let value = Int64(text) else { throw APIError(.badRequest, "invalid resourceVersion \"\(text)\"") }
            since = value
        } else {
            since = nil
        }
        let bookmarks = parameters.flag("allowWatchBookmarks")
        let includeObject = parameters["includeObject"]
        let timeout = parameters["timeoutSeconds"].flatMap { Int($0) }.map { Duration.seconds($0) }
        let store = self.store
        let interval = configuration.bookmarkInterval
        // A too-old resourceVersion is reported inside a 200 stream, as the API server's watch cache does.
        let events: AsyncStream<WatchEvent>?
        let expired: APIError?
        do {
            events = try await store.watch(type, query: query, since: since)
            expired = nil
        } catch {
            events = nil
            expired = error
        }
        let body = ResponseBody { writer in
            let (frames, sink) = AsyncStream<Frame>.makeStream()
            try await withThrowingTaskGroup(of: Void.self) { group in
                if let expired { sink.yield(.error(expired)) }
                if let events {
                    group.addTask {
                        for await event in events { sink.yield(.event(event)) }
                        sink.yield(.end)
                    }
                } else {
                    sink.yield(.end)
                }
                if bookmarks {
                    group.addTask {
                        while !Task.isCancelled {
                            try await Task.sleep(for: interval)
                            sink.yield(.bookmark(await store.revision))
                        }
                    }
                }
                if let timeout {
                    group.addTask {
                        try await Task.sleep(for: timeout)
                        sink.yield(.end)
                    }
                }
                // A graceful shutdown ends every watch, as an API server's does: otherwise the server
                // waits for each one, even one whose client is gone (noticed only at its next write).
                group.addTask {
                    try? await gracefulShutdown()
                    sink.yield(.end)
                }
                for await frame in frames {
                    let line: JSONValue
                    switch frame {
                    case .event(let event):
                        let object: JSONValue =
                            asTable
                            ? TablePrinter.table([event.object], type: type, revision: nil, includeObject: includeObject)
                            : .object(event.object)
                        line = ["type": .string(event.type), "object": object]
                    case .bookmark(let revision):
                        line = [
                            "type": "BOOKMARK",
                            "object": [
                                "kind": .string(type.kind), "apiVersion": .string(type.apiVersion),
                                "metadata": ["resourceVersion": .string(String(revision))],
                            ],
                        ]
                    case .error(let error): line = ["type": "ERROR", "object": error.status]
                    case .end: line = .null
                    }
                    if line.isNull { break }
                    try await writer.write(ByteBuffer(string: JSONWriter.compact(line) + "\n"))
                }
                group.cancelAll()
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "application/json"], body: body)
    }
}
