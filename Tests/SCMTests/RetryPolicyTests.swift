import Foundation
import KeelsonTesting
import Testing

@testable import SCM

@Suite struct RetryPolicyTests {
    // Each delay lies in [d/2, d] for d doubling from firstDelay, and never passes maximumDelay.
    @Test func backoffDoublesWithJitterUpToTheCap() {
        var generator = SeededGenerator(state: 7)
        let policy = RetryPolicy.standard
        for _ in 0..<200 {
            for (attempt, ceiling) in [(1, 2), (2, 4), (3, 8), (4, 16), (5, 30), (40, 30)] {
                let delay = policy.delay(afterAttempt: attempt, retryAfter: nil, using: &generator)
                #expect(delay >= .seconds(ceiling) / 2 && delay <= .seconds(ceiling), "attempt \(attempt): \(delay)")
            }
        }
    }

    // Retry-After replaces the backoff, capped at twice maximumDelay.
    @Test func retryAfterWinsWithinItsCap() {
        #expect(RetryPolicy.standard.delay(afterAttempt: 1, retryAfter: .seconds(7)) == .seconds(7))
        #expect(RetryPolicy.standard.delay(afterAttempt: 1, retryAfter: .seconds(3600)) == .seconds(60))
        #expect(RetryPolicy.standard.delay(afterAttempt: 4, retryAfter: .zero) == .zero)
    }

    // `.none` makes one attempt; a policy never has fewer.
    @Test func attemptCounts() {
        #expect(RetryPolicy.none.attempts == 1)
        #expect(RetryPolicy.standard.attempts == 5)
        #expect(RetryPolicy(attempts: 0, firstDelay: .seconds(1), maximumDelay: .seconds(1)).attempts == 1)
    }

    // Retry-After is delay-seconds or an HTTP date; a past date means now, junk means nothing.
    @Test func retryAfterHeaders() throws {
        let now = try #require(ISO8601DateFormatter().date(from: "2015-10-21T07:27:30Z"))
        #expect(RetryAfter.parse("7", now: now) == .seconds(7))
        #expect(RetryAfter.parse(" 120 ", now: now) == .seconds(120))
        #expect(RetryAfter.parse("Wed, 21 Oct 2015 07:28:00 GMT", now: now) == .seconds(30))
        #expect(RetryAfter.parse("Wed, 21 Oct 2015 07:00:00 GMT", now: now) == .zero)
        #expect(RetryAfter.parse("soon", now: now) == nil)
        #expect(RetryAfter.parse("-3", now: now) == nil)
        #expect(RetryAfter.parse(nil, now: now) == nil)
    }
}
