import KeelsonTesting
import Testing

@testable import Kube

@Suite struct RetryTests {
    @Test func backoffDoublesUpToTheCap() {
        let policy = RetryPolicy(maxAttempts: 10, initialDelay: .milliseconds(100), maxDelay: .seconds(1), jitter: 0)
        var random = SeededGenerator(state: 1)
        let schedule = (1...6).map { policy.delay(beforeRetry: $0, retryAfter: nil, using: &random) }
        #expect(schedule == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1), .seconds(1)])
    }

    @Test func jitterStaysWithinItsShare() {
        let policy = RetryPolicy(initialDelay: .seconds(1), maxDelay: .seconds(1), jitter: 0.2)
        var random = SeededGenerator(state: 7)
        let delays = (0..<200).map { _ in policy.delay(beforeRetry: 3, retryAfter: nil, using: &random) }
        #expect(delays.allSatisfy { $0 >= .milliseconds(800) && $0 <= .milliseconds(1200) })
        // Jitter actually spreads the delays (they are not all equal).
        #expect(Set(delays).count > 100)
    }

    @Test(arguments: [
        // Retry-After wins over the computed backoff.
        (Duration.seconds(3), Duration.seconds(3)),
        // An absurd Retry-After is clamped.
        (.seconds(3600), .seconds(60)),
        (.zero, .zero),
    ])
    func retryAfterIsHonouredAndClamped(retryAfter: Duration, expected: Duration) {
        var random = SeededGenerator(state: 1)
        #expect(RetryPolicy().delay(beforeRetry: 1, retryAfter: retryAfter, using: &random) == expected)
    }

    @Test(arguments: [("5", Duration?.some(.seconds(5))), (" 12 ", .seconds(12)), ("-1", nil), ("Wed, 21 Oct 2015 07:28:00 GMT", nil), (nil, nil)])
    func retryAfterHeaderParses(header: String?, expected: Duration?) {
        #expect(RetryPolicy.parseRetryAfter(header) == expected)
    }

    @Test(arguments: [
        // 429 and 503 mean the server did nothing: retried for every method.
        (429, "POST", true), (503, "POST", true), (429, "GET", true),
        // Other 5xx may have acted: retried only where repeating is safe.
        (500, "GET", true), (500, "PUT", true), (500, "PATCH", true), (500, "POST", false), (504, "DELETE", true),
        // Client errors are never retried.
        (404, "GET", false), (409, "PUT", false),
    ])
    func retryableCodesArePolicy(code: Int, method: String, retried: Bool) {
        #expect(RetryPolicy().isRetryable(code: code, method: method) == retried)
    }

    @Test func rateLimiterLetsABurstThroughThenPaces() async throws {
        let clock = ManualClock(advancesWhenSleeping: true)
        let limiter = RateLimiter(qps: 10, burst: 3, clock: clock)
        for _ in 0..<5 { try await limiter.acquire() }
        // Three from the full bucket, then one every 100ms.
        #expect(clock.sleeps == [.milliseconds(100), .milliseconds(100)])
        #expect(clock.now.offset == .milliseconds(200))
    }

    @Test func rateLimiterRefillsWhileIdle() async throws {
        let clock = ManualClock(advancesWhenSleeping: true)
        let limiter = RateLimiter(qps: 2, burst: 2, clock: clock)
        #expect(limiter.reserve() == .zero)
        #expect(limiter.reserve() == .zero)
        #expect(limiter.reserve() == .milliseconds(500))
        clock.advance(by: .seconds(10))
        // A long idle spell refills only up to the burst.
        #expect(limiter.reserve() == .zero)
        #expect(limiter.reserve() == .zero)
        #expect(limiter.reserve() == .milliseconds(500))
    }

    @Test func aClientWithABudgetOfItsOwnSharesOnlyTheConnections() async throws {
        let clock = ManualClock()
        let options = KubeClientOptions(qps: 2, burst: 3, clock: ContinuousClock())
        try await KubeClient.withClient(KubeConfiguration(server: "http://127.0.0.1:9"), options: options) { client in
            let own = try #require(client.withOwnBudget(clock: clock) as? KubeClient)
            #expect(own.http === client.http)
            #expect(own.discovery !== client.discovery && own.credentials !== client.credentials)
            #expect(own.options.clock is ManualClock && own.options.qps == 2 && own.options.burst == 3)
            // Spending the whole bucket of one leaves the other's full.
            for _ in 0..<3 { #expect(client.limiter.reserve() == .zero) }
            #expect(client.limiter.reserve() > .zero)
            for _ in 0..<3 { #expect(own.limiter.reserve() == .zero) }
            // Impersonating clients keep sharing the budget they were made from.
            let impersonating = try #require(own.impersonating(Impersonation(user: "alice")) as? KubeClient)
            #expect(impersonating.limiter === own.limiter)
        }
    }
}
