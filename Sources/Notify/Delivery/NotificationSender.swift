import AsyncHTTPClient
import Foundation
import Logging
import SCM

/// Sends an `OutgoingRequest`, retrying after network errors, 5xx, 408 and 429 answers as its
/// `RetryPolicy` says (a `Retry-After` wins over the backoff), never after other 4xx.
///
/// Each attempt has the provider's timeout, the body included; answers are read up to 64 KiB.
/// No message, log line or result holds the URL beyond its first path segment, a header value
/// or any value of the Provider's Secret.
///
/// ```swift
/// let sender = NotificationSender(sleep: { _ in })  // tests: retry at once
/// let result = await sender.send(request, provider: spec, credentials: secret)
/// ```
public struct NotificationSender: Sendable {
    /// The most bytes of an answer read; the rest is drained unread.
    public static let maximumAnswerBytes = 64 * 1024

    let http: HTTPClient
    let retry: RetryPolicy
    let sleep: @Sendable (Duration) async throws -> Void
    let logger: Logger

    /// Creates a sender; `sleep` waits between attempts (tests pass one that only records).
    public init(
        http: HTTPClient = .withoutRedirects, retry: RetryPolicy = .standard,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        logger: Logger = Logger(label: "keelson.notify")
    ) {
        self.http = http
        self.retry = retry
        self.sleep = sleep
        self.logger = logger
    }

    /// Sends `request` for `provider`; no value of `credentials` (the Secret the request was
    /// built from) reaches a message.
    public func send(
        _ request: OutgoingRequest, provider: ProviderSpec, credentials: ProviderCredentials = ProviderCredentials()
    ) async -> DeliveryResult {
        let secrets = credentials.secretValues
        var attempt = 1
        while true {
            let failure: DeliveryFailure
            var retryAfter: Duration?
            var status: Int?
            switch await exchange(request, provider: provider, secrets: secrets) {
            case .answered(let reply):
                status = reply.status
                if (200..<300).contains(reply.status) {
                    guard let refusal = Self.refusal(in: reply, check: request.answer, provider: provider.name) else {
                        return DeliveryResult(attempts: attempt, statusCode: reply.status, outcome: .delivered)
                    }
                    failure = refusal
                } else {
                    failure = .http(reply.status, provider: provider.name, target: request.redactedTarget)
                    retryAfter = RetryAfter.parse(reply.retryAfter)
                }
            case .failed(let error):
                failure = error
            }
            guard !failure.isPermanent, attempt < retry.attempts, !Task.isCancelled else {
                return DeliveryResult(attempts: attempt, statusCode: status, outcome: .failed(failure))
            }
            let delay = retry.delay(afterAttempt: attempt, retryAfter: retryAfter)
            logger.debug(
                "notification failed, retrying",
                metadata: [
                    "keelson.provider": "\(provider.id)", "keelson.attempt": "\(attempt)", "keelson.delay": "\(delay)",
                    "error": "\(failure.message)",
                ])
            do {
                try await sleep(delay)
            } catch {
                let cancelled = DeliveryFailure(
                    .network, provider: provider.name, message: "provider \(provider.name): cancelled while waiting to retry",
                    statusCode: status, detail: failure.message, target: request.redactedTarget)
                return DeliveryResult(attempts: attempt, statusCode: status, outcome: .failed(cancelled))
            }
            attempt += 1
        }
    }

    /// The failure a 2xx answer still means: Slack's Web API says `"ok": false` with 200.
    static func refusal(in reply: Reply, check: AnswerCheck, provider: String) -> DeliveryFailure? {
        guard check == .slackOK else { return nil }
        let object = try? JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any]
        guard let object else {
            return DeliveryFailure(
                .badAnswer, provider: provider, message: "provider \(provider): Slack's answer is not JSON", statusCode: reply.status)
        }
        if object["ok"] as? Bool == true { return nil }
        // Slack's error codes are snake_case words; anything else (an echo of the request) is not shown.
        let code = (object["error"] as? String).flatMap { $0.wholeMatch(of: /[a-z_]{1,64}/) != nil ? $0 : nil }
        return DeliveryFailure(
            .rejected, provider: provider, message: "Slack refused the message from provider \(provider)", statusCode: reply.status,
            detail: code, isPermanent: true)
    }
}
