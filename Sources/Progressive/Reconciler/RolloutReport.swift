import Manifests

/// A rollout as the Application's `status.rollouts[]` shows it.
public struct RolloutReport: Codable, Sendable, Hashable {
    public var namespace: String
    public var name: String
    public var phase: String
    public var step: Int?
    public var steps: Int?
    public var setWeight: Int?
    public var actualWeight: Int?
    public var canaryHash: String?
    public var stableHash: String?
    public var canaryRevision: String?
    public var stableRevision: String?
    public var reason: String?
    public var message: String?
    /// The analysis verdicts, by slot.
    public var analysis: [String: String]?
    /// True while the template goes out without steps (a first deploy, or a hash in the
    /// rollback window): notifications announce no rollout for it.
    public var fastTrack: Bool?

    /// A rollout in `phase`, with nothing else known yet.
    public init(namespace: String, name: String, phase: String) {
        self.namespace = namespace
        self.name = name
        self.phase = phase
    }

    /// A Rollout that cannot be followed.
    public init(namespace: String, name: String, problem: String) {
        self.init(namespace: namespace, name: name, phase: "Error")
        message = problem
    }

    /// A report read back from status; nil when it is not one.
    public init?(json: JSONValue) {
        guard let report = JSONCoding.decode(RolloutReport.self, from: json) else { return nil }
        self = report
    }

    /// A rollout's state for people.
    public init(spec: RolloutSpec, status: RolloutStatus) {
        namespace = spec.namespace
        name = spec.name
        let state = status.state
        phase = state.phase.rawValue
        if case .canary(let canary) = spec.strategy {
            steps = canary.steps.count
            step = state.isRunning ? state.currentStep : nil
        }
        setWeight = state.setWeight
        actualWeight = status.actualWeight
        canaryHash = state.canaryHash
        stableHash = state.stableHash
        canaryRevision = state.canaryRevision
        stableRevision = state.stableRevision
        reason = state.abortReason?.rawValue ?? state.pauseReason?.rawValue
        message = state.message
        let verdicts = status.analysis.mapValues { $0.outcome + ($0.message.isEmpty ? "" : ": " + $0.message) }
        analysis = verdicts.isEmpty ? nil : verdicts
        fastTrack = state.fastTrack ? true : nil
    }
}

extension RolloutReport {
    /// Whether the rollout still works on its canary.
    public var isRunning: Bool { RolloutState.Phase(rawValue: phase).map { [.progressing, .paused, .promoting].contains($0) } ?? false }

    /// The report as status JSON.
    public var json: JSONValue { JSONCoding.encode(self) }
}

/// The verdict on an application's newest delivery, from its rollouts: whether the revision Git
/// asked for is rolling out, waiting, delivered or rolled back, and which revision serves.
public struct Delivery: Codable, Sendable, Hashable {
    /// `Progressing`, `Paused`, `Succeeded` or `RolledBack`.
    public var state: String
    /// The revision the verdict is about.
    public var revision: String?
    /// The revision users get now.
    public var servingRevision: String?
    /// Why (an abort or pause reason).
    public var reason: String?
    /// A sentence for people.
    public var message: String?

    /// The verdict of `reports`; nil without rollouts.
    public init?(_ reports: [RolloutReport]) {
        let rollouts = reports.filter { $0.phase != "Error" }
        guard !rollouts.isEmpty else { return nil }
        let short = { (revision: String?) in revision.map { String($0.prefix(7)) } ?? "?" }
        if let paused = rollouts.first(where: { $0.phase == RolloutState.Phase.paused.rawValue }) {
            self.init(state: "Paused", from: paused)
            message = "\(short(revision)) paused: \(paused.message ?? paused.reason ?? "")"
        } else if let running = rollouts.first(where: \.isRunning) {
            self.init(state: "Progressing", from: running)
            message = "\(short(revision)) rolling out: \(running.setWeight ?? 0)% to the canary"
        } else if let aborted = rollouts.first(where: { $0.phase == RolloutState.Phase.aborted.rawValue }) {
            self.init(state: "RolledBack", from: aborted)
            message = "\(short(revision)) rolled back: \(aborted.message ?? aborted.reason ?? ""); serving \(short(servingRevision))"
        } else {
            self.init(state: "Succeeded", from: rollouts[0])
            revision = rollouts[0].stableRevision
            reason = nil
            message = "\(short(revision)) delivered"
        }
    }

    init(state: String, from report: RolloutReport) {
        self.state = state
        revision = report.canaryRevision
        servingRevision = report.stableRevision
        reason = report.reason
    }

    /// The verdict as status JSON.
    public var json: JSONValue { JSONCoding.encode(self) }
}
