import Logging
import SCM
import Synchronization

extension Deliverer {
    /// Writes the commit status or the pull-request comments `ForgePost` decides on.
    func deliverToForge(
        event: NotificationEvent, message: RenderedMessage, provider: ProviderSpec, credentials: ProviderCredentials, logger: Logger
    ) async -> DeliveryResult {
        let post: ForgePost
        do {
            switch try ForgePost.decide(event: event, message: message, provider: provider, credentials: credentials) {
            case .post(let decided): post = decided
            case .skip(let reason): return .skipped(reason)
            }
        } catch {
            return DeliveryResult(attempts: 0, outcome: .failed(error))
        }
        guard let token = credentials.token, !token.isEmpty else {
            return DeliveryResult(attempts: 0, outcome: .failed(.configuration(provider.name, "\(provider.type.rawValue) needs the Secret's token")))
        }
        // The client retries on its own; counting its waits gives the attempts.
        let retries = Atomic(0)
        let sleep = self.sleep
        let client = SCMClient(
            repository: post.repository, token: token, http: http, timeout: provider.timeout, retry: retry,
            sleep: { delay in
                retries.add(1, ordering: .relaxed)
                try await sleep(delay)
            }, logger: logger)
        let outcome: DeliveryOutcome
        do {
            outcome = try await write(post, with: client)
        } catch {
            let failure = Self.failure(error, provider: provider.name, secrets: credentials.secretValues)
            return DeliveryResult(attempts: 1 + retries.load(ordering: .relaxed), statusCode: error.statusCode, outcome: .failed(failure))
        }
        return DeliveryResult(attempts: 1 + retries.load(ordering: .relaxed), outcome: outcome)
    }

    /// Posts the status, or upserts the comment on every open pull request holding the commit.
    private func write(_ post: ForgePost, with client: SCMClient) async throws(SCMError) -> DeliveryOutcome {
        switch post.action {
        case .status(let status):
            switch try await client.setStatus(status, sha: post.sha) {
            case .posted: return .delivered
            case .unchanged: return .skipped(reason: "the forge already shows this status")
            }
        case .comment(let marker, let body):
            let numbers = try await client.pullRequests(containing: post.sha)
            guard !numbers.isEmpty else { return .skipped(reason: "no open pull request holds \(post.sha.prefix(7))") }
            var changed = false
            for number in numbers {
                if case .unchanged = try await client.upsertComment(pullRequest: number, marker: marker, body: body) { continue }
                changed = true
            }
            return changed ? .delivered : .skipped(reason: "the pull request comment already says this")
        }
    }

    /// `error` in delivery terms: `HTTP 422 from provider github-status`, the forge's own
    /// (already redacted) message as the detail.
    static func failure(_ error: SCMError, provider: String, secrets: [String]) -> DeliveryFailure {
        let codes: [SCMError.Code: DeliveryFailure.Code] = [
            .badRequest: .rejected, .unauthorized: .rejected, .notFound: .rejected, .rejected: .rejected, .server: .server,
            .network: .network, .badAnswer: .badAnswer, .invalid: .configuration,
        ]
        let message =
            error.statusCode.map { "HTTP \($0) from provider \(provider)" }
            ?? (error.code == .network ? "no answer from provider \(provider)" : "provider \(provider): the forge request failed")
        return DeliveryFailure(
            codes[error.code]!, provider: provider, message: message, statusCode: error.statusCode,
            detail: Scrub.text(error.message, secrets: secrets), isPermanent: error.isPermanent)
    }
}
