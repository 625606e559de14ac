/// How often and how patiently a request is retried after a network error, a 5xx or a 429.
///
/// The delay doubles from `firstDelay` up to `maximumDelay`, each one drawn from `[d/2, d]` so
/// that many clients failing together do not retry together. A `Retry-After` from the forge wins
/// over the backoff, capped at twice `maximumDelay` so a forge cannot park a sender for an hour.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first one included; at least 1.
    public var attempts: Int
    /// The delay after the first failed attempt, before jitter.
    public var firstDelay: Duration
    /// The longest delay from the backoff.
    public var maximumDelay: Duration

    /// Creates a policy.
    public init(attempts: Int, firstDelay: Duration, maximumDelay: Duration) {
        self.attempts = max(1, attempts)
        self.firstDelay = firstDelay
        self.maximumDelay = maximumDelay
    }

    /// 5 attempts, 2 s doubling to 30 s: about a minute in all, within an outbox's patience.
    public static let standard = RetryPolicy(attempts: 5, firstDelay: .seconds(2), maximumDelay: .seconds(30))
    /// One attempt, no retry.
    public static let none = RetryPolicy(attempts: 1, firstDelay: .zero, maximumDelay: .zero)

    /// The wait after failed attempt `n` (1 for the first), honouring the forge's `retryAfter`.
    public func delay(afterAttempt n: Int, retryAfter: Duration?) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return delay(afterAttempt: n, retryAfter: retryAfter, using: &generator)
    }

    /// The wait after failed attempt `n`, drawing the jitter from `generator`.
    public func delay(afterAttempt n: Int, retryAfter: Duration?, using generator: inout some RandomNumberGenerator) -> Duration {
        if let retryAfter { return min(max(retryAfter, .zero), maximumDelay * 2) }
        var ceiling = max(firstDelay, .zero)
        // Doubling stops at the cap, so no attempt count can overflow.
        for _ in 1..<max(1, n) where ceiling < maximumDelay { ceiling *= 2 }
        ceiling = min(ceiling, maximumDelay)
        let high = ceiling.nanoseconds
        guard high > 1 else { return ceiling }
        return .nanoseconds(Int64.random(in: (high / 2)...high, using: &generator))
    }
}

extension Duration {
    /// The duration in whole nanoseconds, saturating far beyond any delay used here.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? (seconds < 0 ? .min : .max) : whole.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue
    }
}
