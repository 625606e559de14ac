import Crypto
import Foundation
import SCM
import Testing

@testable import Server

/// Pull-request deliveries of GitHub, GitLab and Gitea, trimmed from the forges' documented
/// payloads, read with `--pr-plans` on: which actions plan, what the event says, and which forks
/// are told apart from the base repository.
@Suite struct PullRequestEventTests {
    static let secret = Array("s3cret-webhook".utf8)
    static let gitlabToken = Array("gitlab-plain-token".utf8)
    static let base = String(repeating: "a", count: 40)
    static let head = String(repeating: "b", count: 40)
    let verifier = WebhookVerifier(secrets: try! WebhookSecrets(keys: ["secret": secret, "gitlab": gitlabToken]), pullRequests: true)

    /// GitHub's `pull_request` payload (Gitea's has the same shape, `repo_id` besides `repo`);
    /// a nil `headRepository` is a deleted fork's.
    static func hub(
        action: String, headRepository: String? = "shop/deploy", headRepositoryID: Int = 1, headSHA: String = head, number: String = "7",
        baseRef: String = "main"
    ) -> [UInt8] {
        let headRepo = headRepository.map {
            #"{"id": \#(headRepositoryID), "full_name": "\#($0)", "clone_url": "https://github.com/\#($0).git"}"#
        }
        return Array(
            """
            {"action": "\(action)", "number": \(number),
             "pull_request": {"number": \(number), "state": "open", "title": "bump web",
               "head": {"label": "x:feature", "ref": "feature", "sha": "\(headSHA)", "repo_id": \(headRepositoryID), "repo": \(headRepo ?? "null")},
               "base": {"label": "shop:main", "ref": "\(baseRef)", "sha": "\(base)", "repo_id": 1,
                        "repo": {"id": 1, "full_name": "shop/deploy", "clone_url": "https://github.com/shop/deploy.git",
                                 "ssh_url": "git@github.com:shop/deploy.git", "html_url": "https://github.com/shop/deploy"}}},
             "repository": {"id": 1, "full_name": "shop/deploy", "clone_url": "https://github.com/shop/deploy.git"},
             "sender": {"login": "dev"}}
            """.utf8)
    }

    /// GitLab's `Merge Request Hook`: the project is the target, `last_commit` the head.
    static func gitlab(action: String, oldrev: Bool = false, sourceProject: Int = 42) -> [UInt8] {
        Array(
            """
            {"object_kind": "merge_request", "event_type": "merge_request", "user": {"username": "dev"},
             "project": {"id": 42, "path_with_namespace": "platform/deploy", "git_http_url": "https://gitlab.example.com/platform/deploy.git",
                         "git_ssh_url": "git@gitlab.example.com:platform/deploy.git", "web_url": "https://gitlab.example.com/platform/deploy"},
             "object_attributes": {"iid": 3, "id": 99, "action": "\(action)", "state": "opened", "target_branch": "main",
                                   "source_branch": "feature", "source_project_id": \(sourceProject), "target_project_id": 42,
                                   \(oldrev ? "\"oldrev\": \"\(base)\"," : "")
                                   "last_commit": {"id": "\(head)", "message": "bump web"}},
             "repository": {"name": "deploy", "url": "git@gitlab.example.com:platform/deploy.git"}}
            """.utf8)
    }

    static func sign(_ body: [UInt8]) -> String {
        HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: secret)).map { String(format: "%02x", $0) }.joined()
    }

    func deliver(_ provider: WebhookProvider, _ body: [UInt8]) throws(WebhookError) -> WebhookDelivery {
        switch provider {
        case .gitlab:
            try verifier.delivery(.gitlab, headers: ["X-Gitlab-Event": "Merge Request Hook", "X-Gitlab-Token": "gitlab-plain-token"], body: body)
        case .gitea: try verifier.delivery(.gitea, headers: ["X-Gitea-Event": "pull_request", "X-Gitea-Signature": Self.sign(body)], body: body)
        default:
            try verifier.delivery(
                provider, headers: ["X-GitHub-Event": "pull_request", "X-Hub-Signature-256": "sha256=" + Self.sign(body)], body: body)
        }
    }

    @Test(arguments: [
        // GitHub's three actions that bring a head.
        (WebhookProvider.github, hub(action: "opened"), PullRequestEvent.Action.opened),
        (.github, hub(action: "synchronize"), .synchronized),
        (.github, hub(action: "reopened"), .reopened),
        // Gitea says `synchronized`.
        (.gitea, hub(action: "opened"), .opened),
        (.gitea, hub(action: "synchronized"), .synchronized),
        (.gitea, hub(action: "reopened"), .reopened),
        // GitLab: open, reopen, and an update that brings commits.
        (.gitlab, gitlab(action: "open"), .opened),
        (.gitlab, gitlab(action: "reopen"), .reopened),
        (.gitlab, gitlab(action: "update", oldrev: true), .synchronized),
    ])
    func actionsThatBringAHeadArePlanned(provider: WebhookProvider, body: [UInt8], action: PullRequestEvent.Action) throws {
        guard case .pullRequest(let event) = try deliver(provider, body) else {
            Issue.record("not read as a pull request")
            return
        }
        #expect(event.action == action)
        #expect(event.headSHA == Self.head)
        #expect(event.baseRef == "main")
        #expect(!event.isFork)
        if provider == .gitlab {
            #expect(event.forge == .gitlab && event.number == 3 && event.project == "42" && event.baseSHA == nil)
            #expect(event.headRef == "refs/merge-requests/3/head")
            #expect(event.baseURLs.contains("https://gitlab.example.com/platform/deploy.git"))
        } else {
            #expect(event.forge == (provider == .gitea ? .gitea : .github) && event.number == 7 && event.project == "shop/deploy")
            #expect(event.baseSHA == Self.base && event.headRef == "refs/pull/7/head")
            #expect(event.baseURLs.contains("https://github.com/shop/deploy.git"))
        }
    }

    @Test(arguments: [
        // Actions without a new head: answered 202 and ignored.
        (WebhookProvider.github, hub(action: "closed")),
        (.github, hub(action: "labeled")),
        (.github, hub(action: "edited")),
        (.gitea, hub(action: "closed")),
        (.gitlab, gitlab(action: "close")),
        (.gitlab, gitlab(action: "merge")),
        // A title or label edit is an update without `oldrev`.
        (.gitlab, gitlab(action: "update")),
    ])
    func otherActionsAreIgnored(provider: WebhookProvider, body: [UInt8]) {
        do {
            _ = try deliver(provider, body)
            Issue.record("planned")
        } catch {
            #expect(error.code == .ignored && error.httpStatus == 202, "\(error.message)")
        }
    }

    @Test(arguments: [
        // Another repository holds the head: a fork, by id (GitHub, Gitea) or by project id (GitLab).
        (WebhookProvider.github, hub(action: "opened", headRepository: "dev/deploy", headRepositoryID: 9), true),
        (.gitea, hub(action: "opened", headRepository: "dev/deploy", headRepositoryID: 9), true),
        (.gitlab, gitlab(action: "open", sourceProject: 77), true),
        // A deleted fork's head repository is null.
        (.github, hub(action: "opened", headRepository: nil), true),
        // A branch of the base repository.
        (.github, hub(action: "opened"), false),
    ])
    func forksAreToldApart(provider: WebhookProvider, body: [UInt8], fork: Bool) throws {
        guard case .pullRequest(let event) = try deliver(provider, body) else {
            Issue.record("not read as a pull request")
            return
        }
        #expect(event.isFork == fork)
    }

    @Test(arguments: [
        // No usable head commit, no number, a base branch that is no ref name: 400.
        hub(action: "opened", headSHA: "1234"),
        hub(action: "opened", number: "null"),
        hub(action: "opened", baseRef: "-x..y"),
    ])
    func malformedPullRequestsAreRefused(body: [UInt8]) {
        do {
            _ = try deliver(.github, body)
            Issue.record("accepted")
        } catch {
            #expect(error.code == .malformed, "\(error.message)")
        }
    }

    @Test func withoutPlansAPullRequestIsIgnoredAsBefore() throws {
        // Off by default: the verifier does not read pull requests, so nothing about them can be refused.
        let off = WebhookVerifier(secrets: try WebhookSecrets(keys: ["secret": Self.secret]))
        let body = Self.hub(action: "opened", headSHA: "not-a-sha")
        do {
            _ = try off.delivery(
                .github, headers: ["X-GitHub-Event": "pull_request", "X-Hub-Signature-256": "sha256=" + Self.sign(body)], body: body)
            Issue.record("accepted")
        } catch {
            #expect(error.code == .ignored && error.message == "not a push event (pull_request)")
        }
        // And a pull request is never a push, with plans on.
        #expect(throws: WebhookError.self) {
            try verifier.verify(
                .github, headers: ["X-GitHub-Event": "pull_request", "X-Hub-Signature-256": "sha256=" + Self.sign(Self.hub(action: "opened"))],
                body: Self.hub(action: "opened"))
        }
    }

    @Test func aBadSignatureIsRefusedBeforeTheBodyIsRead() {
        let body = Self.hub(action: "opened")
        do {
            _ = try verifier.delivery(
                .github, headers: ["X-GitHub-Event": "pull_request", "X-Hub-Signature-256": "sha256=" + String(repeating: "0", count: 64)], body: body
            )
            Issue.record("accepted")
        } catch {
            #expect(error.code == .unauthenticated)
        }
    }
}
