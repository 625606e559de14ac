import Foundation
import Manifests
import Progressive
import Sync

/// What a line of `status.conditions` is about.
public enum ConditionType: String, Sendable, Hashable, CaseIterable {
    /// The Application's spec is valid.
    case ready = "Ready"
    /// The source was fetched.
    case sourceReady = "SourceReady"
    /// The source rendered.
    case rendered = "Rendered"
    /// The last sync succeeded (reported when it did not).
    case synced = "Synced"
    /// A sync operation is in progress (reported while it is).
    case syncing = "Syncing"
    /// The applications this one depends on are ready.
    case dependenciesReady = "DependenciesReady"
    /// The project allows the Application and everything it renders.
    case permitted = "Permitted"
    /// The destination cluster is registered and answers (reported when it does not).
    case clusterReachable = "ClusterReachable"
    /// The Application is being deleted with its objects (reported while it is; False when a
    /// delete failed and is retried).
    case deleting = "Deleting"
}

/// Why a condition is what it is (CamelCase in status).
public enum ConditionReason: Sendable, Hashable, CustomStringConvertible {
    case fetched, fetchFailed, revisionNotFound, rendered, renderFailed, invalidSpec
    case syncFailed, sharedResource, operationRunning
    case waitingForDependencies, dependencyCycle
    /// The destination cluster is not registered or does not answer.
    case clusterUnavailable
    /// A project rule refused the Application.
    case refused(ProjectViolation.Rule)
    /// The Application's objects are being deleted, or a delete failed.
    case deletingObjects, deletionFailed

    public var description: String {
        switch self {
        case .fetched: "Fetched"
        case .fetchFailed: "FetchFailed"
        case .revisionNotFound: "RevisionNotFound"
        case .rendered: "Rendered"
        case .renderFailed: "RenderFailed"
        case .invalidSpec: "InvalidSpec"
        case .syncFailed: "SyncFailed"
        case .sharedResource: "SharedResource"
        case .operationRunning: "OperationRunning"
        case .waitingForDependencies: "Waiting"
        case .dependencyCycle: "DependencyCycle"
        case .clusterUnavailable: "ClusterUnavailable"
        case .refused(let rule): rule.rawValue
        case .deletingObjects: "DeletingObjects"
        case .deletionFailed: "DeletionFailed"
        }
    }
}

/// One line of `status.conditions`.
public struct AppCondition: Sendable, Hashable {
    /// What it is about.
    public var type: ConditionType
    /// Whether it holds (`True` or `False` in status).
    public var holds: Bool
    /// Why.
    public var reason: ConditionReason
    /// A one-line message (file:line for render errors; never a Secret value).
    public var message: String

    /// Creates a condition.
    public init(_ type: ConditionType, _ holds: Bool, _ reason: ConditionReason, _ message: String) {
        self.type = type
        self.holds = holds
        self.reason = reason
        self.message = message
    }

    /// `True` or `False`.
    public var status: String { holds ? "True" : "False" }
}

/// What the controller reports about one application; written to `status` of the Application.
public struct ApplicationStatus: Sendable, Hashable {
    /// Whether the live objects equal the target revision's render.
    public var sync = SyncStatus.unknown
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
    /// The application's progressive rollouts.
    public var rollouts: [RolloutReport] = []
    /// The verdict on the newest revision's delivery, when the application has rollouts.
    public var delivery: Delivery? { Delivery(rollouts) }

    /// The status object.
    public var json: JSONValue {
        var object: JSONObject = [
            "sync": ["status": .string(sync.rawValue), "revision": .string(revision)],
            "health": ["status": .string(health.rawValue), "message": .string(healthMessage)],
            "revision": .string(revision),
            "latestRevision": .string(latestRevision),
        ]
        if !drift.isEmpty { object["drift"] = .array(drift.map(JSONValue.string)) }
        object["conditions"] = .array(
            conditions.map { c in
                [
                    "type": .string(c.type.rawValue), "status": .string(c.status), "reason": .string(c.reason.description),
                    "message": .string(c.message),
                ]
            })
        object["inventory"] = .array(inventory.map(JSONValue.string))
        object["history"] = .array(
            record.history.entries.map { entry in
                var item: JSONObject = [
                    "id": .number(JSONNumber(Int64(entry.id))), "revision": .string(entry.revision),
                    "deployedAt": .string(ChangeSet.timestamp(entry.deployedAt)), "initiator": .string(entry.initiator.rawValue),
                    "result": .string(entry.result), "digest": .string(entry.digest), "message": .string(entry.message),
                ]
                if let release = entry.release { item["release"] = .number(JSONNumber(Int64(release))) }
                return .object(item)
            })
        if let pin = record.pin {
            object["pinned"] = [
                "historyID": .number(JSONNumber(Int64(pin.historyID))), "revision": .string(pin.revision),
                "until": .string("a commit newer than \(pin.latestAtPin.prefix(12)) arrives, or the pin is removed"),
                "latestAtPin": .string(pin.latestAtPin),
            ]
        }
        if !rollouts.isEmpty {
            object["rollouts"] = .array(rollouts.map(\.json))
            if let delivery { object["delivery"] = delivery.json }
        }
        let operation = self.operation.isNull ? record.lastOperation : self.operation
        if !operation.isNull { object["operation"] = operation }
        if let running = record.operation {
            var state = running.json
            state["initiator"] = .string(record.operationInitiator.rawValue)
            object["operationState"] = state
        }
        return .object(object)
    }

    /// The controller's memory recovered from a stored status, so a restart loses no history.
    public static func record(from status: JSONValue?, app: AppIdentity) -> AppRecord {
        var record = AppRecord()
        guard let status else { return record }
        var entries: [HistoryEntry] = []
        for item in status["history"]?.arrayValue ?? [] {
            guard let id = item["id"]?.intValue, let revision = item["revision"]?.stringValue else { continue }
            let date = (item["deployedAt"]?.stringValue).flatMap { try? Date($0, strategy: .iso8601) } ?? Date()
            entries.append(
                HistoryEntry(
                    id: Int(id), revision: revision, deployedAt: date,
                    initiator: SyncInitiator(rawValue: item["initiator"]?.stringValue ?? "") ?? .automated,
                    result: item["result"]?.stringValue ?? "", digest: item["digest"]?.stringValue ?? "", message: item["message"]?.stringValue ?? "",
                    release: item["release"]?.intValue.map(Int.init))
            )
        }
        record.history = History(entries)
        record.syncedRevision = record.history.lastApplied?.revision
        record.lastOperation = status["operation"] ?? .null
        if let state = status["operationState"], let operation = SyncOperation(json: state, app: app), operation.isRunning {
            record.operation = operation
            record.operationInitiator = state["initiator"]?.stringValue.flatMap(SyncInitiator.init(rawValue:)) ?? .automated
        }
        if let pin = status["pinned"], let id = pin["historyID"]?.intValue, let revision = pin["revision"]?.stringValue,
            let latest = pin["latestAtPin"]?.stringValue
        {
            record.pin = RollbackPin(historyID: Int(id), revision: revision, latestAtPin: latest)
        }
        return record
    }
}
