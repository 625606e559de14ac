import Foundation

/// Who started a sync.
public enum SyncInitiator: String, Sendable, Hashable, Codable {
    /// A new revision with automated sync.
    case automated
    /// Self-heal reverting drift.
    case selfHeal
    /// A person, through the API, CLI or an annotation.
    case manual
    /// A rollback to a history entry.
    case rollback
}

/// One sync in an application's history.
public struct HistoryEntry: Sendable, Hashable, Codable {
    /// Increasing per application; what a rollback names.
    public var id: Int
    /// The Git commit synced.
    public var revision: String
    /// When the sync finished.
    public var deployedAt: Date
    /// Who started it.
    public var initiator: SyncInitiator
    /// `Succeeded` or `Failed`.
    public var result: String
    /// SHA-256 of the applied manifests, so identical deploys are recognisable.
    public var digest: String
    /// A one-line account.
    public var message: String
    /// For a chart, the Helm release revision this sync deployed (`.Release.Revision`).
    public var release: Int? = nil
}

/// The last syncs of an application, newest last, bounded by the Application's
/// `spec.revisionHistoryLimit`.
public struct History: Sendable, Hashable, Codable {
    /// The most entries kept when the Application says nothing (`spec.revisionHistoryLimit`).
    public static let limit = 10
    /// The highest `spec.revisionHistoryLimit` accepted.
    public static let maximumLimit = 100

    /// The entries, oldest first.
    public private(set) var entries: [HistoryEntry] = []

    /// Creates a history from stored entries (keeping the newest `maximumLimit`; the next
    /// `record` trims them to the Application's limit).
    public init(_ entries: [HistoryEntry] = []) { self.entries = Array(entries.suffix(Self.maximumLimit)) }

    /// The id the next entry gets.
    public var nextID: Int { (entries.last?.id ?? 0) + 1 }

    /// Appends an entry, dropping the oldest beyond `limit` (the newest is always kept: it says
    /// what is deployed, and the next id and Helm release revision follow from it); returns its id.
    @discardableResult
    public mutating func record(
        revision: String, at date: Date, initiator: SyncInitiator, result: String, digest: String, message: String, release: Int? = nil,
        limit: Int = History.limit
    ) -> Int {
        let id = nextID
        entries.append(
            HistoryEntry(
                id: id, revision: revision, deployedAt: date, initiator: initiator, result: result, digest: digest, message: message,
                release: release))
        let kept = max(1, min(limit, Self.maximumLimit))
        if entries.count > kept { entries.removeFirst(entries.count - kept) }
        return id
    }

    /// The entry with `id`, if still kept.
    public func entry(_ id: Int) -> HistoryEntry? { entries.first { $0.id == id } }

    /// Completes the newest `Progressing` entry of `revision` (a rollout ended); false when none.
    @discardableResult
    public mutating func complete(revision: String, result: String, message: String) -> Bool {
        guard let index = entries.lastIndex(where: { $0.revision == revision && $0.result == Self.progressing }) else { return false }
        entries[index].result = result
        if !message.isEmpty { entries[index].message = message }
        return true
    }

    /// Whether the newest entry is a rollout of `revision` still under way. A sync of that
    /// revision then belongs to the same rollout (a restarted controller applies again the
    /// revision its predecessor was taking out) and adds no entry of its own.
    public func isRollingOut(_ revision: String) -> Bool {
        guard let newest = entries.last else { return false }
        return newest.revision == revision && newest.result == Self.progressing
    }

    /// The result of an entry whose rollout has not ended yet.
    public static let progressing = "Progressing"

    /// The newest successful entry.
    public var lastSucceeded: HistoryEntry? { entries.last { $0.result == "Succeeded" } }

    /// The newest entry whose sync applied: succeeded, or a rollout that started from it.
    public var lastApplied: HistoryEntry? { entries.last { Self.applied.contains($0.result) } }

    /// Results of syncs that applied their revision (a rollout may have ended them later).
    static let applied: Set<String> = ["Succeeded", progressing, "RolledBack", "Superseded"]
}
