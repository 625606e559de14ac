import Kube
import Registry

/// What the image automation loop remembers between wakes: when each policy and automation is
/// due, each policy's latest selection, what is running, and requests to scan at once.
actor ImageAutomationState {
    struct PolicyRecord {
        var generation: Int64 = -1
        var nextScan: ContinuousClock.Instant?
        var result: SelectedImage?
        var image: ImageReference?
        var invalidGeneration: Int64?
    }

    struct AutomationRecord {
        var generation: Int64 = -1
        var nextRun: ContinuousClock.Instant?
        /// The namespace's selection version the last run saw.
        var seenVersion = -1
        var invalidGeneration: Int64?
    }

    private var policies: [String: PolicyRecord] = [:]
    private var automations: [String: AutomationRecord] = [:]
    /// Bumped when a policy's selection changes, per namespace, so automations there run soon.
    private var versions: [String: Int] = [:]
    private var requested: Set<String> = []
    private var running: Set<String> = []
    /// Wakes the loop: a watched object changed, a run ended, a scan was asked for.
    nonisolated let wakeup = WakeSignal()

    // MARK: Policies

    /// Records the policies listed now (forgetting vanished ones) and their repositories.
    func setPolicies(_ listed: [(id: String, image: ImageReference?, seed: SelectedImage?)]) {
        let ids = Set(listed.map(\.id))
        for id in policies.keys where !ids.contains(id) { policies[id] = nil }
        for entry in listed {
            policies[entry.id, default: PolicyRecord()].image = entry.image
            if policies[entry.id]?.result == nil, let seed = entry.seed { policies[entry.id]?.result = seed }
        }
    }

    /// Whether the policy is due: never scanned, changed, asked for, or its interval passed.
    func policyDue(_ id: String, generation: Int64, now: ContinuousClock.Instant) -> Bool {
        let record = policies[id] ?? PolicyRecord()
        return requested.contains(id) || record.generation != generation || (record.nextScan.map { $0 <= now } ?? true)
    }

    /// Records a scan's outcome; a changed selection bumps the namespace's version.
    func finishScan(_ id: String, generation: Int64, result: SelectedImage?, next: ContinuousClock.Instant) {
        requested.remove(id)
        var record = policies[id] ?? PolicyRecord()
        record.generation = generation
        record.nextScan = next
        if let result, result != record.result {
            record.result = result
            versions[Self.namespace(of: id), default: 0] += 1
        }
        policies[id] = record
    }

    /// The latest selection of `id`.
    func result(_ id: String) -> SelectedImage? { policies[id]?.result }

    /// The selections of every policy in `namespace`, by `NAMESPACE:NAME`.
    func results(namespace: String) -> [String: SelectedImage] {
        var out: [String: SelectedImage] = [:]
        for (id, record) in policies where Self.namespace(of: id) == namespace { out[id] = record.result }
        return out
    }

    /// The policies whose repository is `image`'s.
    func policies(watching image: ImageReference) -> [String] {
        policies.filter { $0.value.image?.sameRepository(as: image) == true }.map(\.key).sorted()
    }

    /// Asks for `ids` to be scanned at once, and wakes the loop.
    func requestScan(_ ids: [String]) {
        requested.formUnion(ids.filter { policies[$0] != nil })
        wakeup.wake()
    }

    /// Whether an invalid-spec status still needs writing for this generation (and marks it written).
    func shouldReportInvalidPolicy(_ id: String, generation: Int64) -> Bool {
        guard policies[id]?.invalidGeneration != generation else { return false }
        policies[id, default: PolicyRecord()].invalidGeneration = generation
        return true
    }

    // MARK: Automations

    /// Forgets automations no longer listed.
    func keepAutomations(_ ids: Set<String>) {
        for id in automations.keys where !ids.contains(id) { automations[id] = nil }
    }

    /// Whether the automation is due: new, changed, its interval passed, or a policy of its namespace moved.
    func automationDue(_ id: String, namespace: String, generation: Int64, now: ContinuousClock.Instant) -> Bool {
        let record = automations[id] ?? AutomationRecord()
        return record.generation != generation || (record.nextRun.map { $0 <= now } ?? true) || record.seenVersion != versions[namespace, default: 0]
    }

    /// The namespace's selection version, read when a run starts.
    func version(namespace: String) -> Int { versions[namespace, default: 0] }

    /// Records a run.
    func finishRun(_ id: String, generation: Int64, sawVersion: Int, next: ContinuousClock.Instant) {
        var record = automations[id] ?? AutomationRecord()
        record.generation = generation
        record.nextRun = next
        record.seenVersion = sawVersion
        automations[id] = record
    }

    /// Whether an invalid-spec status still needs writing for this generation (and marks it written).
    func shouldReportInvalidAutomation(_ id: String, generation: Int64) -> Bool {
        guard automations[id]?.invalidGeneration != generation else { return false }
        automations[id, default: AutomationRecord()].invalidGeneration = generation
        return true
    }

    // MARK: Work in flight

    /// Marks `key` running; false when it already is.
    func begin(_ key: String) -> Bool { running.insert(key).inserted }
    /// Marks `key` done.
    func end(_ key: String) { running.remove(key) }
    /// How much work is in flight.
    func runningCount() -> Int { running.count }

    // MARK: Timers

    /// The earliest scan or run due after `now` (what is due by `now` has been started, or
    /// wakes the loop when the work in its way ends); `nil` when none is scheduled.
    func nextTimer(after now: ContinuousClock.Instant) -> ContinuousClock.Instant? {
        let instants = policies.values.compactMap(\.nextScan) + automations.values.compactMap(\.nextRun)
        return instants.filter { $0 > now }.min()
    }

    static func namespace(of id: String) -> String { String(id.prefix { $0 != ":" }) }
}
