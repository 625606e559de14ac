import KeelsonTesting
import Kube
import Synchronization
import Testing

/// `WakeSignal`: how a loop that follows watches sleeps until something happens.
@Suite struct WakeSignalTests {
    /// A wake that comes before the wait ends it at once (the timeout is virtual and never passes).
    @Test func aWakeBeforeTheWaitEndsIt() async {
        let signal = WakeSignal()
        signal.wake()
        signal.wake()
        await signal.wait(timeout: .seconds(1), clock: ManualClock())
    }

    /// A wake during the wait ends it; the wakes before it coalesced into the one already used.
    @Test func aWakeDuringTheWaitEndsIt() async {
        let signal = WakeSignal()
        let clock = ManualClock()
        async let waited: Void = signal.wait(timeout: .seconds(1), clock: clock)
        try? await Task.sleep(for: .milliseconds(50))
        signal.wake()
        await waited
    }

    /// Without a wake the timeout ends the wait, on the injected clock.
    @Test func theTimeoutEndsAWaitWithoutAWake() async {
        let manual = ManualClock()
        let signal = WakeSignal()
        let done = Mutex(false)
        let wait = Task {
            await signal.wait(timeout: .seconds(10), clock: manual)
            done.withLock { $0 = true }
        }
        // The sleep reads the clock when it starts: keep moving virtual time until the wait ends.
        while !done.withLock({ $0 }) {
            manual.advance(by: .seconds(10))
            try? await Task.sleep(for: .milliseconds(10))
        }
        await wait.value
    }

    /// Cancelling the waiting task ends the wait.
    @Test func cancellationEndsTheWait() async {
        let signal = WakeSignal()
        let task = Task { await signal.wait(timeout: .seconds(1), clock: ManualClock()) }
        task.cancel()
        await task.value
    }
}
