import Synchronization

/// Sync outcomes per ExternalSecret, as ESO's `externalsecret_sync_calls_total` and
/// `externalsecret_sync_calls_error` count them; read by `/metrics`.
public final class ExternalSecretsMetrics: Sendable {
    /// The counts of one ExternalSecret.
    public struct Counts: Sendable, Hashable {
        /// Every sync.
        public var total = 0
        /// Failed syncs.
        public var errors = 0
    }

    private let counts = Mutex<[String: Counts]>([:])

    /// No counts yet.
    public init() {}

    /// Counts one sync of `namespace/name`.
    func record(namespace: String, name: String, succeeded: Bool) {
        counts.withLock { counts in
            counts["\(namespace)/\(name)", default: Counts()].total += 1
            if !succeeded { counts["\(namespace)/\(name)", default: Counts()].errors += 1 }
        }
    }

    /// The counts by `namespace/name`.
    public var snapshot: [String: Counts] { counts.withLock { $0 } }
}
