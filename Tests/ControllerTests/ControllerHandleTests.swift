import Foundation
import Testing

@testable import Controller

/// The controller loop's wake-up: a wait ends at once when woken, and only then.
@Suite struct ControllerHandleTests {
    static func elapsed(_ body: () async -> Void) async -> Duration {
        let start = ContinuousClock.now
        await body()
        return ContinuousClock.now - start
    }

    @Test func aCancelledWaitDoesNotMakeLaterWaitsReturnAtOnce() async {
        let handle = ControllerHandle()
        let waiting = Task { await handle.waitForWake(timeout: .seconds(5)) }
        waiting.cancel()
        await waiting.value
        let idle = await Self.elapsed { await handle.waitForWake(timeout: .milliseconds(300)) }
        #expect(idle >= .milliseconds(250), "without a wake the wait lasts its timeout, took \(idle)")
        handle.wake()
        let woken = await Self.elapsed { await handle.waitForWake(timeout: .seconds(5)) }
        #expect(woken < .seconds(1), "a pending wake ends the wait at once, took \(woken)")
        let again = await Self.elapsed { await handle.waitForWake(timeout: .milliseconds(300)) }
        #expect(again >= .milliseconds(250), "a wake is consumed once, took \(again)")
    }
}
