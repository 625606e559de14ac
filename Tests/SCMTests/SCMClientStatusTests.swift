import KeelsonTesting
import SCM
import Testing

@Suite struct SCMClientStatusTests {
    static let pending = CommitStatus(
        state: .pending, context: "keelson/keelson/guestbook", description: "syncing 3f2a1c0", targetURL: "https://keelson.example/apps/guestbook")

    // A status is posted once; the same status again is Flux's duplicate and posts nothing.
    @Test(arguments: Forge.allCases)
    func anIdenticalStatusIsSkipped(_ forge: Forge) async throws {
        try await FakeSCM.withRunning(token: Fixture.token) { scm in
            let client = try scm.client(forge)
            #expect(try await client.setStatus(Self.pending, sha: Fixture.sha) == .posted)
            #expect(try await client.setStatus(Self.pending, sha: Fixture.sha) == .unchanged)
            #expect(await scm.requests(forge: forge, method: "POST").count == 1)
            let stored = scm.statuses(forge: forge, project: Fixture.project(forge), sha: Fixture.sha)
            #expect(stored.map(\.state) == [forge == .gitlab ? "running" : "pending"])
            #expect(stored.first?.context == Self.pending.context)
            #expect(stored.first?.targetURL == Self.pending.targetURL)
            #expect(try await client.statuses(sha: Fixture.sha) == [Self.pending])
        }
    }

    // A new state for the same context is posted, and listing shows it first.
    @Test(arguments: Forge.allCases)
    func aChangedStateIsPosted(_ forge: Forge) async throws {
        try await FakeSCM.withRunning(token: Fixture.token) { scm in
            let client = try scm.client(forge)
            var success = Self.pending
            success.state = .success
            success.description = "deployed 3f2a1c0"
            #expect(try await client.setStatus(Self.pending, sha: Fixture.sha) == .posted)
            #expect(try await client.setStatus(success, sha: Fixture.sha) == .posted)
            #expect(await scm.requests(forge: forge, method: "POST").count == 2)
            let stored = scm.statuses(forge: forge, project: Fixture.project(forge), sha: Fixture.sha).map(\.state)
            #expect(stored == (forge == .gitlab ? ["success", "running"] : ["success", "pending"]))
            #expect(try await client.statuses(sha: Fixture.sha) == [success, Self.pending])
        }
    }

    // Another context on the same SHA is not a duplicate, nor is the same status on another SHA.
    @Test(arguments: Forge.allCases)
    func duplicatesAreJudgedPerContextAndSHA(_ forge: Forge) async throws {
        try await FakeSCM.withRunning(token: Fixture.token) { scm in
            let client = try scm.client(forge)
            var other = Self.pending
            other.context = "keelson/keelson/shop"
            #expect(try await client.setStatus(Self.pending, sha: Fixture.sha) == .posted)
            #expect(try await client.setStatus(other, sha: Fixture.sha) == .posted)
            #expect(try await client.setStatus(Self.pending, sha: Fixture.otherSHA) == .posted)
            #expect(try await client.setStatus(other, sha: Fixture.sha) == .unchanged)
        }
    }

    // Descriptions are cut to GitHub's 140 characters before posting and before comparing, so a
    // long description is accepted everywhere and posting it again is still a duplicate.
    @Test(arguments: Forge.allCases)
    func longDescriptionsAreCut(_ forge: Forge) async throws {
        try await FakeSCM.withRunning(token: Fixture.token) { scm in
            let client = try scm.client(forge)
            let long = CommitStatus(state: .failure, context: "keelson/app", description: String(repeating: "rolled back ", count: 30))
            #expect(try await client.setStatus(long, sha: Fixture.sha) == .posted)
            #expect(try await client.setStatus(long, sha: Fixture.sha) == .unchanged)
            let stored = try #require(scm.statuses(forge: forge, project: Fixture.project(forge), sha: Fixture.sha).first)
            #expect(stored.description.count == 140)
            #expect(stored.description.hasSuffix("…"))
            #expect(long.description.hasPrefix(stored.description.dropLast()))
        }
    }

    // GitLab has one failed state for `.failure` and `.error`: switching between them is no change.
    @Test func gitlabFailureAndErrorAreTheSameState() async throws {
        try await FakeSCM.withRunning(token: Fixture.token) { scm in
            let client = try scm.client(.gitlab)
            let failure = CommitStatus(state: .failure, context: "keelson/app", description: "sync failed")
            var error = failure
            error.state = .error
            #expect(try await client.setStatus(failure, sha: Fixture.sha) == .posted)
            #expect(try await client.setStatus(error, sha: Fixture.sha) == .unchanged)
            #expect(scm.statuses(forge: .gitlab, project: Fixture.project(.gitlab), sha: Fixture.sha).map(\.state) == ["failed"])
        }
    }

    // GitLab refuses to move a running status to running again (400 "Cannot transition
    // status"); a new description on a pending status is therefore no change there.
    @Test func gitlabKeepsARunningStatus() async throws {
        try await FakeSCM.withRunning(token: Fixture.token) { scm in
            let client = try scm.client(.gitlab)
            var later = Self.pending
            later.description = "still syncing"
            #expect(try await client.setStatus(Self.pending, sha: Fixture.sha) == .posted)
            #expect(try await client.setStatus(later, sha: Fixture.sha) == .unchanged)
            #expect(await scm.requests(forge: .gitlab, method: "POST").count == 2)
            #expect(scm.statuses(forge: .gitlab, project: Fixture.project(.gitlab), sha: Fixture.sha).count == 1)
        }
    }

    // Each forge gets its own authentication header and the JSON field names it documents.
    @Test(arguments: [
        (Forge.github, "authorization", "Bearer \(Fixture.token)", "/github/repos/shop/deploy/statuses/\(Fixture.sha)", "context", "pending"),
        (Forge.gitlab, "private-token", Fixture.token, "/gitlab/api/v4/projects/platform%2Fshop%2Fdeploy/statuses/\(Fixture.sha)", "name", "running"),
        (Forge.gitea, "authorization", "token \(Fixture.token)", "/gitea/api/v1/repos/shop/deploy/statuses/\(Fixture.sha)", "context", "pending"),
    ])
    func requestsFollowEachForgesAPI(_ forge: Forge, header: String, value: String, path: String, contextField: String, state: String)
        async throws
    {
        try await FakeSCM.withRunning(token: Fixture.token) { scm in
            _ = try await scm.client(forge).setStatus(Self.pending, sha: Fixture.sha)
            let post = try #require(await scm.requests(forge: forge, method: "POST").first)
            #expect(post.path == path)
            #expect(post.header(header) == value)
            #expect(post.header("User-Agent") == "keelson")
            #expect(post.header("Content-Type") == "application/json")
            #expect(post.json?["state"] as? String == state)
            #expect(post.json?[contextField] as? String == Self.pending.context)
            #expect(post.json?["target_url"] as? String == Self.pending.targetURL)
            if forge == .github {
                #expect(post.header("Accept") == "application/vnd.github+json")
                #expect(post.header("X-GitHub-Api-Version") == "2022-11-28")
            }
        }
    }

    // A wrong token is refused by the forge and reported as a permanent authorization failure.
    @Test(arguments: Forge.allCases)
    func aWrongTokenIsUnauthorized(_ forge: Forge) async throws {
        try await FakeSCM.withRunning(token: Fixture.token) { scm in
            let client = try scm.client(forge, token: "wrong")
            let error = await #expect(throws: SCMError.self) { try await client.statuses(sha: Fixture.sha) }
            #expect(error?.code == .unauthorized)
            #expect(error?.statusCode == 401)
            #expect(error?.isPermanent == true)
            #expect(await scm.requests.count == 1)
        }
    }
}
