import Controller
import Manifests
import SCM
import Testing

@testable import Plan

/// The pure parts of server-side pull-request plans: which pull requests are planned, and how
/// the queue serialises plans of one pull request and bounds the rest.
@Suite struct PullRequestPlanQueueTests {
    static func event(
        _ number: Int = 7, head: Character = "b", url: String = "https://github.com/shop/deploy.git", base: String = "main", fork: Bool = false
    ) -> PullRequestEvent {
        PullRequestEvent(
            forge: .github, action: .opened, number: number, project: "shop/deploy", baseURLs: [url],
            baseRef: base, baseSHA: String(repeating: "a", count: 40), headSHA: String(repeating: head, count: 40), isFork: fork)
    }

    static func application(_ name: String, repoURL: String = "https://github.com/shop/deploy", revision: String = "main") throws -> Application {
        let yaml = """
            apiVersion: keelson.dev/v1alpha1
            kind: Application
            metadata: {name: \(name), namespace: keelson}
            spec:
              source: {repoURL: "\(repoURL)", revision: "\(revision)", path: \(name)}
              destination: {namespace: default}
            """
        return try Application(try #require(Manifest.decode(Array(yaml.utf8), file: "app.yaml").first))
    }

    static func job(_ number: Int = 7, head: Character = "b", repository: String = "github.com/shop/deploy") -> PullRequestPlanJob {
        PullRequestPlanJob(event: event(number, head: head), repository: repository, applications: [])
    }

    @Test func aPullRequestIsPlannedForTheApplicationsOnItsBaseBranch() throws {
        let apps = try [
            Self.application("web"), Self.application("db", repoURL: "git@github.com:shop/deploy.git"),
            Self.application("staging", revision: "staging"), Self.application("other", repoURL: "https://github.com/shop/other"),
        ]
        // The same repository under any spelling, on the base branch; other branches and repositories are left out.
        let job = try PullRequestPlanService.job(for: Self.event(), applications: apps, forks: []).get()
        #expect(job.applications.map(\.name) == ["db", "web"])
        #expect(job.repository == "github.com/shop/deploy")
    }

    @Test(arguments: [
        // No Application follows the repository: nothing is cloned.
        (event(url: "git@github.com:evil/elsewhere.git"), Set<String>(), "no Application follows this repository"),
        // A branch no Application follows.
        (event(base: "dev"), Set<String>(), "no Application follows the base branch dev"),
        // A fork, off by default; another repository on the allowlist does not count.
        (event(fork: true), Set<String>(), "a pull request from a fork: plans of forks are off for this repository (--pr-plans-fork-repos)"),
        (
            event(fork: true), Set(["github.com/shop/other"]),
            "a pull request from a fork: plans of forks are off for this repository (--pr-plans-fork-repos)"
        ),
    ])
    func pullRequestsThatAreNotPlanned(event: PullRequestEvent, forks: Set<String>, reason: String) throws {
        let result = PullRequestPlanService.job(for: event, applications: [try Self.application("web")], forks: forks)
        #expect(throws: PullRequestPlanService.Skipped(reason: reason)) { try result.get() }
    }

    @Test func aForkIsPlannedWhenItsBaseRepositoryIsAllowed() throws {
        let job = try PullRequestPlanService.job(
            for: Self.event(fork: true), applications: [try Self.application("web")], forks: ["github.com/shop/deploy"]
        )
        .get()
        #expect(job.applications.map(\.name) == ["web"])
    }

    @Test func oneRunsPerPullRequestAndANewerHeadReplacesTheWaitingOne() {
        var queue = PullRequestPlanQueue(capacity: 4, concurrency: 2)
        #expect(queue.admit(Self.job(7, head: "1")) == .queued)
        let running = queue.take()
        #expect(running?.event.headSHA.first == "1")
        // While 7 runs, a newer head waits; a newer one still replaces it, keeping its place.
        #expect(queue.admit(Self.job(7, head: "2")) == .queued)
        #expect(queue.admit(Self.job(8, head: "1")) == .queued)
        #expect(queue.admit(Self.job(7, head: "3")) == .superseded(String(repeating: "2", count: 40)))
        #expect(queue.waiting.map(\.event.number) == [7, 8])
        // The same head again changes nothing, waiting or running.
        #expect(queue.admit(Self.job(7, head: "3")) == .duplicate)
        #expect(queue.admit(Self.job(8, head: "1")) == .duplicate)
        // 7 is running: 8 starts, then nothing more (two run at most, 7 once).
        #expect(queue.take()?.event.number == 8)
        #expect(queue.take() == nil)
        queue.finish(running!.key)
        #expect(queue.take()?.event.headSHA.first == "3")
        // The same head as the running one is a duplicate too.
        #expect(queue.admit(Self.job(7, head: "3")) == .duplicate)
    }

    @Test func theQueueIsBounded() {
        var queue = PullRequestPlanQueue(capacity: 2, concurrency: 1)
        #expect(queue.admit(Self.job(1)) == .queued)
        #expect(queue.admit(Self.job(2)) == .queued)
        #expect(queue.admit(Self.job(3)) == .full)
        // Replacing a waiting head needs no room.
        #expect(queue.admit(Self.job(2, head: "c")) == .superseded(String(repeating: "b", count: 40)))
        // The same pull request of another repository is another pull request.
        #expect(queue.admit(Self.job(1, repository: "github.com/shop/other")) == .full)
    }
}
