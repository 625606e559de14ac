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

    /// A watch's `sendInitialEvents` (nil when not given), checked as the API server checks a
    /// streaming list: it needs `resourceVersionMatch=NotOlderThan`, and that match is only for a
    /// streaming list.
    static func streamingList(_ parameters: QueryParameters) throws(APIError) -> Bool? {
        let initialEvents = parameters["sendInitialEvents"].map { $0 == "true" || $0 == "1" }
        let match = parameters["resourceVersionMatch"].flatMap { $0.isEmpty ? nil : $0 }
        var problems: [String] = []
        if initialEvents != nil && match != "NotOlderThan" {
            problems.append("resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan")
        }
        if let match {
            if initialEvents == nil {
                problems.append("resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided")
            }
            if match != "NotOlderThan" {
                problems.append("resourceVersionMatch: Unsupported value: \"\(match)\": supported values: \"NotOlderThan\"")
            }
        }
        guard problems.isEmpty else {
            throw APIError(.invalid, "ListOptions.meta.k8s.io \"\" is invalid: " + problems.joined(separator: ", "))
        }
        return initialEvents
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
        let initialEvents = try Self.streamingList(parameters)
        let includeObject = parameters["includeObject"]
        let timeout = parameters["timeoutSeconds"].flatMap { Int($0) }.map { Duration.seconds($0) }
        let store = self.store
        let interval = configuration.bookmarkInterval
        let columns = asTable ? catalog.printerColumns(for: type) : nil
        // A too-old resourceVersion is reported inside a 200 stream, as the API server's watch cache does.
        let events: AsyncStream<WatchEvent>?
        let expired: APIError?
        do {
            events = try await store.watch(type, query: query, since: since, initialEvents: initialEvents, endBookmark: bookmarks)
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
                            asTable && event.type != "BOOKMARK"
                            ? TablePrinter.table([event.object], type: type, custom: columns, revision: nil, includeObject: includeObject)
                            : .object(event.object)
                        line = ["type": .string(event.type), "object": object]
                    case .bookmark(let revision):
                        line = ["type": "BOOKMARK", "object": .object(ClusterStore.bookmark(type, revision: revision).object)]
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
