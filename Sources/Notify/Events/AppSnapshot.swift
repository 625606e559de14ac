import KeelsonFoundation
import Manifests
import Progressive

/// What notifications compare between two moments of an Application: read from its status, and
/// kept in `status.notified.snapshot` once announced, so a restarted controller compares with
/// what it last told people and neither repeats nor loses a transition.
public struct AppSnapshot: Sendable, Hashable {
    public var sync = ""
    public var health = ""
    public var healthMessage = ""
    public var revision = ""
    public var latestRevision = ""
    /// The phase of the running operation (`Running`), empty when none runs.
    public var operationPhase = ""
    public var operationRevision = ""
    /// The last finished operation: when it finished, its result and message.
    public var lastOperation = ""
    public var lastOperationResult = ""
    public var lastOperationMessage = ""
    /// `status.drift`: one line per drifted object.
    public var drift: [String] = []
    /// The rollback pin's history id.
    public var pinned: Int? = nil
    /// Why the source failed (fetch or render, with `file:line`); empty when it did not.
    public var sourceFailure = ""
    /// The last revision announced as deployed.
    public var deployedRevision = ""
    /// The last revision announced as being rolled out (`sync-running`).
    public var runningRevision = ""
    /// Whether a `health-degraded` was announced and its `health-recovered` not yet.
    public var healthIncident = false
    /// `status.rollouts`; nil in a stored snapshot older than rollout events, which announces
    /// none of what it cannot compare with.
    public var rollouts: [RolloutReport]? = []

    public init() {}

    /// The snapshot of a status object (as the controller writes it); `deployedRevision`,
    /// `runningRevision` and `healthIncident` come from the previous snapshot, since status does
    /// not hold them.
    public init(status: JSONValue) {
        sync = status[path: ["sync", "status"]]?.stringValue ?? ""
        health = status[path: ["health", "status"]]?.stringValue ?? ""
        healthMessage = status[path: ["health", "message"]]?.stringValue ?? ""
        revision = status["revision"]?.stringValue ?? ""
        latestRevision = status["latestRevision"]?.stringValue ?? ""
        if let state = status["operationState"], state["phase"]?.stringValue == "Running" {
            operationPhase = "Running"
            operationRevision = state["revision"]?.stringValue ?? ""
        }
        if let operation = status["operation"], !operation.isNull {
            lastOperation = (operation["finishedAt"]?.stringValue ?? "") + " " + (operation["revision"]?.stringValue ?? "")
            lastOperationResult = operation["result"]?.stringValue ?? ""
            lastOperationMessage = operation["message"]?.stringValue ?? ""
            if let revision = operation["revision"]?.stringValue, operationRevision.isEmpty { operationRevision = revision }
        }
        drift = status["drift"]?.arrayValue?.compactMap(\.stringValue) ?? []
        pinned = status[path: ["pinned", "historyID"]]?.intValue.map(Int.init)
        for condition in status["conditions"]?.arrayValue ?? [] {
            guard let type = condition["type"]?.stringValue, ["SourceReady", "Rendered"].contains(type),
                condition["status"]?.stringValue == "False"
            else { continue }
            sourceFailure = condition["message"]?.stringValue ?? type
            break
        }
        rollouts = status["rollouts"]?.arrayValue?.compactMap(RolloutReport.init(json:)) ?? []
    }

    /// The form kept in `status.notified.snapshot`.
    public var json: JSONValue {
        var object: JSONObject = [
            "sync": .string(sync), "health": .string(health), "revision": .string(revision), "latestRevision": .string(latestRevision),
            "operationPhase": .string(operationPhase), "operationRevision": .string(operationRevision),
            "lastOperation": .string(lastOperation), "lastOperationResult": .string(lastOperationResult),
            "drift": .string(Self.fingerprint(drift)), "sourceFailure": .string(Self.fingerprint([sourceFailure])),
            "deployedRevision": .string(deployedRevision), "runningRevision": .string(runningRevision),
            "healthIncident": .bool(healthIncident),
        ]
        if let pinned { object["pinned"] = .number(JSONNumber(Int64(pinned))) }
        var marks = JSONObject()
        for rollout in rollouts ?? [] { marks[rollout.id] = .string(rollout.mark) }
        object["rollouts"] = .object(marks)
        return .object(object)
    }

    /// A snapshot read back from `json`. Drift and source failures are kept as fingerprints only
    /// (status already holds their text), so what comes back compares by fingerprint.
    public init?(json: JSONValue?) {
        guard let json, case .object = json else { return nil }
        sync = json["sync"]?.stringValue ?? ""
        health = json["health"]?.stringValue ?? ""
        revision = json["revision"]?.stringValue ?? ""
        latestRevision = json["latestRevision"]?.stringValue ?? ""
        operationPhase = json["operationPhase"]?.stringValue ?? ""
        operationRevision = json["operationRevision"]?.stringValue ?? ""
        lastOperation = json["lastOperation"]?.stringValue ?? ""
        lastOperationResult = json["lastOperationResult"]?.stringValue ?? ""
        driftFingerprint = json["drift"]?.stringValue
        sourceFingerprint = json["sourceFailure"]?.stringValue
        deployedRevision = json["deployedRevision"]?.stringValue ?? ""
        runningRevision = json["runningRevision"]?.stringValue ?? ""
        healthIncident = json["healthIncident"]?.boolValue ?? false
        pinned = json["pinned"]?.intValue.map(Int.init)
        rollouts = json["rollouts"]?.objectValue.map { marks in
            marks.compactMap { id, mark in mark.stringValue.map { RolloutReport(id: id, mark: $0) } }
        }
    }

    /// Fingerprints read back from a stored snapshot (nil for a snapshot made from status).
    var driftFingerprint: String? = nil
    var sourceFingerprint: String? = nil

    /// The drift fingerprint: stored, or computed from the lines.
    var driftID: String { driftFingerprint ?? Self.fingerprint(drift) }
    /// The source failure fingerprint.
    var sourceID: String { sourceFingerprint ?? Self.fingerprint([sourceFailure]) }
    /// Whether drift is present.
    var hasDrift: Bool { driftID != Self.fingerprint([]) }
    /// Whether the source failed.
    var sourceFailed: Bool { sourceID != Self.fingerprint([""]) }
    /// Whether a rollout of `revision` has not been promoted (it runs, or was rolled back): the
    /// revision is not delivered yet, whatever sync and health say.
    func rolloutUnfinished(_ revision: String) -> Bool {
        !revision.isEmpty && (rollouts ?? []).contains { $0.isUnfinished && $0.canaryRevision == revision }
    }

    /// A short, stable digest of `lines` (FNV-1a, 64 bits, hex): equal lines, equal fingerprint.
    static func fingerprint(_ lines: [String]) -> String {
        let hex = String(FNV1a.hash64(lines.joined(separator: "\n").utf8), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
