import KeelsonTesting
import SCM
import Testing

/// Listing open pull and merge requests on each forge, as ApplicationSets' pull-request generator reads them.
@Suite struct OpenPullRequestsTests {
    /// Open ones only, with branch, target, head, title and labels; the labels filter keeps those carrying all.
    @Test(arguments: Forge.allCases) func listsOpenPullRequests(forge: Forge) async throws {
        try await FakeSCM.withRunning(token: "tok") { scm in
            let project = "shop/web"
            scm.addPullRequest(forge: forge, project: project, number: 1, commits: ["aaaaaaa1"], branch: "feat/a", title: "A", labels: ["preview"])
            scm.addPullRequest(forge: forge, project: project, number: 2, commits: ["bbbbbbb2"], labels: ["preview", "big"])
            scm.addPullRequest(forge: forge, project: project, number: 3, commits: ["ccccccc3"], open: false, labels: ["preview"])
            let client = SCMClient(repository: try scm.repository(forge, project: project), token: "tok", retry: .none)
            let all = try await client.openPullRequests()
            #expect(all.map(\.number) == [1, 2])
            #expect(all[0].branch == "feat/a" && all[0].targetBranch == "main" && all[0].headSHA == "aaaaaaa1" && all[0].title == "A")
            #expect(all[1].labels == ["preview", "big"])
            #expect(try await client.openPullRequests(labels: ["big"]).map(\.number) == [2])
        }
    }

    /// A 5xx fails the listing (never an empty list).
    @Test func serverErrorFails() async throws {
        try await FakeSCM.withRunning(token: "tok") { scm in
            scm.receiver.script("/github", statuses: [500])
            let client = SCMClient(repository: try scm.repository(.github, project: "shop/web"), token: "tok", retry: .none)
            await #expect(throws: SCMError.self) { _ = try await client.openPullRequests() }
        }
    }
}
