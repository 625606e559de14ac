import Foundation
import KeelsonTesting
import Synchronization
import Testing

@testable import Controller

/// The controller loop's wake-up, in virtual time: a wait ends at once when woken, at its
/// timeout otherwise, and a cancelled wait leaves later waits unaffected.
@Suite struct ControllerHandleTests {
    @Test func aCancelledWaitDoesNotMakeLaterWaitsReturnAtOnce() async throws {
        let clock = ManualClock()
        let handle = ControllerHandle()
        let cancelled = Task { await handle.waitForWake(timeout: .seconds(5), clock: clock) }
        cancelled.cancel()
        await cancelled.value

        // Without a wake, a wait lasts until its timeout passes on the clock.
        let ended = Mutex(false)
        let idle = Task {
            await handle.waitForWake(timeout: .seconds(1), clock: clock)
            ended.withLock { $0 = true }
        }
        try await eventually("the wait sleeps on the clock") { clock.sleeps.contains(.seconds(1)) }
        #expect(!ended.withLock { $0 }, "the wait ended with neither a wake nor its timeout")
        clock.advance(by: .seconds(1))
        await idle.value

        // A wake that comes first ends the next wait at once (the clock never moves).
        handle.wake()
        await handle.waitForWake(timeout: .seconds(3600), clock: clock)
    }
}
