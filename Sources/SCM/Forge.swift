/// A Git hosting service whose commit statuses and pull-request comments Keelson writes.
public enum Forge: String, Sendable, Hashable, CaseIterable {
    /// GitHub and GitHub Enterprise Server (REST API v3).
    case github
    /// GitLab, gitlab.com or self-managed (REST API v4).
    case gitlab
    /// Gitea and Forgejo (REST API v1).
    case gitea

    /// The API root used when a repository names none; Gitea has no public default.
    var defaultAPIURL: String? {
        switch self {
        case .github: "https://api.github.com"
        case .gitlab: "https://gitlab.com"
        case .gitea: nil
        }
    }

    /// The path the client appends to `SCMRepository.apiURL`: GitHub's URL already is the API root.
    var apiPrefix: String {
        switch self {
        case .github: ""
        case .gitlab: "/api/v4"
        case .gitea: "/api/v1"
        }
    }

    /// The name people know the forge by, for messages.
    var displayName: String {
        switch self {
        case .github: "GitHub"
        case .gitlab: "GitLab"
        case .gitea: "Gitea"
        }
    }
}
