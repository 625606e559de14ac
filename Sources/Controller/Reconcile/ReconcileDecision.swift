import Manifests
import Sync

/// A rollback pin: the application stays at `revision` until Git moves past `latestAtPin`
/// or the pin is removed, with automation left on.
public struct RollbackPin: Sendable, Hashable, Codable {
    /// The history entry rolled back to.
    public var historyID: Int
    /// The revision pinned.
    public var revision: String
    /// The newest revision in Git when the pin was made; a newer one unpins.
    public var latestAtPin: String
}

/// What the controller knows about one application between reconciles.
public struct AppRecord: Sendable, Hashable {
    /// The sync history.
    public var history = History()
    /// The rollback pin, if any.
    public var pin: RollbackPin?
    /// The revision of the last successful sync.
    public var syncedRevision: String?
    /// Consecutive failed syncs of the current target.
    public var failures = 0
    /// Self-heal syncs in a row without a new revision (to back off from a fight).
    public var selfHeals = 0
    /// The last sync operation (`status.operation`), kept until the next sync replaces it.
    public var lastOperation: JSONValue = .null
    /// The sync operation in progress (`status.operationState`), which a restart resumes.
    public var operation: SyncOperation?
    /// Who started the operation in progress.
    public var operationInitiator = SyncInitiator.automated

    /// An empty record.
    public init() {}
}

/// What one reconcile found.
public struct Observation: Sendable, Hashable {
    /// The newest revision of the source.
    public var latestRevision: String
    /// Whether the live objects differ from the target revision's render.
    public var outOfSync: Bool
    /// Whether a sync was asked for by a person (API, CLI, annotation).
    public var manualSync: Bool = false

    /// Creates an observation.
    public init(latestRevision: String, outOfSync: Bool, manualSync: Bool = false) {
        self.latestRevision = latestRevision
        self.outOfSync = outOfSync
        self.manualSync = manualSync
    }
}

/// What the controller does next for one application.
public enum ReconcileDecision: Sendable, Hashable {
    /// Sync `revision`.
    case sync(revision: String, initiator: SyncInitiator)
    /// Report out of sync; do nothing (no automation, or suspended).
    case reportOutOfSync(revision: String)
    /// Nothing to do: in sync.
    case inSync(revision: String)
}

/// The controller's policy, pure: which revision is the target and whether to sync it.
public enum Reconciler {
    /// The revision to deploy: the pin while it holds, else the newest. Updates the record
    /// when a newer commit has released the pin.
    public static func target(_ record: inout AppRecord, latest: String) -> String {
        if let pin = record.pin {
            if pin.latestAtPin == latest { return pin.revision }
            record.pin = nil  // a newer commit arrived: automation takes over again
        }
        return latest
    }

    /// Decides what to do for an application with `spec` and `record` given `observation`.
    public static func decide(_ spec: ApplicationSpec, _ record: inout AppRecord, _ observation: Observation) -> ReconcileDecision {
        let target = target(&record, latest: observation.latestRevision)
        let needsSync = observation.outOfSync || record.syncedRevision != target
        guard needsSync else { return .inSync(revision: target) }
        if !observation.outOfSync && !observation.manualSync && record.syncedRevision != nil {
            // The revision moved but renders to what is live (a commit elsewhere in the
            // repository): nothing to apply, so no sync and no history entry, as Argo CD does.
            record.syncedRevision = target
            return .inSync(revision: target)
        }
        if spec.suspend { return .reportOutOfSync(revision: target) }
        if observation.manualSync { return .sync(revision: target, initiator: record.pin?.revision == target ? .rollback : .manual) }
        guard let automated = spec.syncPolicy.automated else { return .reportOutOfSync(revision: target) }
        if record.syncedRevision != target {
            return .sync(revision: target, initiator: record.pin?.revision == target ? .rollback : .automated)
        }
        // Same revision, live objects drifted: only self-heal reverts that.
        return automated.selfHeal ? .sync(revision: target, initiator: .selfHeal) : .reportOutOfSync(revision: target)
    }

    /// Pins the revision of history entry `id`; `nil` when the entry is not kept.
    public static func rollback(_ record: inout AppRecord, to id: Int, latest: String) -> RollbackPin? {
        guard let entry = record.history.entry(id) else { return nil }
        let pin = RollbackPin(historyID: id, revision: entry.revision, latestAtPin: latest)
        record.pin = pin
        return pin
    }

    /// The wait before retry `attempt` (0-based) of a failed sync, capped.
    public static func backoff(_ retry: ApplicationSpec.Retry, attempt: Int) -> Duration {
        let seconds = Double(retry.backoff.components.seconds) * pow(retry.factor, Double(max(0, attempt)))
        let capped = min(seconds, Double(retry.maxBackoff.components.seconds))
        return .milliseconds(Int64(capped * 1000))
    }

    private static func pow(_ base: Double, _ exponent: Double) -> Double {
        var result = 1.0
        for _ in 0..<Int(min(exponent, 64)) { result *= base }
        return result
    }
}
