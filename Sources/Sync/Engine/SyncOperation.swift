import Foundation
import Kube
import Manifests

/// A sync in progress: what it syncs, where it stands and when it gives up.
///
/// The engine carries an operation out one step per call (`SyncEngine.step`), and an operation
/// is plain data, so a controller keeps it in the Application's status and a restarted process
/// resumes at the stage it reached: waves already healthy and hooks already run are not repeated.
public struct SyncOperation: Sendable, Hashable {
    /// Where an operation is.
    public enum Phase: String, Sendable, Hashable {
        /// Stages remain.
        case running = "Running"
        /// Every stage completed.
        case succeeded = "Succeeded"
        /// A stage failed; the SyncFail hooks ran.
        case failed = "Failed"
    }

    /// The revision being synced.
    public var revision: String
    /// Whether this sync deletes what Git no longer holds.
    public var prune: Bool
    /// Where the operation is.
    public var phase: Phase = .running
    /// When it started.
    public var startedAt: Date
    /// When a stage still waiting fails the operation with a timeout.
    public var deadline: Date
    /// The index of the current stage (of the normal stages, or of the SyncFail hooks once failing).
    public var stage = 0
    /// Whether the current stage's writes are done, so what remains is its wait.
    public var acted = false
    /// Why the operation failed, once it has; the SyncFail hooks run then.
    public var failure: SyncError?

    /// An operation syncing `revision`, starting `now`, giving up after `timeout`.
    public init(revision: String, prune: Bool, now: Date, timeout: Duration) {
        self.revision = revision
        self.prune = prune
        self.startedAt = now
        self.deadline = now.addingTimeInterval(Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18)
    }

    /// Whether stages remain.
    public var isRunning: Bool { phase == .running }

    /// The operation as stored in status (`status.operationState`).
    public var json: JSONValue {
        var object: JSONObject = [
            "phase": .string(phase.rawValue), "revision": .string(revision), "prune": .bool(prune),
            "startedAt": .string(ChangeSet.timestamp(startedAt)), "deadline": .string(ChangeSet.timestamp(deadline)),
            "stage": .number(JSONNumber(Int64(stage))), "acted": .bool(acted),
        ]
        if let failure {
            object["failure"] = [
                "code": .string(failure.code.rawValue), "message": .string(failure.message),
                "object": failure.object.map { .string($0.description) } ?? .null,
            ]
        }
        return .object(object)
    }

    /// The operation stored as `json` for `app`; `nil` when there is none or it is unreadable.
    public init?(json: JSONValue?, app: AppIdentity) {
        guard let json, let phase = json["phase"]?.stringValue.flatMap(Phase.init(rawValue:)),
            let revision = json["revision"]?.stringValue,
            let startedAt = json["startedAt"]?.stringValue.flatMap({ try? Date($0, strategy: .iso8601) }),
            let deadline = json["deadline"]?.stringValue.flatMap({ try? Date($0, strategy: .iso8601) })
        else { return nil }
        self.revision = revision
        self.prune = json["prune"]?.boolValue ?? false
        self.phase = phase
        self.startedAt = startedAt
        self.deadline = deadline
        self.stage = Int(json["stage"]?.intValue ?? 0)
        self.acted = json["acted"]?.boolValue ?? false
        if let failure = json["failure"], let code = failure["code"]?.stringValue.flatMap(SyncError.Code.init(rawValue:)) {
            self.failure = SyncError(code, app: app, object: nil, failure["message"]?.stringValue ?? "")
        }
    }
}

/// One process's view of an operation: the persisted operation, the account of what this process
/// did, and the objects the API server returned for its writes (fresher than any watch).
public struct SyncSession: Sendable {
    /// The operation, as persisted.
    public var operation: SyncOperation
    /// What this process did for it.
    public var changes: ChangeSet
    /// The API server's answers to this session's writes, by object.
    var written: [ResourceKey: Manifest] = [:]
    /// The inventory as this session last saved it.
    var inventory: Set<InventoryEntry>?

    /// Takes `other`'s writes as this session's freshest knowledge of those objects (a new
    /// operation, or a comparison, right after another).
    public mutating func remember(_ other: SyncSession) {
        written.merge(other.written) { mine, _ in mine }
    }

    /// What is worth keeping of an ended operation's session: the writes `reads` has not caught
    /// up with yet (its change set is in history by then); nil when nothing is left. A running
    /// operation's session is kept whole.
    public func settled(against reads: any TrailingReads) async -> SyncSession? {
        guard !operation.isRunning else { return self }
        var kept = self
        kept.changes.objects = []
        for (key, object) in written
        where await reads.reflects(GroupVersionKind(object), namespace: object.namespace, resourceVersion: object.resourceVersion ?? "") {
            kept.written[key] = nil
        }
        return kept.written.isEmpty ? nil : kept
    }

    /// A session for `operation` of application `app`.
    public init(_ operation: SyncOperation, app: AppIdentity, dryRun: Bool = false) {
        self.operation = operation
        self.changes = ChangeSet(app: app.description, dryRun: dryRun, startedAt: operation.startedAt)
    }
}

/// What one step of an operation came to.
public enum SyncStepResult: Sendable, Hashable {
    /// The operation ended (see its phase and the session's change set).
    case finished
    /// A stage waits for the cluster: step again when an object of the application changes, or
    /// at the operation's deadline at the latest.
    case waiting(String)
}
