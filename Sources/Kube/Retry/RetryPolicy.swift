import Foundation

/// When and how long the client waits before repeating a request the server refused for now.
///
/// Policy is data: `retriedStatuses` says which HTTP codes are retried for which methods.
public struct RetryPolicy: Sendable, Hashable {
    /// The most attempts, counting the first; 1 disables retries.
    public var maxAttempts: Int
    /// The delay before the first retry.
    public var initialDelay: Duration
    /// The longest delay computed by doubling.
    public var maxDelay: Duration
    /// The longest `Retry-After` honoured; longer requests are clamped to this.
    public var maxRetryAfter: Duration
    /// The share of each delay that is randomised (0 = none, 0.2 = ±20%).
    public var jitter: Double

    /// Creates a policy.
    public init(
        maxAttempts: Int = 5, initialDelay: Duration = .milliseconds(200), maxDelay: Duration = .seconds(10),
        maxRetryAfter: Duration = .seconds(60), jitter: Double = 0.2
    ) {
        self.maxAttempts = maxAttempts
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
        self.jitter = jitter
    }

    /// No retries at all.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// Codes retried for every method: the server did not act on the request.
    static let retriedForAllMethods: Set<Int> = [429, 503]
    /// Codes retried only for methods that are safe to repeat (not POST).
    static let retriedForIdempotentMethods: Set<Int> = [500, 502, 504]

    /// Whether a reply with `code` to `method` may be retried.
    public func isRetryable(code: Int, method: String) -> Bool {
        if Self.retriedForAllMethods.contains(code) { return true }
        return method != "POST" && Self.retriedForIdempotentMethods.contains(code)
    }

    /// The delay before retry number `retry` (1 for the first retry): the server's
    /// `Retry-After` when given (clamped), otherwise `initialDelay · 2^(retry-1)` capped at
    /// `maxDelay`, then spread by `jitter` using `random`.
    public func delay(
        beforeRetry retry: Int, retryAfter: Duration?, using random: inout some RandomNumberGenerator
    ) -> Duration {
        if let retryAfter { return min(max(retryAfter, .zero), maxRetryAfter) }
        var delay = initialDelay
        for _ in 1..<max(retry, 1) {
            delay *= 2
            if delay >= maxDelay { delay = maxDelay; break }
        }
        delay = min(delay, maxDelay)
        guard jitter > 0 else { return delay }
        let factor = 1 + Double.random(in: -jitter...jitter, using: &random)
        return delay * factor
    }

    /// Parses a `Retry-After` header: delta-seconds (HTTP dates are not used by the API server).
    public static func parseRetryAfter(_ header: String?) -> Duration? {
        guard let header, let seconds = Int(header.trimmingCharacters(in: .whitespaces)), seconds >= 0 else { return nil }
        return .seconds(seconds)
    }
}
