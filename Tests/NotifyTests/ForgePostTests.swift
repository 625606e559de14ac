import Notify
import Progressive
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
                == Set(EventType.allCases).subtracting([
                    .syncRunning, .deployed, .syncFailed, .healthDegraded, .sourceFailed, .healthRecovered, .rolloutStarted, .rolloutPaused,
                    .rolloutResumed, .rolloutPromoted, .rolloutAborted,
                ]))
    }

    @Test(arguments: [
        // A started rollout is pending on its revision, and says which step it is at.
        (EventType.rolloutStarted, "Progressing", CommitState?.some(.pending), "rolling out: step 0/5"),
        // A pause keeps the status pending, saying why it waits.
        (.rolloutPaused, "Paused", .pending, "paused: step 1/5 (paused at step 1: waiting for promote)"),
        (.rolloutResumed, "Progressing", .pending, "rolling out: step 0/5"),
        // A promotion makes the commit green.
        (.rolloutPromoted, "Healthy", .success, "promoted"),
        // An abort fails it, with the reason the rollout gives.
        (.rolloutAborted, "Aborted", .failure, "rolled back: success-rate 0.8 < 0.95"),
        // The analysis failure is told, but the abort that follows sets the status.
        (.analysisFailed, "Aborted", nil, ""),
    ])
    func rolloutEventsPostOnTheRolledOutRevision(_ type: EventType, _ phase: String, _ state: CommitState?, _ description: String) throws {
        var rollout = RolloutReport(namespace: "default", name: "web", phase: phase)
        rollout.steps = 5
        rollout.step = type == .rolloutPaused ? 1 : 0
        rollout.canaryRevision = Sample.sha
        rollout.message =
            type == .rolloutPaused ? "paused at step 1: waiting for promote" : type == .rolloutAborted ? "success-rate 0.8 < 0.95" : nil
        var event = Sample.event(type)
        event.rollout = rollout
        let decision = try ForgePost.decide(
            event: event, message: Sample.message(event), provider: Sample.provider(.github, address: Sample.repository), credentials: .init())
        guard let state else {
            #expect(decision == .skip(reason: "analysis-failed sets no commit status"))
            return
        }
        guard case .post(let post) = decision else {
            Issue.record("expected a post, got \(decision)")
            return
        }
        #expect(post.sha == Sample.sha)
        #expect(post.action == .status(CommitStatus(state: state, context: "keelson/keelson/guestbook", description: description)))
    }

    // While a rollout of the revision is not promoted, a deploy or a recovery posts no success:
    // it would overwrite the rollout's pending (or its failure after a rollback).
    @Test(arguments: [EventType.deployed, .healthRecovered, .rolloutPromoted])
    func aSuccessWaitsForTheRolloutsPromotion(_ type: EventType) throws {
        var event = Sample.event(type)
        event.deliveryPending = true
        #expect(CommitStatusTable.state(for: event) == nil)
        let decision = try ForgePost.decide(
            event: event, message: Sample.message(event), provider: Sample.provider(.github, address: Sample.repository), credentials: .init())
        #expect(decision == .skip(reason: "a rollout of 3f2a1c0 is not promoted yet"))
        // Failures are never held back.
        event.type = .syncFailed
        #expect(CommitStatusTable.state(for: event) == .failure)
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
