import Foundation

/// A condition a test waited for in vain.
public struct TimedOut: Error, CustomStringConvertible {
    /// What was waited for.
    public let what: String

    public var description: String { "timed out waiting until \(what)" }
}

/// Polls `check` every `interval` until it is true; throws `TimedOut` (which fails the test,
/// naming `what`) after `timeout`. A `check` that throws counts as not yet.
public func eventually(
    _ what: String, timeout: Duration = .seconds(60), every interval: Duration = .milliseconds(200),
    _ check: @Sendable () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if (try? await check()) == true { return }
        try await Task.sleep(for: interval)
    }
    // A last look: on a starved machine the deadline can pass while this task waits to run.
    if (try? await check()) == true { return }
    throw TimedOut(what: what)
}
