import GitSource
import SCM

/// What a forge provider writes for one event, decided without I/O: the repository, the
/// commit, and a status or a pull-request comment.
///
/// The decision pins the host: a provider posts only for Applications whose `repoURL`
/// normalises (`RepositoryURL.normalize`) to the provider's own address, so an Application
/// naming another repository cannot make Keelson send the provider's token there.
///
/// ```swift
/// switch try ForgePost.decide(event: event, message: message, provider: spec, credentials: secret) {
/// case .post(let post): …  // SCMClient(repository: post.repository, token: token)
/// case .skip(let reason): …
/// }
/// ```
public struct ForgePost: Sendable, Hashable {
    /// What is written on the commit.
    public enum Action: Sendable, Hashable {
        /// A commit status.
        case status(CommitStatus)
        /// One comment per marker on each open pull request holding the commit, edited in place.
        case comment(marker: String, body: String)
    }

    /// Whether and what to post.
    public enum Decision: Sendable, Hashable {
        /// Post this.
        case post(ForgePost)
        /// Post nothing, for this reason.
        case skip(reason: String)
    }

    /// The repository written to (the forge's API at `spec.apiURL`, or the one the address implies).
    public var repository: SCMRepository
    /// The commit: the event's revision.
    public var sha: String
    /// What is written.
    public var action: Action

    /// What `provider` posts for `event`.
    ///
    /// - Throws: a `.configuration` failure when the provider has no address, or the address
    ///   or `spec.apiURL` do not name a repository on the forge.
    public static func decide(
        event: NotificationEvent, message: RenderedMessage, provider: ProviderSpec, credentials: ProviderCredentials
    ) throws(DeliveryFailure) -> Decision {
        guard let forge = forges[provider.type] else {
            throw .configuration(provider.name, "\(provider.type.rawValue) is not a forge provider")
        }
        guard let address = credentials.address ?? provider.address, !address.isEmpty else {
            throw .configuration(provider.name, "no address: set spec.address to the repository's URL")
        }
        let repository = RepositoryURL.normalize(address)
        let source = RepositoryURL.normalize(event.source.repoURL)
        guard !source.isEmpty, source == repository else { return .skip(reason: "not this provider's repository") }
        guard !event.revision.isEmpty else { return .skip(reason: "the event names no revision") }
        let action: Action
        if provider.type.postsComments {
            action = .comment(marker: marker(event.source), body: commentBody(message))
        } else {
            guard let state = CommitStatusTable.state(for: event) else {
                let why =
                    CommitStatusTable.state(for: event.type) == nil
                    ? "\(event.type.rawValue) sets no commit status" : "a rollout of \(event.revision.prefix(7)) is not promoted yet"
                return .skip(reason: why)
            }
            let context = message.statusContext ?? "keelson/\(event.source.namespace)/\(event.source.name)"
            let description = message.statusDescription ?? CommitStatusTable.description(for: event) ?? message.text
            action = .status(CommitStatus(state: state, context: context, description: description, targetURL: message.url))
        }
        let target = try scmRepository(forge, address: address, normalized: repository, provider: provider)
        return .post(ForgePost(repository: target, sha: event.revision, action: action))
    }

    /// `keelson:<namespace>/<app>`: one comment per Application on each pull request. `--`
    /// cannot appear in an HTML comment, and Kubernetes names may hold it.
    static func marker(_ source: EventSource) -> String {
        "keelson:" + source.id.replacing("--", with: "-%2D")
    }

    /// The title in bold, the text, and the dashboard link when there is one.
    static func commentBody(_ message: RenderedMessage) -> String {
        var body = "**\(message.title)**\n\n\(message.text)"
        if let url = message.url { body += "\n\n[Open in Keelson](\(url))" }
        return body
    }

    /// The forge's repository: the project from the address's path (`owner/repo`; GitLab: the
    /// whole path; Gitea: the last two segments, for servers under a sub-path), the API from
    /// `spec.apiURL` or else the address's host (GitHub Enterprise serves it at `/api/v3`, a
    /// Gitea under a sub-path below it). A GitLab under a sub-path needs `spec.apiURL`.
    static func scmRepository(
        _ forge: Forge, address: String, normalized: String, provider: ProviderSpec
    ) throws(DeliveryFailure) -> SCMRepository {
        let host = String(normalized.prefix { $0 != "/" })
        let segments = normalized.split(separator: "/").dropFirst()
        let project = (forge == .gitea ? segments.suffix(2) : segments[...]).joined(separator: "/")
        let scheme = address.lowercased().hasPrefix("http://") ? "http://" : "https://"
        let apiURL: String?
        if let configured = provider.apiURL, !configured.isEmpty {
            apiURL = configured
        } else if forge == .github {
            apiURL = host == "github.com" ? nil : scheme + host + "/api/v3"
        } else {
            let subPath = forge == .gitea ? segments.dropLast(2).map { "/" + $0 }.joined() : ""
            apiURL = scheme + host + subPath
        }
        do {
            return try SCMRepository(forge: forge, apiURL: apiURL, project: project)
        } catch {
            throw .configuration(provider.name, error.message)
        }
    }

    private static let forges: [ProviderType: Forge] = [
        .github: .github, .githubPRComment: .github, .gitlab: .gitlab, .gitlabMRComment: .gitlab, .gitea: .gitea, .giteaPRComment: .gitea,
    ]
}

extension ProviderType {
    /// Whether the forge provider writes pull-request comments rather than commit statuses.
    var postsComments: Bool { [.githubPRComment, .gitlabMRComment, .giteaPRComment].contains(self) }
}
