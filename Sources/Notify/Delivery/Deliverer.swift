import AsyncHTTPClient
import Foundation
import Logging
import SCM

/// Delivers one event to one Provider: builds the request for HTTP providers and sends it with
/// retries, or writes the commit status or pull-request comment through `SCMClient` for forges.
///
/// It never throws: every outcome, a failure included, is a `DeliveryResult` whose messages
/// hold no secret and no URL beyond its first path segment.
///
/// By default no redirect is followed (`HTTPClient.withoutRedirects`): one would carry the
/// Secret's `headers` to the host the answer names.
///
/// ```swift
/// let deliverer = Deliverer(logger: logger)
/// let result = await deliverer.deliver(event: event, message: message, provider: spec, credentials: secret)
/// if let failure = result.failure, failure.isPermanent { /* Alert Ready=False DeliveryFailed: failure.message */ }
/// ```
public struct Deliverer: Sendable {
    let http: HTTPClient
    let retry: RetryPolicy
    let sleep: @Sendable (Duration) async throws -> Void
    let now: @Sendable () -> Date
    let logger: Logger

    /// Creates a deliverer; `sleep` waits between attempts and `now` stamps events (tests
    /// inject both).
    public init(
        http: HTTPClient = .withoutRedirects, retry: RetryPolicy = .standard,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        now: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "keelson.notify")
    ) {
        self.http = http
        self.retry = retry
        self.sleep = sleep
        self.now = now
        self.logger = logger
    }

    /// Sends `event`, rendered as `message`, to `provider` with the Secret's `credentials`.
    public func deliver(
        event: NotificationEvent, message: RenderedMessage, provider: ProviderSpec, credentials: ProviderCredentials
    ) async -> DeliveryResult {
        guard !provider.suspend else { return .skipped("the provider is suspended") }
        var logger = logger
        logger[metadataKey: "keelson.provider"] = "\(provider.id)"
        logger[metadataKey: "keelson.app"] = "\(event.source.id)"
        logger[metadataKey: "keelson.event"] = "\(event.type.rawValue)"
        if provider.type.isForge {
            return await deliverToForge(event: event, message: message, provider: provider, credentials: credentials, logger: logger)
        }
        let request: OutgoingRequest?
        do {
            request = try RequestBuilder.request(event: event, message: message, provider: provider, credentials: credentials, sentAt: now())
        } catch {
            return DeliveryResult(attempts: 0, outcome: .failed(error))
        }
        guard let request else { return .skipped(RequestBuilder.skipReason(provider.type, event)) }
        let sender = NotificationSender(http: http, retry: retry, sleep: sleep, logger: logger)
        return await sender.send(request, provider: provider, credentials: credentials)
    }
}
