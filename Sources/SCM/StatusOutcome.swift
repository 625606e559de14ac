/// What `SCMClient.setStatus` did.
public enum StatusOutcome: Sendable, Hashable {
    /// A new status was posted.
    case posted
    /// The newest status with the same context already had this state, description and target
    /// URL, so nothing was posted (Flux's duplicate skip, which keeps resyncs from piling up
    /// statuses against GitHub's 1,000-per-context limit).
    case unchanged
}
