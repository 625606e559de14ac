import Foundation
import Kube

/// What the loop remembers between wakes: per ExternalSecret the last successful sync and a
/// pending retry, per store its last validation, and what is running.
actor ExternalSecretsState<Instant: InstantProtocol> where Instant.Duration == Duration {
    struct Record {
        /// `syncedResourceVersion` of the last successful sync.
        var syncedVersion: String?
        var lastRefresh: Instant?
        /// After a failure: when to try again, for which version.
        var retryAt: Instant?
        var failedVersion: String?
        /// Failures in a row, for the backoff.
        var failures = 0
        /// The version whose invalid spec was reported.
        var invalidVersion: String?
        var next: Instant?
    }

    struct StoreRecord {
        var version: String?
        var nextValidation: Instant?
        var invalidVersion: String?
    }

    private var records: [String: Record] = [:]
    private var stores: [String: StoreRecord] = [:]
    private var running: Set<String> = []
    nonisolated let wakeup = WakeSignal()

    func record(_ id: String) -> Record? { records[id] }

    /// Sets when `id` is due next (`nil`: not on a timer).
    func schedule(_ id: String, at instant: Instant?) { records[id, default: Record()].next = instant }

    /// Records a sync: success moves the refresh, failure schedules a retry after `retry`,
    /// doubled with every failure in a row up to `maximumRetry`.
    func finish(_ id: String, version: String, succeeded: Bool, at now: Instant, retry: Duration, maximumRetry: Duration) {
        var record = records[id] ?? Record()
        if succeeded {
            record.syncedVersion = version
            record.lastRefresh = now
            record.retryAt = nil
            record.failedVersion = nil
            record.failures = 0
        } else {
            record.failures += 1
            record.retryAt = now.advanced(by: RefreshSchedule.retryDelay(base: retry, failures: record.failures, maximum: maximumRetry))
            record.failedVersion = version
        }
        records[id] = record
    }

    /// Whether an invalid spec of this version still needs reporting (and marks it reported).
    func shouldReportInvalid(_ id: String, version: String) -> Bool {
        guard records[id]?.invalidVersion != version else { return false }
        records[id, default: Record()].invalidVersion = version
        return true
    }

    /// Forgets ExternalSecrets no longer listed.
    func keep(_ ids: Set<String>) {
        for id in records.keys where !ids.contains(id) { records[id] = nil }
    }

    // MARK: Stores

    /// Whether the store is due for validation (new, changed, or its interval passed).
    func storeDue(_ id: String, version: String, now: Instant) -> Bool {
        guard let record = stores[id], record.version == version, let next = record.nextValidation else { return true }
        return next <= now
    }

    func finishValidation(_ id: String, version: String, next: Instant) {
        stores[id, default: StoreRecord()].version = version
        stores[id, default: StoreRecord()].nextValidation = next
    }

    func shouldReportInvalidStore(_ id: String, version: String) -> Bool {
        guard stores[id]?.invalidVersion != version else { return false }
        stores[id, default: StoreRecord()].invalidVersion = version
        return true
    }

    // MARK: Work in flight

    func begin(_ key: String) -> Bool { running.insert(key).inserted }
    func end(_ key: String) { running.remove(key) }
    func runningCount() -> Int { running.count }

    /// The earliest timer after `now`.
    func nextTimer(after now: Instant) -> Instant? {
        let instants = records.values.flatMap { [$0.next, $0.retryAt].compactMap { $0 } } + stores.values.compactMap(\.nextValidation)
        return instants.filter { $0 > now }.min()
    }
}
