import Foundation
import KeelsonTesting
import Manifests
import Synchronization
import Testing

@testable import Controller

/// The controller loop's wake-up, in virtual time: a wait ends at once when woken, at its
/// timeout otherwise, and a cancelled wait leaves later waits unaffected. The events pages and
/// streams follow.
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

    /// A spec change the controller answers with no status write (suspend, resume) still reaches
    /// the event stream, so a page that fetched before the watch saw it is told to look again.
    @Test func aChangedSpecIsAnEventEvenWithoutAStatusWrite() async throws {
        let handle = ControllerHandle()
        func view(suspended: Bool, annotation: String = "") -> ApplicationView {
            ApplicationView(
                object: Manifest(unchecked: [
                    "apiVersion": "keelson.dev/v1alpha1", "kind": "Application",
                    "metadata": ["name": "web", "namespace": "keelson", "annotations": ["note": .string(annotation)]],
                    "spec": ["suspend": .bool(suspended)],
                ]), application: nil)
        }
        await handle.setApplications([view(suspended: false)])
        let found = await handle.events().count
        await handle.setApplications([view(suspended: false, annotation: "other")])
        #expect(await handle.events().count == found, "metadata alone is no event")
        await handle.setApplications([view(suspended: true)])
        let events = await handle.events()
        #expect(events.count == found + 1 && events.last?.message == "application changed" && events.last?.application == "keelson/web")
    }
}
