import GitSource
import Manifests
import SCM

/// What a verified webhook delivery asks for.
public enum WebhookDelivery: Sendable, Hashable {
    /// A branch or tag moved: refresh the applications that follow it.
    case push(PushEvent)
    /// A pull request was opened, reopened or given new commits: plan it (`--pr-plans`).
    case pullRequest(PullRequestEvent)
}

extension WebhookVerifier {
    /// The event header value of each provider's pull-request events, and the forge that posts
    /// the plan; Bitbucket and generic deliveries are never pull requests.
    static let pullRequestEvents: [WebhookProvider: (event: String, forge: Forge)] = [
        .github: ("pull_request", .github), .gitea: ("pull_request", .gitea), .gitlab: ("Merge Request Hook", .gitlab),
    ]

    /// Reads a pull request out of an authenticated payload; actions that bring no new head
    /// (closed, edited, labelled, a GitLab update without `oldrev`) are `.ignored`.
    static func parsePullRequest(_ forge: Forge, _ payload: JSONValue) throws(WebhookError) -> PullRequestEvent {
        let fields = forge == .gitlab ? try gitLabFields(payload) : try hubFields(forge, payload)
        guard let number = fields.number, number > 0, number <= Int(Int32.max) else { throw malformed("no pull request number") }
        guard let head = fields.headSHA, Revision.isFullSHA(head) else { throw malformed("no 40-hex head commit") }
        guard var base = fields.baseRef else { throw malformed("no base branch") }
        if base.hasPrefix("refs/heads/") { base.removeFirst("refs/heads/".count) }
        if let problem = RefName.problem(base) { throw malformed("the base branch is not a branch name: \(problem)") }
        if let sha = fields.baseSHA, !Revision.isFullSHA(sha) { throw malformed("the base commit is not 40 hex digits") }
        let urls = fields.baseURLs.compactMap { $0 }.filter { !$0.isEmpty }
        guard !urls.isEmpty, let project = fields.project, !project.isEmpty else { throw malformed("no base repository") }
        return PullRequestEvent(
            forge: forge, action: fields.action, number: number, project: project, baseURLs: urls, baseRef: base,
            baseSHA: fields.baseSHA?.lowercased(), headSHA: head.lowercased(), isFork: fields.isFork)
    }

    /// The parts of a pull-request payload, whichever forge wrote it.
    private struct Fields {
        var action: PullRequestEvent.Action
        var number: Int?
        var project: String?
        var baseURLs: [String?]
        var baseRef: String?
        var baseSHA: String?
        var headSHA: String?
        var isFork: Bool
    }

    /// GitHub's and Gitea's `pull_request` payloads (one shape; Gitea says `synchronized`).
    private static func hubFields(_ forge: Forge, _ payload: JSONValue) throws(WebhookError) -> Fields {
        let name = payload["action"]?.stringValue ?? ""
        let action: PullRequestEvent.Action
        switch name {
        case "opened": action = .opened
        case "reopened": action = .reopened
        case "synchronize", "synchronized": action = .synchronized
        default: throw WebhookError(code: .ignored, message: "pull request action \(printable(name)) brings no new head")
        }
        let pull = payload["pull_request"] ?? .null
        let baseRepository = pull[path: ["base", "repo"]] ?? payload["repository"] ?? .null
        let headRepository = pull[path: ["head", "repo"]]
        // A deleted fork's head repository is null: still a fork.
        let baseName = baseRepository["full_name"]?.stringValue?.lowercased()
        let sameRepository =
            headRepository.map { head in
                if let id = head["id"]?.intValue, let baseID = baseRepository["id"]?.intValue { return id == baseID }
                return head["full_name"]?.stringValue?.lowercased() == baseName
            } ?? false
        return Fields(
            action: action, number: (payload["number"]?.intValue ?? pull["number"]?.intValue).map(Int.init),
            project: baseRepository["full_name"]?.stringValue,
            baseURLs: ["clone_url", "ssh_url", "html_url"].map { baseRepository[$0]?.stringValue },
            baseRef: pull[path: ["base", "ref"]]?.stringValue, baseSHA: pull[path: ["base", "sha"]]?.stringValue,
            headSHA: pull[path: ["head", "sha"]]?.stringValue, isFork: !sameRepository)
    }

    /// GitLab's `Merge Request Hook`: `open`, `reopen`, and `update` when it brings commits (`oldrev`).
    private static func gitLabFields(_ payload: JSONValue) throws(WebhookError) -> Fields {
        let attributes = payload["object_attributes"] ?? .null
        let name = attributes["action"]?.stringValue ?? ""
        let action: PullRequestEvent.Action
        switch name {
        case "open": action = .opened
        case "reopen": action = .reopened
        case "update" where attributes["oldrev"]?.stringValue != nil: action = .synchronized
        case "update": throw WebhookError(code: .ignored, message: "merge request update without new commits")
        default: throw WebhookError(code: .ignored, message: "merge request action \(printable(name)) brings no new head")
        }
        let project = payload["project"] ?? attributes["target"] ?? .null
        let target = attributes["target_project_id"]?.intValue ?? project["id"]?.intValue
        let source = attributes["source_project_id"]?.intValue
        return Fields(
            action: action, number: attributes["iid"]?.intValue.map(Int.init), project: (project["id"]?.intValue ?? target).map { String($0) },
            baseURLs: ["git_http_url", "git_ssh_url", "web_url"].map { project[$0]?.stringValue },
            baseRef: attributes["target_branch"]?.stringValue, baseSHA: nil,
            headSHA: attributes[path: ["last_commit", "id"]]?.stringValue, isFork: source == nil || source != target)
    }

    private static func malformed(_ what: String) -> WebhookError {
        WebhookError(code: .malformed, message: "not a pull request event: \(what)")
    }

    private static func printable(_ text: String) -> String {
        String(text.prefix(32).filter { $0.isLetter || $0.isNumber || $0 == "_" })
    }
}
