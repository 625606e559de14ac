import SCM

/// An in-memory GitHub, GitLab and Gitea behind an `HTTPReceiver`, serving the commit-status,
/// pull-request and comment endpoints `SCMClient` uses, so tests can check the final state on
/// the forge as well as the requests that made it.
///
/// Each forge lives under its own prefix: GitHub's API root is `url + "/github"`, GitLab's and
/// Gitea's server roots are `url + "/gitlab"` and `url + "/gitea"` (requests arrive under
/// `/gitlab/api/v4/…` and `/gitea/api/v1/…`). A request without the token gets 401.
///
/// ```swift
/// try await FakeSCM.withRunning(token: "ghp_TEST") { scm in
///     let client = SCMClient(repository: try scm.repository(.github, project: "shop/deploy"), token: "ghp_TEST")
///     _ = try await client.setStatus(CommitStatus(state: .success, context: "keelson", description: "ok"), sha: sha)
///     #expect(scm.statuses(forge: .github, project: "shop/deploy", sha: sha).first?.state == "success")
/// }
/// ```
public final class FakeSCM: Sendable {
    /// The receiver serving the forges; script it to put failures in front of them.
    public let receiver: HTTPReceiver
    let store: FakeSCMStore

    init(receiver: HTTPReceiver, store: FakeSCMStore) {
        self.receiver = receiver
        self.store = store
    }

    /// `http://127.0.0.1:PORT`.
    public var url: String { receiver.url }
    /// The token the fake accepts.
    public var token: String { store.token }

    /// The `apiURL` for `forge`: the API root for GitHub, the server root for GitLab and Gitea.
    public func apiURL(_ forge: Forge) -> String { url + "/" + forge.rawValue }

    /// A repository on `forge` served by this fake.
    public func repository(_ forge: Forge, project: String) throws(SCMError) -> SCMRepository {
        try SCMRepository(forge: forge, apiURL: apiURL(forge), project: project)
    }

    /// Opens (or closes, with `open: false`) pull request `number` holding `commits`, from
    /// `branch` into `targetBranch`, with `title` and `labels` (what listings show).
    public func addPullRequest(
        forge: Forge, project: String, number: Int, commits: [String], open: Bool = true, branch: String? = nil, targetBranch: String = "main",
        title: String? = nil, labels: [String] = []
    ) {
        store.state.withLock { state in
            let id = state.nextID()
            state.pulls[.init(forge, project), default: []].removeAll { $0.number == number }
            state.pulls[.init(forge, project), default: []].append(
                PullRequest(
                    id: id, number: number, commits: commits, isOpen: open, branch: branch ?? "feature-\(number)", targetBranch: targetBranch,
                    title: title ?? "Pull request \(number)", labels: labels))
        }
    }

    /// Adds a comment, as another user would, and returns its id.
    @discardableResult
    public func addComment(forge: Forge, project: String, pr: Int, body: String) -> Int {
        store.state.withLock { $0.addComment(.init(forge, project), pr: pr, body: body).id }
    }

    /// The statuses of `sha`, newest first, in the forge's own words (GitLab: `running`, `failed`).
    public func statuses(forge: Forge, project: String, sha: String) -> [Status] {
        store.state.withLock { $0.statuses[.init(forge, project)]?[sha] ?? [] }
    }

    /// The comments on pull request `pr`, oldest first.
    public func comments(forge: Forge, project: String, pr: Int) -> [Comment] {
        store.state.withLock { $0.comments[.init(forge, project)]?[pr] ?? [] }
    }

    /// Every request received so far, in order.
    public var requests: [HTTPReceiver.Request] {
        get async { await receiver.requests }
    }

    /// The requests made to `forge`, optionally only those with `method`.
    public func requests(forge: Forge, method: String? = nil) async -> [HTTPReceiver.Request] {
        await receiver.requests(path: "/" + forge.rawValue).filter { method == nil || $0.method == method }
    }

    /// Runs a fake accepting `token` for the duration of `body`, then stops it.
    public static func withRunning<Result: Sendable>(
        token: String, _ body: @Sendable (FakeSCM) async throws -> Result
    ) async throws -> Result {
        let store = FakeSCMStore(token: token)
        return try await HTTPReceiver.withRunning(handler: { store.answer($0) }) { receiver in
            try await body(FakeSCM(receiver: receiver, store: store))
        }
    }
}
