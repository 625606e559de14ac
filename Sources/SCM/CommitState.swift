/// The state of a commit status, in GitHub's and Gitea's vocabulary; GitLab's is mapped onto it.
public enum CommitState: String, Sendable, Hashable, CaseIterable {
    /// The deployment is in progress (GitLab: `running`).
    case pending
    /// The deployment succeeded.
    case success
    /// The deployment failed (GitLab: `failed`).
    case failure
    /// Keelson could not deploy at all, e.g. the source failed (GitLab: `failed`).
    case error
}
