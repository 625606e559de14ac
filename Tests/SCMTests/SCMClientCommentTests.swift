import KeelsonTesting
import SCM
import Testing

@Suite struct SCMClientCommentTests {
    static let marker = "keelson:preview/guestbook"
    static let tag = "<!-- keelson:preview/guestbook -->"

    /// The method that edits a comment on `forge`.
    static func editMethod(_ forge: Forge) -> String { forge == .gitlab ? "PUT" : "PATCH" }

    // The first upsert creates the comment, a new body edits it in place (1 POST, then 1
    // PATCH/PUT, one comment in all), and the same body again sends nothing.
    @Test(arguments: Forge.allCases)
    func aCommentIsCreatedThenEditedInPlace(_ forge: Forge) async throws {
        try await FakeSCM.withRunning(token: Fixture.token) { scm in
            let client = try scm.client(forge)
            let project = Fixture.project(forge)
            let human = scm.addComment(forge: forge, project: project, pr: 7, body: "LGTM")

            let created = try await client.upsertComment(pullRequest: 7, marker: Self.marker, body: "1 change")
            guard case .created(let id) = created else {
                Issue.record("expected a new comment, got \(created)")
                return
            }
            #expect(try await client.upsertComment(pullRequest: 7, marker: Self.marker, body: "2 changes") == .updated(id: id))
            #expect(try await client.upsertComment(pullRequest: 7, marker: Self.marker, body: "2 changes") == .unchanged(id: id))

            let comments = scm.comments(forge: forge, project: project, pr: 7)
            #expect(comments.map(\.id) == [human, id])
            #expect(comments.first?.body == "LGTM")
            #expect(comments.last?.body == "2 changes\n" + Self.tag)
            let writes = await scm.requests(forge: forge).filter { $0.method != "GET" }
            #expect(writes.map(\.method) == ["POST", Self.editMethod(forge)])
        }
    }

    // Comments with another marker are someone else's: each marker has its own comment.
    @Test(arguments: Forge.allCases)
    func eachMarkerHasItsOwnComment(_ forge: Forge) async throws {
        try await FakeSCM.withRunning(token: Fixture.token) { scm in
            let client = try scm.client(forge)
            let web = try await client.upsertComment(pullRequest: 3, marker: "keelson:preview/web", body: "web")
            let api = try await client.upsertComment(pullRequest: 3, marker: "keelson:preview/api", body: "api")
            #expect(web.id != api.id)
            #expect(scm.comments(forge: forge, project: Fixture.project(forge), pr: 3).count == 2)
        }
    }

    // The marker comment is found past the first page of comments on GitHub and GitLab.
    @Test(arguments: [Forge.github, .gitlab])
    func theMarkerIsFoundOnALaterPage(_ forge: Forge) async throws {
        try await FakeSCM.withRunning(token: Fixture.token) { scm in
            let project = Fixture.project(forge)
            for n in 0..<130 { scm.addComment(forge: forge, project: project, pr: 5, body: "comment \(n)") }
            let ours = scm.addComment(forge: forge, project: project, pr: 5, body: "old plan\n" + Self.tag)
            let outcome = try await scm.client(forge).upsertComment(pullRequest: 5, marker: Self.marker, body: "new plan")
            #expect(outcome == .updated(id: ours))
            let pages = await scm.requests(forge: forge, method: "GET").map { $0.query["page"] }
            #expect(pages == ["1", "2"])
        }
    }

    // Markers that could end the HTML comment early, and pull request 0, are refused before any request.
    @Test func invalidInputIsRefusedLocally() async throws {
        try await FakeSCM.withRunning(token: Fixture.token) { scm in
            let client = try scm.client(.github)
            for marker in ["", "a-->b", "two\nlines"] {
                let error = await #expect(throws: SCMError.self) { try await client.upsertComment(pullRequest: 1, marker: marker, body: "x") }
                #expect(error?.code == .invalid)
            }
            await #expect(throws: SCMError.self) { try await client.upsertComment(pullRequest: 0, marker: Self.marker, body: "x") }
            let error = await #expect(throws: SCMError.self) { try await client.setStatus(SCMClientStatusTests.pending, sha: "../../x") }
            #expect(error?.code == .invalid)
            #expect(error?.isPermanent == true)
            #expect(await scm.requests.isEmpty)
        }
    }

    // Only open requests holding the commit count; a commit in none gives an empty list (Gitea: its 404).
    @Test(arguments: Forge.allCases)
    func pullRequestsContainingACommit(_ forge: Forge) async throws {
        try await FakeSCM.withRunning(token: Fixture.token) { scm in
            let project = Fixture.project(forge)
            scm.addPullRequest(forge: forge, project: project, number: 3, commits: [Fixture.sha], open: false)
            scm.addPullRequest(forge: forge, project: project, number: 7, commits: ["aaaaaaa", Fixture.sha])
            scm.addPullRequest(forge: forge, project: project, number: 9, commits: ["bbbbbbb"])
            let client = try scm.client(forge)
            #expect(try await client.pullRequests(containing: Fixture.sha) == [7])
            #expect(try await client.pullRequests(containing: Fixture.otherSHA) == [])
        }
    }

    // GitHub and GitLab report every open request holding the commit.
    @Test(arguments: [Forge.github, .gitlab])
    func severalPullRequestsCanHoldACommit(_ forge: Forge) async throws {
        try await FakeSCM.withRunning(token: Fixture.token) { scm in
            let project = Fixture.project(forge)
            for number in [12, 4] { scm.addPullRequest(forge: forge, project: project, number: number, commits: [Fixture.sha]) }
            let client = try scm.client(forge)
            #expect(try await client.pullRequests(containing: Fixture.sha) == [4, 12])
        }
    }
}
