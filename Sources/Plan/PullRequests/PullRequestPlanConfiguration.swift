import Foundation
import SCM

/// Settings of server-side pull-request plans (`keelson controller --pr-plans`): where each
/// forge's API is, the token that posts, which repositories plan pull requests from forks, and
/// how much waits.
///
/// ```swift
/// var plans = PullRequestPlanConfiguration(token: token)
/// plans.apiURLs[.gitea] = "https://gitea.example.com"
/// plans.forkRepositories = [RepositoryURL.normalize("https://github.com/shop/deploy")]
/// ```
public struct PullRequestPlanConfiguration: Sendable {
    /// The token comments and statuses are posted with; never logged.
    public var token: String
    /// The API root (GitHub) or server root (GitLab, Gitea) of each forge; a forge without one
    /// uses its public service (api.github.com, gitlab.com), Gitea has none.
    public var apiURLs: [Forge: String] = [:]
    /// The base repositories (normalised URLs) whose pull requests from forks are planned; the
    /// others' are skipped, since a fork's head runs through the renderers and a dry run.
    public var forkRepositories: Set<String> = []
    /// Tells this controller's comment and status apart from other plans of the pull request.
    public var planID = "default"
    /// The most characters a comment may hold.
    public var maximumCommentCharacters = 60_000
    /// The most plans waiting; past it a delivery is answered 503.
    public var maximumQueued = 32
    /// How many plans run at once.
    public var concurrency = 1
    /// Where each plan's scratch space is made (and removed).
    public var scratch = FileManager.default.temporaryDirectory.appendingPathComponent("keelson-pr-plans").path

    /// Creates the settings with the forge token.
    public init(token: String) { self.token = token }
}

extension PullRequestPlanConfiguration: CustomStringConvertible, CustomReflectable {
    /// The settings without the token.
    public var description: String {
        "PullRequestPlanConfiguration(apiURLs: \(apiURLs.mapValues { $0 }), forkRepositories: \(forkRepositories.sorted()), planID: \(planID))"
    }

    /// Mirrors everything but the token, so `dump` never prints it.
    public var customMirror: Mirror {
        Mirror(self, children: ["apiURLs": apiURLs, "forkRepositories": forkRepositories, "planID": planID, "maximumQueued": maximumQueued])
    }
}
