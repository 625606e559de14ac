import Crypto
import Foundation
import Manifests

/// What the unsealing loop remembers of each SealedSecret, and what it does next: pure, so each
/// rule is tested without I/O. A SealedSecret is decrypted again only when its generation or
/// annotations (its scope) change, when the key set changes after it failed, or when its Secret
/// no longer matches at a resync; a transient failure is tried again with capped exponential
/// backoff instead of waiting for the resync.
struct UnsealLedger: Sendable {
    /// How the last attempt ended.
    enum Outcome: Equatable, Sendable {
        /// The Secret was written; `digest` is `UnsealLedger.digest` of its type and data.
        case unsealed(digest: String)
        /// The Secret belongs to someone else (it may be handed over later).
        case refused
        /// The SealedSecret cannot be unsealed as it is (wrong key or scope, a refused template).
        case failed
        /// The API failed for now (a timeout, a conflict, a create race, RBAC).
        case transient
    }

    /// What to do with a SealedSecret now.
    enum Action: Equatable, Sendable {
        /// Decrypt and write its Secret.
        case unseal
        /// Check that its Secret still exists and has this digest; unseal when not.
        case verify(digest: String)
        /// Nothing.
        case none
    }

    struct Record: Sendable {
        var version: String
        var keySet: String
        var outcome: Outcome
        var key: String?
        var attempts: Int
        var retryAt: Date?
    }

    /// The first retry's delay; each further one doubles, up to `maximumBackoff`.
    static let initialBackoff: TimeInterval = 5
    /// The longest delay between retries.
    static let maximumBackoff: TimeInterval = 300

    private(set) var records: [String: Record] = [:]

    /// What changes a SealedSecret's content: its generation (spec) and its annotations (scope),
    /// not its resourceVersion, which every status write moves.
    static func version(of sealed: Manifest) -> String {
        let generation = sealed.metadata["generation"]?.intValue ?? 0
        let annotations = sealed.annotations.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return "\(generation)|\(sealed.metadata["uid"]?.stringValue ?? "")|\(annotations.joined(separator: "\n"))"
    }

    /// The SHA-256 of a Secret's type and data: enough to see that it still is what was written,
    /// without keeping its values in memory.
    static func digest(of secret: Manifest) -> String {
        var hasher = SHA256()
        hasher.update(data: Array((secret.object["type"]?.stringValue ?? "Opaque").utf8) + [0])
        for (name, value) in (secret.object["data"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            hasher.update(data: Array(name.utf8) + [0] + Array((value.stringValue ?? "").utf8) + [0])
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// The delay before retry number `attempt` (1 for the first).
    static func backoff(attempt: Int) -> TimeInterval {
        min(maximumBackoff, initialBackoff * pow(2, Double(min(max(attempt, 1), 32) - 1)))
    }

    func action(for id: String, version: String, keySet: String, resync: Bool, now: Date) -> Action {
        guard let record = records[id], record.version == version else { return .unseal }
        switch record.outcome {
        case .transient: return (record.retryAt ?? now) <= now ? .unseal : .none
        case .failed: return record.keySet == keySet ? .none : .unseal
        case .refused: return resync ? .unseal : .none
        case .unsealed(let digest): return resync ? .verify(digest: digest) : .none
        }
    }

    /// The fingerprint of the key that opened `id` last time.
    func preferredKey(for id: String) -> String? { records[id]?.key }

    /// When the earliest transient failure is due again.
    var nextRetry: Date? { records.values.compactMap(\.retryAt).min() }

    mutating func record(_ outcome: Outcome, for id: String, version: String, keySet: String, key: String?, now: Date) {
        let previous = records[id]
        var record = Record(version: version, keySet: keySet, outcome: outcome, key: key ?? previous?.key, attempts: 0, retryAt: nil)
        if outcome == .transient {
            record.attempts = (previous?.version == version ? previous?.attempts ?? 0 : 0) + 1
            record.retryAt = now.addingTimeInterval(Self.backoff(attempt: record.attempts))
        }
        records[id] = record
    }

    /// Forgets SealedSecrets that are gone.
    mutating func keep(only ids: Set<String>) { records = records.filter { ids.contains($0.key) } }
}
