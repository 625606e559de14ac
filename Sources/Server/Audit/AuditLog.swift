import Foundation
import Manifests
import Sync
import Synchronization

/// One line of the audit log: who did what to which application, when, from where, and how it ended.
public struct AuditEntry: Sendable, Hashable {
    /// When.
    public var time: Date
    /// The token's name (never the token), or `webhook:<provider>`, or `anonymous`.
    public var actor: String
    /// The client address.
    public var client: String
    /// `sync`, `refresh`, `rollback`, `suspend`, `resume`, `webhook`, `login`...
    public var action: String
    /// `namespace/name`, or empty.
    public var application: String
    /// `accepted`, `succeeded`, `denied`, `failed`.
    public var outcome: String
    /// The HTTP status answered.
    public var status: Int
    /// A line of detail (never a secret).
    public var detail: String

    /// Creates an entry.
    public init(
        time: Date = Date(), actor: String, client: String, action: String, application: String, outcome: String, status: Int, detail: String = ""
    ) {
        self.time = time
        self.actor = actor
        self.client = client
        self.action = action
        self.application = application
        self.outcome = outcome
        self.status = status
        self.detail = detail
    }

    /// The JSON line written.
    public var json: JSONValue {
        [
            "time": .string(ChangeSet.timestamp(time)),
            "actor": .string(actor), "client": .string(client), "action": .string(action), "application": .string(application),
            "outcome": .string(outcome), "status": .number(JSONNumber(Int64(status))), "detail": .string(detail),
        ]
    }
}

/// The audit log: one JSON object per line, appended to a file (or written to stderr).
/// Every action through the API and every webhook is recorded, allowed or not.
public final class AuditLog: Sendable {
    private let handle: Mutex<FileHandle>

    /// Appends to `path` (created with mode 0600 when missing); `nil` writes to stderr.
    public init(path: String?) throws {
        guard let path else {
            handle = Mutex(FileHandle.standardError)
            return
        }
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw CocoaError(
                    .fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path, NSLocalizedDescriptionKey: "\(path): cannot create the audit log"])
            }
        }
        let file = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try file.seekToEnd()
        handle = Mutex(file)
    }

    /// Writes `entry` as one line.
    public func record(_ entry: AuditEntry) {
        let line = Data((JSONWriter.compact(entry.json) + "\n").utf8)
        handle.withLock { try? $0.write(contentsOf: line) }
    }
}
