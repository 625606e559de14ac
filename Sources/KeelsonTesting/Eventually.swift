import Foundation

/// A condition a test waited for in vain.
public struct TimedOut: Error, CustomStringConvertible {
    /// What was waited for.
    public let what: String
    /// What the last look threw, if it threw: on a failure in CI, the only clue to why.
    public let lastError: String?

    public var description: String { "timed out waiting until \(what)" + (lastError.map { " (the last look threw: \($0))" } ?? "") }
}

/// Polls `check` every `interval` until it is true; throws `TimedOut` (which fails the test,
/// naming `what` and the last error `check` threw) after `timeout`. A `check` that throws counts
/// as not yet.
public func eventually(
    _ what: String, timeout: Duration = .seconds(60), every interval: Duration = .milliseconds(200),
    _ check: @Sendable () async throws -> Bool
) async throws {
    var lastError: (any Error)?
    func look() async -> Bool {
        do {
            let done = try await check()
            lastError = nil
            return done
        } catch {
            lastError = error
            return false
        }
    }
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if await look() { return }
        try await Task.sleep(for: interval)
    }
    // A last look: on a starved machine the deadline can pass while this task waits to run.
    if await look() { return }
    throw TimedOut(what: what, lastError: lastError.map { String(describing: $0) })
}
