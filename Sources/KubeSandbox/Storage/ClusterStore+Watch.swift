import Foundation
import Manifests

extension ClusterStore {
    /// Opens a watch on a type.
    ///
    /// Without a resourceVersion (or with `0`) the stream starts with `ADDED` for every current
    /// object; with one, it replays the changes after it, or fails with `410 Expired` when those
    /// changes are no longer kept.
    ///
    /// `initialEvents` is a streaming list's `sendInitialEvents`: when true the stream starts with
    /// `ADDED` for every current object whatever the resourceVersion, then (with `endBookmark`,
    /// the watch's `allowWatchBookmarks`) a `BOOKMARK` at the current resourceVersion annotated
    /// `k8s.io/initial-events-end`, which ends an informer's initial list; when false it starts
    /// after the given resourceVersion, or now.
    func watch(
        _ type: ResourceType, query: ListQuery, since: Int64?, initialEvents: Bool? = nil, endBookmark: Bool = false
    ) throws(APIError) -> AsyncStream<WatchEvent> {
        let (stream, continuation) = AsyncStream<WatchEvent>.makeStream()
        if initialEvents == true {
            for object in all(type, namespace: query.namespace) where query.matches(object) {
                continuation.yield(
                    WatchEvent(type: "ADDED", storageID: type.storageID, object: object, revision: object.resourceVersion ?? 0))
            }
            if endBookmark { continuation.yield(Self.bookmark(type, revision: revision, initialEventsEnd: true)) }
        } else if initialEvents == false && (since ?? 0) <= 0 {
            // Start now: nothing to replay.
        } else if let since, since > 0 {
            guard since >= compactedRevision else {
                throw APIError(.expired, "too old resource version: \(since) (\(compactedRevision + 1))")
            }
            for event in history where event.revision > since && event.storageID == type.storageID {
                if let visible = event.seen(by: query) { continuation.yield(present(visible, as: type)) }
            }
        } else {
            for object in all(type, namespace: query.namespace) where query.matches(object) {
                continuation.yield(
                    WatchEvent(type: "ADDED", storageID: type.storageID, object: object, revision: object.resourceVersion ?? 0))
            }
        }
        nextWatcherID += 1
        watchers[nextWatcherID] = Watcher(type: type, query: query, continuation: continuation)
        return stream
    }

    /// Records an event and sends it to matching watchers.
    func publish(_ event: WatchEvent) {
        if let persistence {
            do {
                try persistence.record(event)
            } catch {
                logger.error("cannot persist change", metadata: ["error": "\(error)"])
            }
        }
        history.append(event)
        if history.count > historyLimit {
            let dropped = history.count - historyLimit
            compactedRevision = history[dropped - 1].revision
            history.removeFirst(dropped)
        }
        for (id, watcher) in watchers where watcher.type.storageID == event.storageID {
            guard let visible = event.seen(by: watcher.query) else { continue }
            if case .terminated = watcher.continuation.yield(present(visible, as: watcher.type)) {
                watchers.removeValue(forKey: id)
            }
        }
        for observer in observers { observer(event) }
        onCommit?(event)
    }

    /// Calls `observer` with every committed change from now on, inside the commit, so it has seen
    /// a write before the write's response is sent. The objects of `storageIDs` that exist now
    /// reach it first as `ADDED` events.
    func observe(replaying storageIDs: Set<String>, _ observer: @escaping @Sendable (WatchEvent) -> Void) {
        for storageID in storageIDs.sorted() {
            for (_, object) in (objects[storageID] ?? [:]).sorted(by: { $0.key < $1.key }) {
                observer(WatchEvent(type: "ADDED", storageID: storageID, object: object, revision: revision))
            }
        }
        observers.append(observer)
    }

    /// A `BOOKMARK` event at `revision`: an object of the type with only its resourceVersion (and,
    /// ending a streaming list's initial events, the `k8s.io/initial-events-end` annotation).
    static func bookmark(_ type: ResourceType, revision: Int64, initialEventsEnd: Bool = false) -> WatchEvent {
        var metadata: JSONObject = ["resourceVersion": .string(String(revision))]
        if initialEventsEnd { metadata["annotations"] = ["k8s.io/initial-events-end": "true"] }
        let object: JSONObject = ["kind": .string(type.kind), "apiVersion": .string(type.apiVersion), "metadata": .object(metadata)]
        return WatchEvent(type: "BOOKMARK", storageID: type.storageID, object: object, revision: revision)
    }

    /// Ends every open watch, as a dropped connection would (fault injection).
    func dropWatches() {
        for watcher in watchers.values { watcher.continuation.finish() }
        watchers.removeAll()
    }

    /// The number of open watches.
    var watchCount: Int { watchers.count }

    private func present(_ event: WatchEvent, as type: ResourceType) -> WatchEvent {
        var copy = event
        copy.object = present(event.object, as: type)
        return copy
    }
}
