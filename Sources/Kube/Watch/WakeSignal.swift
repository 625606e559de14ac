import Synchronization

/// Wakes one waiting loop: `wake()` is synchronous and callable from anywhere (a store's
/// `onChange`, a graceful-shutdown handler, a webhook); `wait(timeout:)` returns at the first
/// wake, also one that came before it started, or when the timeout passes, or when its task is
/// cancelled. Wakes before a wait coalesce into one.
///
/// ```swift
/// let wakeup = WakeSignal()
/// while !Task.isCancelled {
///     doWhatIsDue()
///     await wakeup.wait(timeout: untilTheNextTimer)
/// }
/// ```
public final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    /// A signal with no wake pending.
    public init() {}

    /// Ends the current wait, or the next one.
    public func wake() {
        let waiter = state.withLock { state in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil as CheckedContinuation<Void, Never>?
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Waits for a wake, at most `timeout` (on `clock`). One waiter at a time.
    public func wait(timeout: Duration, clock: any Clock<Duration> = ContinuousClock()) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await clock.sleep(for: timeout) }
            group.addTask { await self.waitForWake() }
            await group.next()
            group.cancelAll()
        }
    }

    private func waitForWake() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state in
                    // A wake that came first, or a cancellation whose handler found no waiter yet.
                    if state.pending {
                        state.pending = false
                        return true
                    }
                    if Task.isCancelled { return true }
                    state.waiter = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }
    }
}
