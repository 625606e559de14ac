import KeelsonFoundation
import Synchronization

/// A token bucket: `qps` tokens a second, at most `burst` saved up. Each request takes one
/// token, waiting on the injected clock when none is left (client-go's default limiter).
public final class RateLimiter: Sendable {
    /// Requests per second in the long run.
    public let qps: Double
    /// Requests that may go at once after a quiet spell.
    public let burst: Int
    private let clock: any Clock<Duration>
    private let elapsed: @Sendable () -> Duration
    private let state: Mutex<(tokens: Double, last: Duration)>

    /// Creates a limiter that starts with a full bucket.
    public init(qps: Double, burst: Int, clock: any Clock<Duration> = ContinuousClock()) {
        self.qps = max(qps, 0.001)
        self.burst = max(burst, 1)
        self.clock = clock
        elapsed = clock.stopwatch()
        state = Mutex((Double(max(burst, 1)), .zero))
    }

    /// Takes a token, returning how long the caller must wait before using it. Reserving
    /// before sleeping keeps concurrent callers in order and the long-run rate exact.
    public func reserve() -> Duration {
        let now = elapsed()
        return state.withLock { state in
            let elapsed =
                Double((now - state.last).components.seconds)
                + Double((now - state.last).components.attoseconds) / 1e18
            state.tokens = min(Double(burst), state.tokens + max(elapsed, 0) * qps)
            state.last = now
            state.tokens -= 1
            guard state.tokens < 0 else { return .zero }
            return .seconds(-state.tokens / qps)
        }
    }

    /// Waits until a request may go.
    public func acquire() async throws {
        let delay = reserve()
        guard delay > .zero else { return }
        try await clock.sleep(for: delay)
    }
}
