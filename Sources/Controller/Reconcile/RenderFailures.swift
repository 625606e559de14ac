import Synchronization

/// Renders that failed, per application, commit and spec: a render that failed (a YAML bomb
/// over the size caps, a broken kustomization) is not repeated on every reconcile. An entry
/// lasts `retention`, so a failure caused outside Git (a decryption Secret created later) is
/// retried in time; a manual sync or refresh retries at once.
final class RenderFailures: Sendable {
    private struct Entry {
        var key: Int
        var message: String
        var until: ContinuousClock.Instant
    }

    private let retention: Duration
    private let entries = Mutex<[String: Entry]>([:])

    init(retention: Duration = .seconds(600)) { self.retention = retention }

    /// The remembered failure of `app` at `commit` with `spec`, if one is still held.
    func failure(_ app: Application, commit: String) -> String? {
        let key = Self.key(app, commit)
        return entries.withLock { table in
            guard let entry = table[app.id], entry.key == key, entry.until > ContinuousClock.now else { return nil }
            return entry.message
        }
    }

    /// Remembers that rendering `app` at `commit` failed with `message`.
    func record(_ app: Application, commit: String, message: String) {
        let entry = Entry(key: Self.key(app, commit), message: message, until: ContinuousClock.now + retention)
        entries.withLock { $0[app.id] = entry }
    }

    /// Forgets `app`'s failure (it rendered).
    func clear(_ app: Application) { _ = entries.withLock { $0.removeValue(forKey: app.id) } }

    private static func key(_ app: Application, _ commit: String) -> Int {
        var hasher = Hasher()
        hasher.combine(commit)
        hasher.combine(app.spec)
        return hasher.finalize()
    }
}
