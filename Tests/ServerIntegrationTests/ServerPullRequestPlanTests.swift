import Foundation
import GitSource
import KeelsonTesting
import Manifests
import Plan
import SCM
import Testing

/// `--pr-plans` end to end: a signed GitHub `pull_request` webhook reaches the running server, the
/// controller fetches the head from the repository's `refs/pull/N/head`, plans it against the
/// cluster, and the fake GitHub gets one comment, edited in place, and a status on each head.
@Suite(.serialized) struct ServerPullRequestPlanTests {
    typealias H = ServerHarness
    static let token = "ghp_PLANS"
    static let apps = ["web": H.app("web", path: "web", interval: "10m")]
    static let files = ["web/config.yaml": H.configMap("web", "v1")]

    /// Plans posted to `fake`'s GitHub, forks allowed for the repository when `forks`.
    static func plans(_ fake: FakeSCM, forks: Bool = false) -> @Sendable (String) -> PullRequestPlanConfiguration {
        { repository in
            var configuration = PullRequestPlanConfiguration(token: fake.token)
            configuration.apiURLs[.github] = fake.apiURL(.github)
            if forks { configuration.forkRepositories = [RepositoryURL.normalize(repository)] }
            return configuration
        }
    }

    /// A GitHub `pull_request` delivery for pull request `number` of `repository` (a fork's when `fork`).
    static func event(_ action: String, _ number: Int, base: String, head: String, repository: String, fork: Bool = false) -> [UInt8] {
        let headRepository =
            fork ? #"{"id": 9, "full_name": "dev/r", "clone_url": "https://example.com/dev/r.git"}"# : #"{"id": 1, "full_name": "o/r"}"#
        return Array(
            """
            {"action": "\(action)", "number": \(number),
             "pull_request": {"number": \(number), "head": {"ref": "feature", "sha": "\(head)", "repo": \(headRepository)},
               "base": {"ref": "main", "sha": "\(base)", "repo": {"id": 1, "full_name": "o/r", "clone_url": "\(repository)"}}},
             "repository": {"id": 1, "full_name": "o/r", "clone_url": "\(repository)"}}
            """.utf8)
    }

    /// Sends `body` as a GitHub `pull_request` delivery, signed with `secret`.
    static func deliver(_ h: H, _ body: [UInt8], secret: String = H.webhookSecret) async throws -> H.Reply {
        try await h.hook(
            "github", body: body, headers: [("X-GitHub-Event", "pull_request"), ("X-Hub-Signature-256", "sha256=" + H.hmac(body, secret: secret))])
    }

    @Test func aPullRequestIsPlannedOnceAndItsCommentEditedOnNewCommits() async throws {
        try await FakeSCM.withRunning(token: Self.token) { fake in
            try await H.with(files: Self.files, apps: Self.apps, pullRequestPlans: Self.plans(fake)) { h in
                try await h.eventually("web is synced") { try await h.syncStatus("web") == "Synced" }
                let base = try await h.revision("main")
                let first = try await h.pullRequest(7, ["web/config.yaml": H.configMap("web", "v2")])

                let opened = try await Self.deliver(h, Self.event("opened", 7, base: base, head: first, repository: h.repositoryURL))
                #expect(opened.status == 202 && opened.json["planned"] == true, "\(opened.body)")
                try await h.eventually("the plan is posted") { !fake.statuses(forge: .github, project: "o/r", sha: first).isEmpty }
                let comments = fake.comments(forge: .github, project: "o/r", pr: 7)
                #expect(comments.count == 1)
                let body = try #require(comments.first?.body)
                #expect(body.contains("keelson/web") && body.contains("+  value: v2") && body.hasSuffix("<!-- keelson-plan:default -->"), "\(body)")
                // With live access: the cluster runs v1, so a sync of the head would change the ConfigMap.
                #expect(body.contains("Live") && body.contains("will change"), "\(body)")
                let status = try #require(fake.statuses(forge: .github, project: "o/r", sha: first).first)
                #expect(status.state == "success" && status.context == "keelson/plan" && status.description == "1 app changes: ~1")

                // New commits: the same comment, edited; a status on the new head.
                let second = try await h.pullRequest(7, ["web/config.yaml": H.configMap("web", "v3")])
                let synchronized = try await Self.deliver(h, Self.event("synchronize", 7, base: base, head: second, repository: h.repositoryURL))
                #expect(synchronized.json["planned"] == true)
                try await h.eventually("the new head's plan is posted") { !fake.statuses(forge: .github, project: "o/r", sha: second).isEmpty }
                let edited = fake.comments(forge: .github, project: "o/r", pr: 7)
                #expect(edited.count == 1 && edited.first?.edits == 1 && edited.first?.body.contains("+  value: v3") == true)
                #expect(await fake.requests(forge: .github, method: "POST").filter { $0.path.hasSuffix("/comments") }.count == 1)

                // A plan that cannot be made (the forge never made the pull request's ref) says so on the head.
                let missing = String(repeating: "c", count: 40)
                #expect(
                    try await Self.deliver(h, Self.event("opened", 12, base: base, head: missing, repository: h.repositoryURL)).json["planned"]
                        == true)
                try await h.eventually("the failed plan's status is posted") { !fake.statuses(forge: .github, project: "o/r", sha: missing).isEmpty }
                let failed = try #require(fake.statuses(forge: .github, project: "o/r", sha: missing).first)
                #expect(failed.state == "error" && failed.context == "keelson/plan" && failed.description.hasPrefix("no plan: "), "\(failed)")
                #expect(fake.comments(forge: .github, project: "o/r", pr: 12).isEmpty)

                // A repository no Application follows: answered, and nothing is fetched.
                let mirrors = try FileManager.default.contentsOfDirectory(atPath: h.folder.path + "/cache/mirrors")
                let elsewhere = "file://" + h.folder.path + "/elsewhere"
                let other = try await Self.deliver(h, Self.event("opened", 11, base: base, head: first, repository: elsewhere))
                #expect(other.status == 202 && other.json["planned"] == false)
                #expect(other.json["message"]?.stringValue == "no Application follows this repository")
                // A fork, off by default.
                let fork = try await Self.deliver(h, Self.event("opened", 8, base: base, head: first, repository: h.repositoryURL, fork: true))
                #expect(fork.status == 202 && fork.json["planned"] == false && fork.json["message"]?.stringValue?.contains("fork") == true)
                // A bad signature, as for pushes.
                let forged = try await Self.deliver(h, Self.event("opened", 7, base: base, head: first, repository: h.repositoryURL), secret: "guess")
                #expect(forged.status == 401)
                #expect(try FileManager.default.contentsOfDirectory(atPath: h.folder.path + "/cache/mirrors") == mirrors)
                #expect(fake.comments(forge: .github, project: "o/r", pr: 8).isEmpty && fake.comments(forge: .github, project: "o/r", pr: 11).isEmpty)

                let metrics = try await h.call(.GET, "/metrics", as: "viewer").body
                #expect(metrics.contains(#"keelson_pr_plans_total{forge="github",result="posted"} 2"#), "\(metrics)")
                #expect(metrics.contains(#"keelson_pr_plans_total{forge="github",result="skipped"} 2"#))
                #expect(metrics.contains(#"keelson_pr_plans_total{forge="github",result="failed"} 1"#))
                #expect(metrics.contains(#"keelson_webhook_requests_total{outcome="planned",provider="github"} 3"#))
            }
        }
    }

    @Test func aForkIsPlannedWhenAllowedAndNothingIsPostedWithoutPlans() async throws {
        try await FakeSCM.withRunning(token: Self.token) { fake in
            try await H.with(files: Self.files, apps: Self.apps, pullRequestPlans: Self.plans(fake, forks: true)) { h in
                let base = try await h.revision("main")
                let head = try await h.pullRequest(9, ["web/config.yaml": H.configMap("web", "v2")])
                // As a load balancer would, wait until the server is ready (it has listed the Applications).
                try await h.eventually("the server is ready") { try await h.call(.GET, "/readyz", as: nil, record: false).status == 200 }
                let fork = try await Self.deliver(h, Self.event("reopened", 9, base: base, head: head, repository: h.repositoryURL, fork: true))
                #expect(fork.json["planned"] == true, "\(fork.body)")
                try await h.eventually("the fork's plan is posted") { !fake.statuses(forge: .github, project: "o/r", sha: head).isEmpty }
                #expect(fake.comments(forge: .github, project: "o/r", pr: 9).count == 1)
            }
            let before = await fake.requests.count
            try await H.with(files: Self.files, apps: Self.apps) { h in
                let base = try await h.revision("main")
                let head = try await h.pullRequest(10, ["web/config.yaml": H.configMap("web", "v2")])
                let ignored = try await Self.deliver(h, Self.event("opened", 10, base: base, head: head, repository: h.repositoryURL))
                #expect(ignored.status == 202 && ignored.json["planned"] == nil)
                #expect(ignored.json["message"]?.stringValue == "not a push event (pull_request)")
            }
            // The server has stopped: no plan was under way to post anything.
            #expect(await fake.requests.count == before)
        }
    }
}

extension ServerHarness {
    /// The commit `revision` names in the repository.
    func revision(_ revision: String) async throws -> String {
        try await ProcessRunner.run("git", ["-C", repository, "rev-parse", revision]).output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Commits `files` on pull request `number`'s branch (made from `main` at first) and points
    /// `refs/pull/<number>/head` at it, as GitHub does; `main` stays checked out. Answers the head.
    func pullRequest(_ number: Int, _ files: [String: String]) async throws -> String {
        let branch = "pr-\(number)"
        let exists = try await ProcessRunner.run("git", ["-C", repository, "rev-parse", "--verify", "--quiet", branch]).status == 0
        try await Self.git(exists ? ["checkout", "-q", branch] : ["checkout", "-q", "-b", branch], in: repository)
        try await commit(files, message: "pull request \(number)")
        let head = try await revision("HEAD")
        try await Self.git(["update-ref", "refs/pull/\(number)/head", head], in: repository)
        try await Self.git(["checkout", "-q", "main"], in: repository)
        return head
    }
}
