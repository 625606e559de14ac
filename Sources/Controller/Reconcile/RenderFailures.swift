import KeelsonFoundation
import Synchronization

/// Renders that failed, per application and inputs (commit, spec, decryption Secret): a render
/// that failed (a YAML bomb over the size caps, a broken kustomization) is not repeated on every
/// reconcile, while a change to any input renders again. An entry lasts `retention`, so a failure
/// caused elsewhere is retried in time; a manual sync or refresh retries at once.
final class RenderFailures: Sendable {
    /// What a render reads besides the spec.
    struct Inputs: Hashable {
        var commit: String
        /// The decryption Secret's resourceVersion (nil: none, or absent).
        var secretVersion: String?
    }

    private struct Entry {
        var key: Int
        var message: String
        var until: Duration
    }

    private let retention: Duration
    private let entries = Mutex<[String: Entry]>([:])

    private let elapsed: @Sendable () -> Duration

    /// Entries last `retention` on `clock`.
    init(retention: Duration = .seconds(600), clock: any Clock<Duration> = ContinuousClock()) {
        self.retention = retention
        elapsed = clock.stopwatch()
    }

    /// The remembered failure of `app` with `inputs`, if one is still held.
    func failure(_ app: Application, _ inputs: Inputs) -> String? {
        let key = Self.key(app, inputs)
        return entries.withLock { table in
            guard let entry = table[app.id], entry.key == key, entry.until > elapsed() else { return nil }
            return entry.message
        }
    }

    /// Remembers that rendering `app` with `inputs` failed with `message`.
    func record(_ app: Application, _ inputs: Inputs, message: String) {
        let entry = Entry(key: Self.key(app, inputs), message: message, until: elapsed() + retention)
        entries.withLock { $0[app.id] = entry }
    }

    /// Forgets `app`'s failure (it rendered).
    func clear(_ app: Application) { _ = entries.withLock { $0.removeValue(forKey: app.id) } }

    private static func key(_ app: Application, _ inputs: Inputs) -> Int {
        var hasher = Hasher()
        hasher.combine(inputs)
        hasher.combine(app.spec)
        return hasher.finalize()
    }
}
