import Foundation
import Synchronization

// Swift's tasks share a pool of one thread per core, and a task gives its thread back only at
// an `await`. A few seconds of computing (a 4096-bit RSA key) or a blocking call holds a thread
// that long; on two cores, two of them stop every other task of the process, the renewal of a
// Lease included. What computes long runs with `onOwnThread`; what must happen on time runs
// on a `ThreadExecutor`.

/// Runs `work`, synchronous and long (a key generation, a blocking wait), on a new thread named
/// `name` (with a stack of `stackSize` bytes when given), and waits for it without holding a
/// thread of the cooperative pool. It runs to its end even if the calling task is cancelled.
///
/// ```swift
/// let key = try await onOwnThread("keelson-keygen") { try SealingPrivateKey.generate(bits: 4096) }
/// ```
public func onOwnThread<T: Sendable, E: Error>(
    _ name: String, stackSize: Int? = nil, _ work: @escaping @Sendable () throws(E) -> T
) async throws(E) -> T {
    let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, E>, Never>) in
        let thread = Thread { continuation.resume(returning: Result { () throws(E) -> T in try work() }) }
        thread.name = name
        if let stackSize { thread.stackSize = stackSize }
        thread.start()
    }
    return try result.get()
}

/// A task executor with one thread of its own, for work that must happen on time however busy
/// the cooperative pool is: a task that prefers it (`withTaskExecutorPreference`) runs there,
/// and so do the default actors it calls. Its thread lives as long as the process, so make few,
/// as `static let`s.
///
/// Such a task must wait on the executor's own `clock`: `Task.sleep` and `ContinuousClock` are
/// woken through Dispatch's shared threads, which a held pool delays by a second or more.
///
/// ```swift
/// await withTaskExecutorPreference(ThreadExecutor.leases) {
///     while true { try await ThreadExecutor.leases.clock.sleep(for: .seconds(2)); await renew() }
/// }
/// ```
public final class ThreadExecutor: TaskExecutor, Sendable {
    /// The executor Lease renewals run on, so that no computation delays a heartbeat past its
    /// deadline (client-go's goroutines are preempted; Swift's tasks are not).
    public static let leases = ThreadExecutor(name: "keelson-leases")
    /// The thread child processes are started from: one that never ends. A parent-death signal
    /// (`prctl(PR_SET_PDEATHSIG)`, `setpriv --pdeathsig`) follows the thread that started a
    /// child, not the process, and the cooperative pool ends threads that are idle for a while.
    public static let spawning = ThreadExecutor(name: "keelson-spawn")

    /// A clock whose sleeps are woken by this executor's thread (its instants are
    /// `ContinuousClock`'s).
    public var clock: Clock { Clock(executor: self) }

    private struct Timer {
        var deadline: ContinuousClock.Instant
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var jobs: [UnownedJob] = []
        var timers: [UInt64: Timer] = [:]
        /// Sleeps begun whose timer is not set yet, and those of them already cancelled.
        var starting: Set<UInt64> = []
        var cancelled: Set<UInt64> = []
        var nextTimer: UInt64 = 0
    }

    private let state = Mutex(State())
    /// Signalled once for each job enqueued, and when a timer is set.
    private let wake = DispatchSemaphore(value: 0)

    /// Starts the executor's thread, named `name`.
    public init(name: String) {
        let thread = Thread { [self] in
            while true { runOnce() }
        }
        thread.name = name
        thread.start()
    }

    /// Runs `body` on this executor's thread and returns what it returned.
    public func run<T: Sendable, E: Error>(_ body: @escaping @Sendable () throws(E) -> T) async throws(E) -> T {
        let result = await Task(executorPreference: self) { Result { () throws(E) -> T in try body() } }.value
        return try result.get()
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        state.withLock { $0.jobs.append(job) }
        wake.signal()
    }

    /// Waits for a job or the first timer, then runs every job queued and fires every timer due.
    private func runOnce() {
        let first = state.withLock { $0.timers.values.map(\.deadline).min() }
        if let first {
            let nanoseconds = max(0, (first - .now) / .nanoseconds(1))
            _ = wake.wait(timeout: .now() + .nanoseconds(Int(min(nanoseconds, Double(Int.max / 2)))))
        } else {
            wake.wait()
        }
        let now = ContinuousClock.now
        let (jobs, due) = state.withLock { state in
            let due = state.timers.filter { $0.value.deadline <= now }
            for id in due.keys { state.timers[id] = nil }
            defer { state.jobs = [] }
            return (state.jobs, due.values.map(\.continuation))
        }
        for continuation in due { continuation.resume() }
        for job in jobs { job.runSynchronously(on: asUnownedTaskExecutor()) }
    }

    /// Suspends until `deadline`, woken by this executor's thread; throws when cancelled.
    func sleep(until deadline: ContinuousClock.Instant) async throws {
        let id = state.withLock { state in
            defer { state.nextTimer += 1 }
            state.starting.insert(state.nextTimer)
            return state.nextTimer
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let cancelled = state.withLock { state in
                    state.starting.remove(id)
                    if state.cancelled.remove(id) != nil { return true }
                    state.timers[id] = Timer(deadline: deadline, continuation: continuation)
                    return false
                }
                if cancelled { continuation.resume(throwing: CancellationError()) } else { wake.signal() }
            }
        } onCancel: {
            // Either the timer is set (it is removed and its sleep ends now), or not yet (the
            // sleep ends as it starts), or it has fired (nothing to do).
            let timer = state.withLock { state in
                if state.starting.contains(id) { state.cancelled.insert(id) }
                return state.timers.removeValue(forKey: id)
            }
            timer?.continuation.resume(throwing: CancellationError())
        }
    }

    /// `ContinuousClock`'s time, with sleeps woken by a `ThreadExecutor`'s thread.
    public struct Clock: _Concurrency.Clock {
        public typealias Instant = ContinuousClock.Instant
        let executor: ThreadExecutor

        public var now: Instant { .now }
        public var minimumResolution: Duration { ContinuousClock().minimumResolution }

        public func sleep(until deadline: Instant, tolerance: Duration?) async throws {
            try await executor.sleep(until: deadline)
        }
    }
}
