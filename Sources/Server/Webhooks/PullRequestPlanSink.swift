import SCM

/// What became of a pull-request delivery: planned in the background, or why not.
public struct PullRequestPlanOutcome: Sendable, Hashable {
    /// Whether a plan was queued.
    public var queued: Bool
    /// Whether this replica does not plan (a standby): the delivery is answered 503, so the forge
    /// shows it failed and it can be sent again.
    public var unavailable: Bool
    /// What happened, for the reply and the audit log (never a secret).
    public var message: String

    /// Creates an outcome.
    public init(queued: Bool, unavailable: Bool = false, message: String) {
        self.queued = queued
        self.unavailable = unavailable
        self.message = message
    }
}

/// Where verified pull-request deliveries go with `--pr-plans` (the planner decides which
/// repositories and pull requests it plans, and plans in the background).
public protocol PullRequestPlanSink: Sendable {
    /// Queues a plan of `event`'s head, or says why not; answers at once.
    func submit(_ event: PullRequestEvent) async -> PullRequestPlanOutcome
}
