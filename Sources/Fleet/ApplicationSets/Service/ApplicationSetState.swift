import Kube
import Manifests

/// What the service remembers of each set between passes (lost on restart, when the next pass
/// starts from what the cluster and the set's status show).
actor ApplicationSetState<Instant: InstantProtocol> {
    struct Record {
        /// The generation the last full pass read.
        var generation: Int64 = -1
        /// When generators run next.
        var nextGeneration: Instant?
        /// The Applications the last successful generation wanted; nil after a failed one.
        var desired: [Manifest]?
        /// The generated Applications' versions the last pass saw.
        var applicationsFingerprint = 0
        /// RollingSync entries of the last pass.
        var rollout: [String: RollingSync.Entry] = [:]
        /// The last spec error reported.
        var reportedInvalid: Int64?
    }

    nonisolated let wakeup = WakeSignal()
    private var records: [String: Record] = [:]

    func record(_ id: String) -> Record { records[id] ?? Record() }
    func set(_ id: String, _ record: Record) { records[id] = record }
    /// Forgets sets that are gone.
    func keep(_ ids: Set<String>) { records = records.filter { ids.contains($0.key) } }
    /// The earliest time a set's generators are due.
    func nextTimer() -> Instant? { records.values.compactMap(\.nextGeneration).min() }
}
