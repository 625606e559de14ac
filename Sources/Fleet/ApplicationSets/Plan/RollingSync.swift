import Manifests

/// Keelson's progressive rollout of a set's changed Applications (`strategy.type: RollingSync`),
/// as a pure decision over what the cluster shows:
///
/// - Each Application belongs to the first step whose `matchExpressions` match its labels;
///   Applications no step matches form an implicit last step.
/// - A changed spec is written to the Applications of step N only when every Application of the
///   steps before N is up to date, `Synced` and `Healthy` as its own status says, in a status the
///   controller wrote after the set last wrote its spec.
/// - Within the step, at most `maxUpdate` Applications are changing at once (written and not yet
///   Healthy).
/// - New Applications are created at once, and deletions are not staged (they are capped by
///   `maxDeletionShare`); only updates of existing Applications wait for their step.
///
/// States, as Argo CD reports them in `status.applicationStatus`: `Waiting` (a change is due and
/// not written), `Pending` (written; the controller has not reported on it since), `Progressing`
/// (reported, not yet Synced and Healthy), `Healthy`.
public enum RollingSync {
    /// A state of one Application.
    public enum State: String, Sendable, Hashable {
        case waiting = "Waiting"
        case pending = "Pending"
        case progressing = "Progressing"
        case healthy = "Healthy"
    }

    /// What the decision knows of one existing generated Application.
    public struct Observed: Sendable, Hashable {
        /// Its name.
        public var name: String
        /// Its labels as the set would write them.
        public var labels: [String: String]
        /// Whether the set has a spec to write to it.
        public var needsUpdate: Bool
        /// Its resourceVersion now.
        public var resourceVersion: String
        /// Its status says `Synced`.
        public var synced: Bool
        /// Its status says `Healthy`.
        public var healthy: Bool

        /// Creates an observation.
        public init(name: String, labels: [String: String], needsUpdate: Bool, resourceVersion: String, synced: Bool, healthy: Bool) {
            self.name = name
            self.labels = labels
            self.needsUpdate = needsUpdate
            self.resourceVersion = resourceVersion
            self.synced = synced
            self.healthy = healthy
        }
    }

    /// One line of `status.applicationStatus`.
    public struct Entry: Sendable, Hashable {
        /// The Application.
        public var application: String
        /// Its step, from 1.
        public var step: Int
        /// Its state.
        public var state: State
        /// For people.
        public var message: String
        /// The resourceVersion the set's last write of its spec produced.
        public var writtenVersion: String?

        /// Creates an entry.
        public init(application: String, step: Int, state: State, message: String, writtenVersion: String? = nil) {
            self.application = application
            self.step = step
            self.state = state
            self.message = message
            self.writtenVersion = writtenVersion
        }
    }

    /// The decision of one pass: which Applications get their new spec now, and every state.
    public struct Decision: Sendable, Hashable {
        /// The Applications whose spec is written now.
        public var write: Set<String>
        /// Every Application's state after the writes, by name.
        public var entries: [Entry]
        /// The step being rolled out (from 1), nil when every step is done.
        public var activeStep: Int?
    }

    /// The step (from 1) `labels` belong to.
    public static func step(of labels: [String: String], in strategy: RollingSyncStrategy) -> Int {
        (strategy.steps.firstIndex { $0.selector.matches(labels) } ?? strategy.steps.count) + 1
    }

    /// Decides a pass from the Applications as they are and the entries the last pass left.
    public static func decide(_ strategy: RollingSyncStrategy, applications: [Observed], previous: [String: Entry]) -> Decision {
        var entries: [Entry] = applications.sorted { $0.name < $1.name }.map { app in
            let step = step(of: app.labels, in: strategy)
            let written = previous[app.name]?.writtenVersion
            let state: State
            let message: String
            if app.needsUpdate {
                (state, message) = (.waiting, "Application has pending changes, waiting for its step")
            } else if let written, written == app.resourceVersion {
                (state, message) = (.pending, "Application's new spec was written; waiting for the controller to report on it")
            } else if app.synced && app.healthy {
                (state, message) = (.healthy, "Application is Synced and Healthy")
            } else {
                (state, message) = (.progressing, "Application is not yet Synced and Healthy")
            }
            return Entry(application: app.name, step: step, state: state, message: message, writtenVersion: app.needsUpdate ? nil : written)
        }
        let steps = Set(entries.map(\.step)).sorted()
        guard let active = steps.first(where: { step in entries.contains { $0.step == step && $0.state != .healthy } }) else {
            return Decision(write: [], entries: entries, activeStep: nil)
        }
        let inStep = entries.indices.filter { entries[$0].step == active }
        let changing = inStep.filter { [.pending, .progressing].contains(entries[$0].state) }.count
        let limit = active <= strategy.steps.count ? strategy.steps[active - 1].maxUpdate.of(inStep.count) : inStep.count
        var budget = max(0, limit - changing)
        var write: Set<String> = []
        for index in inStep where entries[index].state == .waiting && budget > 0 {
            write.insert(entries[index].application)
            entries[index].state = .pending
            entries[index].message = "Application's new spec is written in step \(active)"
            budget -= 1
        }
        return Decision(write: write, entries: entries, activeStep: active)
    }
}
