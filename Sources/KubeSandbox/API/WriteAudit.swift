import Foundation
import HTTPTypes
import Manifests
import Synchronization

/// The API writes the sandbox accepted, in order, shown by `GET /sandbox/audit`: which client
/// (its `User-Agent`) created, updated, patched or deleted what, so a test can tell that two
/// replicas never wrote at once. The newest `limit` writes are kept.
///
/// `{"writes": [{"sequence": 1, "verb": "PATCH", "path": "/api/v1/namespaces/default/configmaps/a",
/// "userAgent": "keelson/replica-0", "code": 200}, ...]}`; `?after=N` shows the writes after sequence N.
final class WriteAudit: Sendable {
    struct Entry: Sendable {
        var sequence: Int
        var verb: String
        var path: String
        var userAgent: String
        var code: Int
    }

    /// How many writes are kept.
    let limit: Int
    private let state = Mutex<(next: Int, entries: [Entry])>((1, []))

    init(limit: Int = 100_000) { self.limit = limit }

    /// Whether a request with `method` writes.
    static func writes(_ method: HTTPRequest.Method) -> Bool { [.post, .put, .patch, .delete].contains(method) }

    /// Records one accepted write.
    func record(verb: String, path: String, userAgent: String, code: Int) {
        state.withLock { state in
            state.entries.append(Entry(sequence: state.next, verb: verb, path: path, userAgent: String(userAgent.prefix(256)), code: code))
            state.next += 1
            if state.entries.count > limit { state.entries.removeFirst(state.entries.count - limit) }
        }
    }

    /// The JSON of the writes after sequence `after`.
    func json(after: Int) -> JSONValue {
        let entries = state.withLock { $0.entries }.filter { $0.sequence > after }
        let writes: [JSONValue] = entries.map { entry in
            [
                "sequence": .number(JSONNumber(Int64(entry.sequence))), "verb": .string(entry.verb), "path": .string(entry.path),
                "userAgent": .string(entry.userAgent), "code": .number(JSONNumber(Int64(entry.code))),
            ]
        }
        return ["writes": .array(writes)]
    }
}
