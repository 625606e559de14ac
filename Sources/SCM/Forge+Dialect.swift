/// What differs between the forges, kept as data in one place: how a token is presented, how
/// states are spelt, which JSON fields carry the context, and how lists are paged.
extension Forge {
    /// Headers carrying `token`, plus the ones a forge wants on every call.
    func headers(token: String) -> [(String, String)] {
        switch self {
        case .github:
            [("Authorization", "Bearer " + token), ("Accept", "application/vnd.github+json"), ("X-GitHub-Api-Version", "2022-11-28")]
        case .gitlab: [("PRIVATE-TOKEN", token), ("Accept", "application/json")]
        case .gitea: [("Authorization", "token " + token), ("Accept", "application/json")]
        }
    }

    /// How `state` is spelt when posted. GitLab has no pending/failure/error split.
    func wireState(_ state: CommitState) -> String {
        guard self == .gitlab else { return state.rawValue }
        return Self.gitlabStates[state]!
    }

    /// The state a listed status means, or nil for states Keelson never posts (GitLab's
    /// `skipped` and `manual`, Gitea's `warning`).
    func commitState(wire: String) -> CommitState? {
        guard self == .gitlab else { return CommitState(rawValue: wire) }
        return Self.gitlabListedStates[wire]
    }

    private static let gitlabStates: [CommitState: String] = [.pending: "running", .success: "success", .failure: "failed", .error: "failed"]
    private static let gitlabListedStates: [String: CommitState] = [
        "created": .pending, "waiting_for_resource": .pending, "preparing": .pending, "pending": .pending, "running": .pending,
        "success": .success, "failed": .failure, "canceled": .error,
    ]

    /// The JSON field naming a status's context: GitLab calls it the name.
    var contextField: String { self == .gitlab ? "name" : "context" }

    /// The state an open pull or merge request reports.
    var openState: String { self == .gitlab ? "opened" : "open" }

    /// Whether comment lists are paged with `per_page`/`page` (Gitea returns them whole).
    var pagesComments: Bool { self != .gitea }

    /// Comments per page, the most GitHub and GitLab hand out.
    static let pageSize = 100
    /// Pages read before giving up the search for a marker: 2,000 comments.
    static let maximumPages = 20
}
