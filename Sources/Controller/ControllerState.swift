import Foundation
import KeelsonFoundation
import Manifests
import Sync

/// What the controller remembers between ticks, shared by its workers.
actor ControllerState {
    /// Time on the controller's clock since it started: schedules are points on it.
    nonisolated let elapsed: @Sendable () -> Duration

    init(clock: any Clock<Duration>) { elapsed = clock.stopwatch() }

    struct Schedule {
        var nextFetch: Duration?
        var nextCheck: Duration?
    }

    private var records: [String: AppRecord] = [:]
    private var generations: [String: Int64] = [:]
    private var schedules: [String: Schedule] = [:]
    private var latest: [String: String] = [:]
    private var running: Set<String> = []
    private var ready: Set<String> = []
    private var graph: [String: [String]] = [:]
    private var cycles: [[String]] = []
    /// Applications a watch event asked to check, since when.
    private var checkRequests: [String: Duration] = [:]
    /// Applications whose spec or Project changed since their last reconcile started.
    private var specChanges: Set<String> = []
    private var invalidGenerations: [String: Int64] = [:]
    /// Applications seen marked for deletion.
    private var deletions: Set<String> = []
    private var projectVersions: [String]?
    private var sessions: [String: SyncSession] = [:]
    private var written: [String: Manifest] = [:]

    /// The sync session in progress for `id`, or its last one.
    func session(_ id: String) -> SyncSession? { sessions[id] }

    /// The Application object as the controller's last status write returned it.
    func lastWritten(_ id: String) -> Manifest? { written[id] }
    func setLastWritten(_ id: String, _ object: Manifest) { written[id] = object }

    /// Records the Projects' versions; returns whether they changed since the last call (not at the first).
    func observeProjects(_ versions: [String]) -> Bool {
        let sorted = versions.sorted()
        defer { projectVersions = sorted }
        return projectVersions != nil && projectVersions != sorted
    }

    /// Asks for a drift check of the applications `ids` (a watch saw their objects change).
    func requestChecks(_ ids: Set<String>) {
        let now = elapsed()
        for id in ids where checkRequests[id] == nil { checkRequests[id] = now }
    }

    /// Asks for a full reconcile of `ids` as if their specs changed (their Projects did).
    func requestSpecChecks(_ ids: [String]) { specChanges.formUnion(ids) }

    /// Whether `id`'s spec (or its Project) changed since its last reconcile started.
    func specChanged(_ id: String) -> Bool { specChanges.contains(id) }

    /// Whether an invalid Application's status should be written (once per generation).
    func shouldReportInvalid(_ id: String, generation: Int64) -> Bool {
        defer { invalidGenerations[id] = generation }
        return invalidGenerations[id] != generation
    }

    /// One Application as the loop sees it on a turn.
    struct Observed: Sendable {
        var id: String
        var generation: Int64
        /// Whether it carries a sync, refresh or rollback annotation.
        var annotated: Bool
        /// Whether it is marked for deletion (due at once the first time it is seen so).
        var deleting = false
        /// Its record as its stored status holds it (read only the first time it is seen).
        var record: @Sendable () -> AppRecord
    }

    /// Records the generations of `apps` and returns those due now that are not running, each
    /// with since when it has waited: asked for (spec change, annotation, a request in
    /// `requested`, a first fetch) before anything else, then by the time it fell due.
    func due(_ apps: [Observed], requested: Set<String>) -> [(id: String, since: Duration, fetchDue: Bool)] {
        let now = elapsed()
        let first = now - .seconds(365 * 86_400)
        var due: [(id: String, since: Duration, fetchDue: Bool)] = []
        for app in apps {
            if records[app.id] == nil { records[app.id] = app.record() }
            if generations[app.id] != app.generation { specChanges.insert(app.id) }
            // Marking an object for deletion need not change its generation.
            if app.deleting && deletions.insert(app.id).inserted { specChanges.insert(app.id) }
            generations[app.id] = app.generation
            if running.contains(app.id) { continue }  // its reasons wait for the next turn
            let asked = specChanges.contains(app.id) || app.annotated || requested.contains(app.id)
            let schedule = schedules[app.id] ?? Schedule()
            let fetchDue = schedule.nextFetch.map { $0 <= now } ?? true
            let checkDue = schedule.nextCheck.map { $0 <= now } ?? true
            let times = [
                asked ? first : nil, checkRequests[app.id], fetchDue ? schedule.nextFetch ?? first : nil,
                checkDue ? schedule.nextCheck ?? now : nil,
            ].compactMap { $0 }
            if let since = times.min() { due.append((app.id, since, fetchDue)) }
        }
        return due
    }

    /// Forgets what was learned of `others`, Applications another replica reconciles (sharding),
    /// but those still running here: if one comes back, its record is read again from the
    /// status its last owner wrote. `othersReady` says which of them are Synced and Healthy, for
    /// the `dependsOn` of Applications reconciled here.
    func setOthers(_ others: Set<String>, othersReady: Set<String>) {
        for id in others where !running.contains(id) {
            records[id] = nil
            generations[id] = nil
            schedules[id] = nil
            latest[id] = nil
            sessions[id] = nil
            written[id] = nil
            checkRequests[id] = nil
            specChanges.remove(id)
            invalidGenerations[id] = nil
            deletions.remove(id)
        }
        let newlyReady = othersReady.subtracting(ready)
        ready.subtract(others.subtracting(othersReady))
        ready.formUnion(othersReady)
        // Applications here waiting for one of them go on at once.
        if !newlyReady.isEmpty { requestChecks(Set(graph.filter { $0.value.contains(where: newlyReady.contains) }.keys)) }
    }

    func record(_ id: String) -> AppRecord { records[id] ?? AppRecord() }
    func latest(_ id: String) -> String? { latest[id] }

    /// Marks `id` running; `false` when it already is (one reconcile per application at a time).
    /// The reasons it was due are taken: what the reconcile reads is newer than them.
    func begin(_ id: String) -> Bool {
        guard running.insert(id).inserted else { return false }
        checkRequests[id] = nil
        specChanges.remove(id)
        return true
    }
    func end(_ id: String) { running.remove(id) }
    func runningCount() -> Int { running.count }

    func setGraph(_ graph: [String: [String]], cycles: [[String]]) {
        self.graph = graph
        self.cycles = cycles
    }

    func cycle(containing id: String) -> [String]? { cycles.first { $0.contains(id) } }

    func waitingDependencies(_ id: String) -> [String] { Dependencies.waiting(id, graph: graph, ready: ready) }

    /// Stores a reconcile's outcome and schedules the next fetch and drift check, with jitter.
    /// Only a reconcile that `fetched` moves the next fetch: a drift check that ends after the
    /// fetch fell due must not put it off, or frequent checks (a rollout's ticks) starve fetches.
    func finish(_ id: String, outcome: AppReconciler.Outcome, fetched: Bool = true, interval: Duration, resync: Duration) {
        records[id] = outcome.status.record
        if outcome.replacesSession { sessions[id] = outcome.session }
        if !outcome.status.latestRevision.isEmpty { latest[id] = outcome.status.latestRevision }
        if outcome.status.sync == .synced && (outcome.status.health == .healthy || outcome.status.health == .suspended) {
            // Applications waiting for this one go on at once, not at their next interval.
            if ready.insert(id).inserted { requestChecks(Set(graph.filter { $0.value.contains(id) }.keys)) }
        } else {
            ready.remove(id)
        }
        let now = elapsed()
        // Jitter of up to a tenth keeps many applications from fetching in lockstep.
        let jitter = Duration.milliseconds(Int64.random(in: 0...max(1, Int64(interval.components.seconds * 100))))
        var schedule = schedules[id] ?? Schedule()
        if outcome.status.latestRevision.isEmpty {
            schedule.nextFetch = now + (outcome.retryAfter ?? resync)
        } else if schedule.nextFetch == nil || fetched && schedule.nextFetch! <= now {
            schedule.nextFetch = now + interval + jitter
        }
        schedule.nextCheck = now + (outcome.retryAfter ?? resync)
        schedules[id] = schedule
    }
}
