import Notify
import SCM
import Testing

@Suite struct ForgePostTests {
    // The commit-status table of the design (B.2.2): pending, success, failure, error; others none.
    @Test func theStateTable() {
        #expect(CommitStatusTable.state(for: .syncRunning) == .pending)
        #expect(CommitStatusTable.state(for: .deployed) == .success)
        #expect(CommitStatusTable.state(for: .syncFailed) == .failure)
        #expect(CommitStatusTable.state(for: .healthDegraded) == .failure)
        #expect(CommitStatusTable.state(for: .sourceFailed) == .error)
        // A recovery makes the commit green again.
        #expect(CommitStatusTable.state(for: .healthRecovered) == .success)
        let stateless = EventType.allCases.filter { CommitStatusTable.state(for: $0) == nil }
        #expect(
            Set(stateless)
                == Set(EventType.allCases).subtracting([.syncRunning, .deployed, .syncFailed, .healthDegraded, .sourceFailed, .healthRecovered]))
    }

    // Without spec.apiURL the API follows the address's host: github.com's public API, GitHub
    // Enterprise's /api/v3, GitLab's and Gitea's server (Gitea under a sub-path included).
    @Test(arguments: [
        (ProviderType.github, "https://github.com/shop/deploy.git", "https://api.github.com", "shop/deploy"),
        (.github, "git@ghe.example.com:shop/deploy.git", "https://ghe.example.com/api/v3", "shop/deploy"),
        (.gitlab, "https://gitlab.example.com/platform/shop/deploy", "https://gitlab.example.com", "platform/shop/deploy"),
        (.gitea, "http://git.example.com/gitea/shop/deploy", "http://git.example.com/gitea", "shop/deploy"),
    ])
    func theRepositoryComesFromTheAddress(_ type: ProviderType, _ address: String, _ apiURL: String, _ project: String) throws {
        let provider = Sample.provider(type, address: address)
        let event = Sample.event(.deployed, repoURL: address)
        let decision = try ForgePost.decide(event: event, message: Sample.message(event), provider: provider, credentials: .init())
        guard case .post(let post) = decision else {
            Issue.record("expected a post, got \(decision)")
            return
        }
        #expect(post.repository.apiURL == apiURL && post.repository.project == project && post.sha == Sample.sha)
    }

    // A forge provider without an address cannot pin a host: a configuration failure.
    @Test func anAddressIsRequired() {
        let event = Sample.event(.deployed)
        #expect(throws: DeliveryFailure.self) {
            try ForgePost.decide(event: event, message: Sample.message(event), provider: Sample.provider(.github), credentials: .init())
        }
    }
}
