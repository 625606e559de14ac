import KeelsonTesting
import Notify
import SCM
import Testing

@Suite struct ForgeDeliveryTests {
    static let token = "ghp_TESTTOKEN123"

    /// A repository URL on `forge`, and the project FakeSCM keeps it under.
    static func repository(_ forge: Forge) -> (address: String, project: String) {
        switch forge {
        case .github: ("https://github.com/shop/deploy", "shop/deploy")
        case .gitlab: ("https://gitlab.example.com/platform/shop/deploy.git", "platform/shop/deploy")
        case .gitea: ("https://gitea.example.com/shop/deploy", "shop/deploy")
        }
    }

    /// The status or comment provider type for `forge`, pointed at the fake.
    static func provider(_ forge: Forge, scm: FakeSCM, comments: Bool = false) -> ProviderSpec {
        let types: [Forge: (ProviderType, ProviderType)] = [
            .github: (.github, .githubPRComment), .gitlab: (.gitlab, .gitlabMRComment), .gitea: (.gitea, .giteaPRComment),
        ]
        let type = comments ? types[forge]!.1 : types[forge]!.0
        return Sample.provider(type, name: "\(forge.rawValue)-status", address: repository(forge).address, apiURL: scm.apiURL(forge))
    }

    /// Delivers `type` for guestbook deploying `repoURL` (the provider's repository by default).
    static func deliver(_ type: EventType, _ provider: ProviderSpec, repoURL: String? = nil) async -> DeliveryResult {
        let event = Sample.event(type, repoURL: repoURL ?? provider.address!)
        return await Deliverer.testing().deliver(
            event: event, message: Sample.message(event), provider: provider, credentials: Sample.credentials(token: token))
    }

    // B3: sync-running posts pending, deployed posts success under keelson/<ns>/<app>; a second
    // identical deployed posts nothing. GitLab spells them running and success.
    @Test(arguments: Forge.allCases)
    func statusesGoPendingThenSuccessOnce(_ forge: Forge) async throws {
        try await FakeSCM.withRunning(token: Self.token) { scm in
            let provider = Self.provider(forge, scm: scm)
            #expect(await Self.deliver(.syncRunning, provider).isDelivered)
            #expect(await Self.deliver(.deployed, provider).isDelivered)
            let again = await Self.deliver(.deployed, provider)
            #expect(again.outcome == .skipped(reason: "the forge already shows this status"))
            let statuses = scm.statuses(forge: forge, project: Self.repository(forge).project, sha: Sample.sha)
            #expect(statuses.map(\.state) == (forge == .gitlab ? ["success", "running"] : ["success", "pending"]))
            #expect(statuses.allSatisfy { $0.context == "keelson/keelson/guestbook" && $0.description.unicodeScalars.count <= 140 })
            #expect(statuses.first?.description == "deployed: guestbook 3f2a1c0")
            #expect(await scm.requests(forge: forge, method: "POST").count == 2)
        }
    }

    // Failures map to failure (GitLab: failed) and a source failure to error; the rendered
    // context and description win over the defaults.
    @Test func failuresAndRenderedContexts() async throws {
        try await FakeSCM.withRunning(token: Self.token) { scm in
            let provider = Self.provider(.github, scm: scm)
            let event = Sample.event(.sourceFailed, repoURL: provider.address!)
            var message = Sample.message(event)
            message.statusContext = "deploy/prod"
            message.statusDescription = "values.yaml:3: duplicate key"
            let result = await Deliverer.testing().deliver(
                event: event, message: message, provider: provider, credentials: Sample.credentials(token: Self.token))
            #expect(result.isDelivered)
            let status = scm.statuses(forge: .github, project: "shop/deploy", sha: Sample.sha).first
            #expect(status?.state == "error" && status?.context == "deploy/prod" && status?.description == "values.yaml:3: duplicate key")
            #expect(await Self.deliver(.healthDegraded, Self.provider(.gitlab, scm: scm)).isDelivered)
            #expect(scm.statuses(forge: .gitlab, project: "platform/shop/deploy", sha: Sample.sha).first?.state == "failed")
        }
    }

    // Host pinning: an app deploying another repository makes the provider send nothing at all,
    // whatever it names; the same repository written another way (scp, .git) still posts.
    @Test func onlyTheProvidersOwnRepositoryIsPosted() async throws {
        try await FakeSCM.withRunning(token: Self.token) { scm in
            let provider = Self.provider(.github, scm: scm)
            for other in ["https://github.com/shop/other", "https://evil.example.com/shop/deploy", ""] {
                let result = await Self.deliver(.deployed, provider, repoURL: other)
                #expect(result.outcome == .skipped(reason: "not this provider's repository"))
            }
            #expect(await scm.requests.isEmpty)
            #expect(await Self.deliver(.deployed, provider, repoURL: "git@github.com:shop/deploy.git").isDelivered)
        }
    }

    // Events that set no commit status (drift, recovery) post nothing.
    @Test func eventsWithoutAStateSendNothing() async throws {
        try await FakeSCM.withRunning(token: Self.token) { scm in
            let result = await Self.deliver(.driftDetected, Self.provider(.github, scm: scm))
            #expect(result.outcome == .skipped(reason: "drift-detected sets no commit status"))
            #expect(await scm.requests.isEmpty)
        }
    }

    // A wrong token is a permanent failure naming the HTTP status and the provider, never the token.
    @Test func aRefusedTokenIsAPermanentFailure() async throws {
        try await FakeSCM.withRunning(token: "ghp_OTHER") { scm in
            let result = await Self.deliver(.deployed, Self.provider(.github, scm: scm))
            let failure = try #require(result.failure)
            #expect(failure.isPermanent && failure.statusCode == 401 && failure.message == "HTTP 401 from provider github-status")
            #expect(!"\(result)".contains(Self.token))
        }
    }

    // PR comments: one comment per app on each open pull request holding the commit, edited in
    // place by the next event; no pull request, nothing sent.
    @Test(arguments: Forge.allCases)
    func pullRequestCommentsAreUpsertedInPlace(_ forge: Forge) async throws {
        try await FakeSCM.withRunning(token: Self.token) { scm in
            let provider = Self.provider(forge, scm: scm, comments: true)
            let project = Self.repository(forge).project
            let none = await Self.deliver(.syncRunning, provider)
            #expect(none.outcome == .skipped(reason: "no open pull request holds 3f2a1c0"))
            scm.addPullRequest(forge: forge, project: project, number: 7, commits: [Sample.sha])
            #expect(await Self.deliver(.syncRunning, provider).isDelivered)
            #expect(await Self.deliver(.deployed, provider).isDelivered)
            let comments = scm.comments(forge: forge, project: project, pr: 7)
            #expect(comments.count == 1 && comments.first?.edits == 1)
            #expect(comments.first?.body.contains("deployed: guestbook 3f2a1c0") == true)
            #expect(comments.first?.body.hasSuffix("<!-- keelson:keelson/guestbook -->") == true)
        }
    }
}
