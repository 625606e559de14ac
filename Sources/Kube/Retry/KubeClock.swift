/// A type-erased clock measured in `Duration`, so the client can take any `Clock` (the
/// continuous clock in production, a virtual clock in tests) without being generic.
public struct KubeClock: Sendable {
    private let elapsed: @Sendable () -> Duration
    private let sleeper: @Sendable (Duration) async throws -> Void

    /// Wraps `clock`.
    public init<C: Clock>(_ clock: C) where C.Duration == Duration {
        let start = clock.now
        elapsed = { start.duration(to: clock.now) }
        sleeper = { duration in try await clock.sleep(until: clock.now.advanced(by: duration), tolerance: nil) }
    }

    /// The continuous clock.
    public static var continuous: KubeClock { KubeClock(ContinuousClock()) }

    /// Time since this wrapper was made.
    public var now: Duration { elapsed() }

    /// Sleeps for `duration` (returns at once for zero or less); throws on cancellation.
    public func sleep(for duration: Duration) async throws {
        guard duration > .zero else { return }
        try await sleeper(duration)
    }
}
