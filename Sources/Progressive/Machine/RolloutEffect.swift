/// What a step of the machine asks the engine to do besides writing the overlay: analyses,
/// gates, events, history. Cluster shapes are not effects: the overlay derives them from state.
public enum RolloutEffect: Sendable, Hashable {
    /// Which analysis run an effect is about.
    public enum AnalysisSlot: String, Sendable, Hashable {
        /// The current step's run (blue-green: the pre- or post-promotion run).
        case step
        /// The run alongside the steps.
        case background
    }

    /// The results a rollout ends with, as the Application's history records them.
    public enum Result: String, Sendable, Hashable {
        case succeeded = "Succeeded"
        case rolledBack = "RolledBack"
        /// A newer template replaced it before it finished.
        case superseded = "Superseded"
    }

    /// Start a run of these templates (replacing any run in the slot).
    case startAnalysis(AnalysisSlot, RolloutSpec.AnalysisReference)
    /// Stop the run in the slot.
    case stopAnalysis(AnalysisSlot)
    /// Tell people.
    case emit(RolloutEvent)
    /// Complete the history entry of the revision that brought `hash`.
    case completeHistory(hash: String, result: Result)
}

/// A rollout event for notifications and the Kubernetes event stream.
public struct RolloutEvent: Sendable, Hashable {
    /// What happened.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case started = "rollout-started"
        case stepCompleted = "rollout-step-completed"
        case paused = "rollout-paused"
        case resumed = "rollout-resumed"
        case promoted = "rollout-promoted"
        case aborted = "rollout-aborted"
        case analysisFailed = "analysis-failed"
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
}

/// What a person asked of a rollout.
public enum RolloutAction: String, Sendable, Hashable, CaseIterable {
    /// Skip the current pause or step.
    case promote
    /// Skip every remaining step and analysis.
    case promoteFull = "promote-full"
    /// Send all traffic back to stable.
    case abort
    /// Start an aborted template again.
    case retry
    /// Stop at the current step.
    case pause
    /// Go on after a pause.
    case resume

    /// The annotation on the Rollout that asks for this action (`keelson.dev/promote: "true"`),
    /// as kubectl users, the API and the CLI set it.
    public var annotation: String { "keelson.dev/" + rawValue }
}
