import Synchronization

/// A clock that moves only when told: time-based behaviour (expiry, backoff) is tested in
/// virtual time, never with sleeps that prove something did not happen.
///
/// By default a sleeper waits until `advance(by:)` carries the clock past its deadline. With
/// `advancesWhenSleeping`, a sleep returns at once and moves the clock to its deadline, so
/// backoff and rate limiting run without real delays; `sleeps` records every wait asked for.
public final class ManualClock: Clock, Sendable {
    /// A point of the clock's virtual time.
    public struct Instant: InstantProtocol {
        public var offset: Duration
        public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        public func duration(to other: Instant) -> Duration { other.offset - offset }
        public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    /// Whether a sleep moves the clock to its deadline instead of waiting for `advance(by:)`.
    public let advancesWhenSleeping: Bool
    private let state = Mutex<(now: Duration, sleeps: [Duration])>((.zero, []))

    /// A clock at offset zero.
    public init(advancesWhenSleeping: Bool = false) { self.advancesWhenSleeping = advancesWhenSleeping }

    public var now: Instant { Instant(offset: state.withLock { $0.now }) }
    public var minimumResolution: Duration { .nanoseconds(1) }
    /// Every wait asked for, in order.
    public var sleeps: [Duration] { state.withLock { $0.sleeps } }

    /// Moves the clock forward by `duration`.
    public func advance(by duration: Duration) { state.withLock { $0.now += duration } }

    public func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        try Task.checkCancellation()
        let advances = advancesWhenSleeping
        state.withLock { state in
            state.sleeps.append(deadline.offset - state.now)
            if advances { state.now = max(state.now, deadline.offset) }
        }
        while now < deadline { try await Task.sleep(for: .milliseconds(5)) }
    }
}
