import SCM

/// Which commit status each event posts (`github`, `gitlab`, `gitea` providers). Events not in
/// the table post no status. GitLab spells the states `running`, `success` and `failed`
/// (`SCMClient` maps them).
///
/// | event | state |
/// |---|---|
/// | `sync-running` | pending |
/// | `deployed`, `health-recovered` | success |
/// | `sync-failed`, `health-degraded` | failure |
/// | `source-failed` | error |
///
/// Rollout events join when the catalog has them: `rollout-started` and `rollout-paused` →
/// pending, `rollout-promoted` → success, `rollout-aborted` → failure (delivery design B.2.2).
public enum CommitStatusTable {
    /// The state per event type.
    public static let states: [EventType: CommitState] = [
        .syncRunning: .pending,
        .deployed: .success,
        .healthRecovered: .success,
        .syncFailed: .failure,
        .healthDegraded: .failure,
        .sourceFailed: .error,
    ]

    /// The state `type` posts, or nil when it posts no status.
    public static func state(for type: EventType) -> CommitState? { states[type] }
}
