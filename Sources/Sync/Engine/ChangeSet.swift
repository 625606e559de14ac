import Foundation
import Manifests

/// What a sync did (or, in a dry run, would do) to one object.
public enum ChangeAction: String, Sendable, Hashable, CaseIterable {
    case create, update, unchanged, prune, skip, hook
}

/// The outcome for one object.
public struct ObjectChange: Sendable, Hashable {
    /// The object's identity.
    public var key: ResourceKey
    /// The API version it is addressed with.
    public var apiVersion: String
    /// What was done.
    public var action: ChangeAction
    /// The sync wave it belongs to.
    public var wave: Int
    /// The hook phase, for hooks.
    public var hookPhase: HookPhase?
    /// The drifted fields (JSON pointers) that made it an update.
    public var fields: [String]
    /// The field managers (other than Keelson) that last wrote the drifted fields.
    public var managers: [String] = []
    /// A unified YAML diff, Secret values masked; empty when there is none.
    public var diff: String
    /// How long its apply or delete took, in seconds.
    public var seconds: Double
    /// Why it failed, when it did.
    public var error: String?
    /// Its health after the sync, when assessed.
    public var health: ObjectHealth?
    /// When its apply or delete finished, for ordering checks.
    public var finishedAt: Date?

    /// Creates a change.
    public init(key: ResourceKey, apiVersion: String, action: ChangeAction, wave: Int = 0) {
        self.key = key
        self.apiVersion = apiVersion
        self.action = action
        self.wave = wave
        self.fields = []
        self.diff = ""
        self.seconds = 0
    }
}

/// The result of one sync, which the CLI, logs, events, history and the API all render.
public struct ChangeSet: Sendable, Hashable {
    /// How the sync ended.
    public enum Result: String, Sendable, Hashable, CaseIterable { case succeeded = "Succeeded", failed = "Failed" }

    /// The application.
    public var app: String
    /// Whether nothing was written.
    public var dryRun: Bool
    /// Per object, in the order acted on.
    public var objects: [ObjectChange] = []
    /// How the sync ended.
    public var result: Result = .succeeded
    /// A one-line account, e.g. the first error.
    public var message: String = ""
    /// What kind of failure ended the sync, when a `SyncError` did.
    public var failure: SyncError.Code?
    /// The application's health after the sync, when assessed.
    public var health: HealthStatus?
    /// When the sync started and finished.
    public var startedAt: Date
    public var finishedAt: Date

    /// Creates an empty change set.
    public init(app: String, dryRun: Bool, startedAt: Date = Date()) {
        self.app = app
        self.dryRun = dryRun
        self.startedAt = startedAt
        self.finishedAt = startedAt
    }

    /// How many objects had `action`.
    public func count(_ action: ChangeAction) -> Int { objects.count { $0.action == action } }

    /// `N created, N updated, N unchanged, N pruned[, N failed]`.
    public var summary: String {
        var parts = [
            "\(count(.create)) created", "\(count(.update)) updated", "\(count(.unchanged)) unchanged", "\(count(.prune)) pruned",
        ]
        if count(.hook) > 0 { parts.append("\(count(.hook)) hooks") }
        let failed = objects.count { $0.error != nil }
        if failed > 0 { parts.append("\(failed) failed") }
        return parts.joined(separator: ", ")
    }

    /// The change set as JSON (what `-o json` prints and the API returns).
    public var json: JSONValue {
        var objectsJSON: [JSONValue] = []
        for change in objects {
            var entry: JSONObject = [
                "kind": .string(change.key.kind), "group": .string(change.key.group), "namespace": .string(change.key.namespace),
                "name": .string(change.key.name), "apiVersion": .string(change.apiVersion), "action": .string(change.action.rawValue),
                "wave": .number(JSONNumber(Int64(change.wave))), "seconds": .number(JSONNumber(change.seconds)),
            ]
            if let phase = change.hookPhase { entry["hookPhase"] = .string(phase.rawValue) }
            if !change.fields.isEmpty { entry["fields"] = .array(change.fields.map(JSONValue.string)) }
            if !change.managers.isEmpty { entry["managers"] = .array(change.managers.map(JSONValue.string)) }
            if !change.diff.isEmpty { entry["diff"] = .string(change.diff) }
            if let error = change.error { entry["error"] = .string(error) }
            if let health = change.health {
                entry["health"] = ["status": .string(health.status.rawValue), "message": .string(health.message)]
            }
            if let finished = change.finishedAt { entry["finishedAt"] = .string(Self.timestamp(finished)) }
            objectsJSON.append(.object(entry))
        }
        var root: JSONObject = [
            "app": .string(app), "dryRun": .bool(dryRun), "result": .string(result.rawValue), "message": .string(message),
            "summary": .string(summary), "startedAt": .string(Self.timestamp(startedAt)), "finishedAt": .string(Self.timestamp(finishedAt)),
        ]
        if let health { root["health"] = .string(health.rawValue) }
        root["objects"] = .array(objectsJSON)
        return .object(root)
    }

    /// RFC 3339 with milliseconds, UTC.
    public static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }
}
