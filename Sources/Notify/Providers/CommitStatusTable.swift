import SCM

/// Which commit status each event posts (`github`, `gitlab`, `gitea` providers). Events not in
/// the table post no status. GitLab spells the states `running`, `success` and `failed`
/// (`SCMClient` maps them).
///
/// | event | state |
/// |---|---|
/// | `sync-running`, `rollout-started`, `rollout-paused`, `rollout-resumed` | pending |
/// | `deployed`, `health-recovered`, `rollout-promoted` | success |
/// | `sync-failed`, `health-degraded`, `rollout-aborted` | failure |
/// | `source-failed` | error |
///
/// Rollout events post on the revision being rolled out, and say where it is
/// (`rolling out: step 0/5`, `rolled back: success-rate 0.8 < 0.95`). A success waits while a
/// rollout of its revision has not been promoted: the sync and health of a canary, or of the
/// stable after a rollback, do not make the commit green.
public enum CommitStatusTable {
    /// The state per event type.
    public static let states: [EventType: CommitState] = [
        .syncRunning: .pending,
        .rolloutStarted: .pending,
        .rolloutPaused: .pending,
        .rolloutResumed: .pending,
        .deployed: .success,
        .healthRecovered: .success,
        .rolloutPromoted: .success,
        .syncFailed: .failure,
        .healthDegraded: .failure,
        .rolloutAborted: .failure,
        .sourceFailed: .error,
    ]

    /// The state `type` posts, or nil when it posts no status.
    public static func state(for type: EventType) -> CommitState? { states[type] }

    /// The state `event` posts: its type's, except a success held back while the revision's
    /// delivery is pending.
    public static func state(for event: NotificationEvent) -> CommitState? {
        guard let state = states[event.type], !(state == .success && event.deliveryPending) else { return nil }
        return state
    }

    /// The description a rollout event gives its status when the Alert's template sets none.
    public static func description(for event: NotificationEvent) -> String? {
        guard let rollout = event.rollout else { return nil }
        let progress = rollout.progress.isEmpty ? "" : ": " + rollout.progress
        return switch event.type {
        case .rolloutStarted, .rolloutResumed: "rolling out" + progress
        case .rolloutPaused: "paused" + progress + " (" + (rollout.message ?? rollout.reason ?? "waiting") + ")"
        case .rolloutPromoted: "promoted"
        case .rolloutAborted: "rolled back: " + (rollout.message ?? rollout.reason ?? "aborted")
        default: nil
        }
    }
}
