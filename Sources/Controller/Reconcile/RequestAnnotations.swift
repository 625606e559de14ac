import Foundation
import Manifests
import Sync

/// The annotations that ask the controller for something, from a person with `kubectl annotate`
/// or from a standby replica forwarding an API request to the leader: the one home of their
/// names and values. The controller clears them once it has taken them.
///
/// - `keelson.dev/refresh`: fetch and compare now (any value).
/// - `keelson.dev/sync`: sync now; any value, or `{"prune": true, "revision": "SHA"}` for options.
/// - `keelson.dev/rollback: ID`: pin the revision of history entry ID.
enum RequestAnnotations {
    static let refresh = "keelson.dev/refresh"
    static let sync = "keelson.dev/sync"
    static let rollback = "keelson.dev/rollback"
    static let all = [sync, refresh, rollback]

    /// The requests `annotations` carry, in the order sync, refresh, rollback.
    static func requests(_ annotations: [String: String]) -> [ApplicationRequest] {
        var requests: [ApplicationRequest] = []
        if let value = annotations[sync] {
            let options = value.hasPrefix("{") ? (try? JSONParser.parse(Array(value.utf8), file: sync)) : nil
            requests.append(.sync(prune: options?["prune"]?.boolValue, revision: options?["revision"]?.stringValue))
        }
        if annotations[refresh] != nil { requests.append(.refresh) }
        if let id = annotations[rollback].flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) {
            requests.append(.rollback(historyID: id))
        }
        return requests
    }

    /// The annotation that asks for `request`; `time` makes a repeated refresh a change.
    static func annotation(for request: ApplicationRequest, time: Date) -> (name: String, value: String) {
        switch request {
        case .refresh: return (refresh, ChangeSet.timestamp(time))
        case .sync(nil, nil): return (sync, ChangeSet.timestamp(time))
        case .sync(let prune, let revision):
            var options = JSONObject()
            if let prune { options["prune"] = .bool(prune) }
            if let revision { options["revision"] = .string(revision) }
            return (sync, JSONWriter.compact(.object(options)))
        case .rollback(let id): return (rollback, String(id))
        }
    }
}
