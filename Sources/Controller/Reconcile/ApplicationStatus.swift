import Foundation
import Manifests
import Sync

/// One line of `status.conditions`.
public struct AppCondition: Sendable, Hashable {
    /// `Ready`, `SourceReady`, `Rendered`, `Synced`, `DependenciesReady`.
    public var type: String
    /// `True` or `False`.
    public var status: String
    /// A CamelCase reason.
    public var reason: String
    /// A one-line message (file:line for render errors; never a Secret value).
    public var message: String

    /// Creates a condition.
    public init(_ type: String, _ status: Bool, _ reason: String, _ message: String) {
        self.type = type
        self.status = status ? "True" : "False"
        self.reason = reason
        self.message = message
    }
}

/// What the controller reports about one application; written to `status` of the Application.
public struct ApplicationStatus: Sendable, Hashable {
    /// `Synced`, `OutOfSync` or `Unknown`.
    public var sync = "Unknown"
    /// The application's health.
    public var health: HealthStatus = .unknown
    /// Why, in a line.
    public var healthMessage = ""
    /// The revision the live state corresponds to (or is being synced to).
    public var revision = ""
    /// The newest revision of the source.
    public var latestRevision = ""
    /// Drifted objects and fields, when out of sync.
    public var drift: [String] = []
    /// Conditions.
    public var conditions: [AppCondition] = []
    /// What the application owns.
    public var inventory: [String] = []
    /// The last sync: its result, summary and time.
    public var operation: JSONValue = .null
    /// The controller's memory: history and the rollback pin.
    public var record = AppRecord()

    /// The status object.
    public var json: JSONValue {
        var object: JSONObject = [
            "sync": ["status": .string(sync), "revision": .string(revision)],
            "health": ["status": .string(health.rawValue), "message": .string(healthMessage)],
            "revision": .string(revision),
            "latestRevision": .string(latestRevision),
        ]
        if !drift.isEmpty { object["drift"] = .array(drift.map(JSONValue.string)) }
        object["conditions"] = .array(conditions.map { c in
            ["type": .string(c.type), "status": .string(c.status), "reason": .string(c.reason), "message": .string(c.message)]
        })
        object["inventory"] = .array(inventory.map(JSONValue.string))
        object["history"] = .array(record.history.entries.map { entry in
            [
                "id": .number(JSONNumber(Int64(entry.id))), "revision": .string(entry.revision),
                "deployedAt": .string(ChangeSet.timestamp(entry.deployedAt)), "initiator": .string(entry.initiator.rawValue),
                "result": .string(entry.result), "digest": .string(entry.digest), "message": .string(entry.message),
            ]
        })
        if let pin = record.pin {
            object["pinned"] = [
                "historyID": .number(JSONNumber(Int64(pin.historyID))), "revision": .string(pin.revision),
                "until": .string("a commit newer than \(pin.latestAtPin.prefix(12)) arrives, or the pin is removed"),
                "latestAtPin": .string(pin.latestAtPin),
            ]
        }
        let operation = self.operation.isNull ? record.lastOperation : self.operation
        if !operation.isNull { object["operation"] = operation }
        return .object(object)
    }

    /// The controller's memory recovered from a stored status, so a restart loses no history.
    public static func record(from status: JSONValue?) -> AppRecord {
        var record = AppRecord()
        guard let status else { return record }
        var entries: [HistoryEntry] = []
        for item in status["history"]?.arrayValue ?? [] {
            guard let id = item["id"]?.intValue, let revision = item["revision"]?.stringValue else { continue }
            let date = (item["deployedAt"]?.stringValue).flatMap { try? Date($0, strategy: .iso8601) } ?? Date()
            entries.append(HistoryEntry(
                id: Int(id), revision: revision, deployedAt: date,
                initiator: SyncInitiator(rawValue: item["initiator"]?.stringValue ?? "") ?? .automated,
                result: item["result"]?.stringValue ?? "", digest: item["digest"]?.stringValue ?? "", message: item["message"]?.stringValue ?? ""))
        }
        record.history = History(entries)
        record.syncedRevision = record.history.lastSucceeded?.revision
        record.lastOperation = status["operation"] ?? .null
        if let pin = status["pinned"], let id = pin["historyID"]?.intValue, let revision = pin["revision"]?.stringValue,
            let latest = pin["latestAtPin"]?.stringValue
        {
            record.pin = RollbackPin(historyID: Int(id), revision: revision, latestAtPin: latest)
        }
        return record
    }
}
