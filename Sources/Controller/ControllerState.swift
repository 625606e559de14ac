/// What the controller remembers between ticks, shared by its workers.
actor ControllerState {
    struct Schedule {
        var nextFetch: ContinuousClock.Instant?
        var nextCheck: ContinuousClock.Instant?
    }

    private var records: [String: AppRecord] = [:]
    private var generations: [String: Int64] = [:]
    private var schedules: [String: Schedule] = [:]
    private var latest: [String: String] = [:]
    private var running: Set<String> = []
    private var ready: Set<String> = []
    private var graph: [String: [String]] = [:]
    private var cycles: [[String]] = []
    private var checkRequests: Set<String> = []
    private var invalidGenerations: [String: Int64] = [:]

    /// Asks for a drift check of the applications named `names` (a watch saw their objects change).
    func requestChecks(_ names: Set<String>) { checkRequests.formUnion(names) }

    /// Whether a check of `name` was asked for; clears the request.
    func takeCheckRequest(_ name: String) -> Bool { checkRequests.remove(name) != nil }

    /// Whether an invalid Application's status should be written (once per generation).
    func shouldReportInvalid(_ id: String, generation: Int64) -> Bool {
        defer { invalidGenerations[id] = generation }
        return invalidGenerations[id] != generation
    }

    /// Records the Application's generation; returns whether it changed (or is new). The first
    /// time an application is seen, its record is restored from its stored status.
    func observe(_ id: String, generation: Int64, record: AppRecord) -> Bool {
        if records[id] == nil { records[id] = record }
        defer { generations[id] = generation }
        return generations[id] != generation
    }

    func record(_ id: String) -> AppRecord { records[id] ?? AppRecord() }
    func latest(_ id: String) -> String? { latest[id] }
    func schedule(_ id: String) -> Schedule { schedules[id] ?? Schedule() }

    /// Marks `id` running; `false` when it already is (one reconcile per application at a time).
    func begin(_ id: String) -> Bool { running.insert(id).inserted }
    func end(_ id: String) { running.remove(id) }
    func isRunning(_ id: String) -> Bool { running.contains(id) }
    func runningCount() -> Int { running.count }

    func setGraph(_ graph: [String: [String]], cycles: [[String]]) {
        self.graph = graph
        self.cycles = cycles
    }

    func cycle(containing name: String) -> [String]? { cycles.first { $0.contains(name) } }

    func waitingDependencies(_ name: String) -> [String] { Dependencies.waiting(name, graph: graph, ready: ready) }

    /// Stores a reconcile's outcome and schedules the next fetch and drift check, with jitter.
    func finish(_ id: String, name: String, outcome: AppReconciler.Outcome, interval: Duration, resync: Duration) {
        records[id] = outcome.status.record
        if !outcome.status.latestRevision.isEmpty { latest[id] = outcome.status.latestRevision }
        if outcome.status.sync == "Synced" && (outcome.status.health == .healthy || outcome.status.health == .suspended) {
            ready.insert(name)
        } else {
            ready.remove(name)
        }
        let now = ContinuousClock.now
        // Jitter of up to a tenth keeps many applications from fetching in lockstep.
        let jitter = Duration.milliseconds(Int64.random(in: 0...max(1, Int64(interval.components.seconds * 100))))
        var schedule = schedules[id] ?? Schedule()
        if outcome.status.latestRevision.isEmpty {
            schedule.nextFetch = now + (outcome.retryAfter ?? resync)
        } else if schedule.nextFetch == nil || schedule.nextFetch! <= now {
            schedule.nextFetch = now + interval + jitter
        }
        schedule.nextCheck = now + (outcome.retryAfter ?? resync)
        schedules[id] = schedule
    }
}
