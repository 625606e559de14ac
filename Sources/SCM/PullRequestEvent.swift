/// A pull (merge) request that was opened, reopened or given new commits, as a forge's webhook
/// told it: what a server-side plan needs, and nothing it may trust beyond the signature.
///
/// The URLs are the forge's words only; a plan fetches from the repository an Application
/// already names, never from a URL a webhook carried.
///
/// ```swift
/// let event = PullRequestEvent(
///     forge: .github, action: .synchronized, number: 7, project: "shop/deploy",
///     baseURLs: ["https://github.com/shop/deploy.git"], baseRef: "main", baseSHA: base, headSHA: head, isFork: false)
/// event.headRef  // "refs/pull/7/head"
/// ```
public struct PullRequestEvent: Sendable, Hashable {
    /// What happened to the request; every other action is ignored before an event is made.
    public enum Action: String, Sendable, Hashable {
        /// Opened (GitHub, Gitea `opened`; GitLab `open`).
        case opened
        /// New commits (GitHub `synchronize`, Gitea `synchronized`, GitLab `update` with `oldrev`).
        case synchronized
        /// Reopened (GitHub, Gitea `reopened`; GitLab `reopen`).
        case reopened
    }

    /// The forge that sent it.
    public var forge: Forge
    /// What happened.
    public var action: Action
    /// The pull request number (GitLab: the merge request's `iid`).
    public var number: Int
    /// The base repository as the forge's API names it: `owner/repo`, or GitLab's project id.
    public var project: String
    /// The URLs the payload gives for the base repository (clone, SSH, web), as written.
    public var baseURLs: [String]
    /// The branch the request merges into.
    public var baseRef: String
    /// The base branch's commit the forge compared against, when the payload gives it (GitLab's does not).
    public var baseSHA: String?
    /// The request's head commit.
    public var headSHA: String
    /// Whether the head lives in another repository than the base (a fork).
    public var isFork: Bool

    /// Creates an event.
    public init(
        forge: Forge, action: Action, number: Int, project: String, baseURLs: [String], baseRef: String, baseSHA: String?,
        headSHA: String, isFork: Bool
    ) {
        self.forge = forge
        self.action = action
        self.number = number
        self.project = project
        self.baseURLs = baseURLs
        self.baseRef = baseRef
        self.baseSHA = baseSHA
        self.headSHA = headSHA
        self.isFork = isFork
    }

    /// The ref the base repository keeps the head under, also for forks: `refs/pull/N/head`
    /// (GitHub, Gitea) or `refs/merge-requests/N/head` (GitLab).
    public var headRef: String {
        forge == .gitlab ? "refs/merge-requests/\(number)/head" : "refs/pull/\(number)/head"
    }
}
