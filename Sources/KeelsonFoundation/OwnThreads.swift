import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

/// An executor with one thread of its own, for work that must happen on time however busy the
/// cooperative pool is: a task that prefers it (`withTaskExecutorPreference`) runs there, and
/// so does an actor that names it as its executor (`unownedExecutor`). A task that prefers it
/// can still be held up by a default actor another task holds: the runtime hands such an
/// actor's waiting work to the pool. Its thread lives as long as the process, so make few, as
/// `static let`s.
///
/// Such a task must wait on the executor's own `clock`: `Task.sleep` and `ContinuousClock` are
/// woken through Dispatch's shared threads, which a held pool delays by a second or more.
///
/// ```swift
/// await withTaskExecutorPreference(ThreadExecutor.leases) {
///     while true { try await ThreadExecutor.leases.clock.sleep(for: .seconds(2)); await renew() }
/// }
/// ```
public final class ThreadExecutor: TaskExecutor, SerialExecutor, @unchecked Sendable {
    /// The executor Lease renewals run on, so that no computation delays a heartbeat past its
    /// deadline (client-go's goroutines are preempted; Swift's tasks are not).
    public static let leases = ThreadExecutor(name: "keelson-leases")
    /// The thread child processes are started from: one that never ends. A parent-death signal
    /// (`prctl(PR_SET_PDEATHSIG)`, `setpriv --pdeathsig`) follows the thread that started a
    /// child, not the process, and the cooperative pool ends threads that are idle for a while.
    /// `posix_spawn` returns within a millisecond, so one thread starts every child.
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

    // `state` is read and written only with `lock` held; `changed` is signalled when a job or a
    // timer is added. A pthread condition on CLOCK_MONOTONIC, because a timed wait on a
    // `DispatchSemaphore` is an absolute wall-clock deadline on Linux: setting the clock back
    // would hold every timer back as long.
    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var state = State()

    /// Starts the executor's thread, named `name`.
    public init(name: String) {
        pthread_mutex_init(lock, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(changed, &attributes)
        pthread_condattr_destroy(&attributes)
        let thread = Thread { [self] in
            while true { runOnce() }
        }
        thread.name = name
        thread.start()
    }

    private func withLock<T>(_ body: (inout State) -> T) -> T {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        return body(&state)
    }

    /// Runs `body` on this executor's thread and returns what it returned.
    public func run<T: Sendable, E: Error>(_ body: @escaping @Sendable () throws(E) -> T) async throws(E) -> T {
        let result = await Task(executorPreference: self) { Result { () throws(E) -> T in try body() } }.value
        return try result.get()
    }

    public func asUnownedSerialExecutor() -> UnownedSerialExecutor { UnownedSerialExecutor(ordinary: self) }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        withLock { $0.jobs.append(job) }
        pthread_cond_signal(changed)
    }

    /// Waits for a job or the first timer, then runs every job queued and fires every timer due.
    private func runOnce() {
        pthread_mutex_lock(lock)
        while state.jobs.isEmpty {
            let now = ContinuousClock.now
            guard let first = state.timers.values.map(\.deadline).min() else {
                pthread_cond_wait(changed, lock)
                continue
            }
            if first <= now { break }
            var deadline = timespec()
            clock_gettime(CLOCK_MONOTONIC, &deadline)
            let wait = min(first - now, .seconds(3600)).components
            let nanoseconds = Int(deadline.tv_nsec) + Int(wait.attoseconds / 1_000_000_000)
            deadline.tv_sec += Int(wait.seconds) + nanoseconds / 1_000_000_000
            deadline.tv_nsec = nanoseconds % 1_000_000_000
            pthread_cond_timedwait(changed, lock, &deadline)
        }
        let now = ContinuousClock.now
        let due = state.timers.filter { $0.value.deadline <= now }
        for id in due.keys { state.timers[id] = nil }
        let jobs = state.jobs
        state.jobs = []
        pthread_mutex_unlock(lock)
        for timer in due.values { timer.continuation.resume() }
        for job in jobs { job.runSynchronously(isolatedTo: asUnownedSerialExecutor(), taskExecutor: asUnownedTaskExecutor()) }
    }

    /// Suspends until `deadline`, woken by this executor's thread; throws when cancelled.
    func sleep(until deadline: ContinuousClock.Instant) async throws {
        let id = withLock { state in
            defer { state.nextTimer += 1 }
            state.starting.insert(state.nextTimer)
            return state.nextTimer
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let cancelled = withLock { state in
                    state.starting.remove(id)
                    if state.cancelled.remove(id) != nil { return true }
                    state.timers[id] = Timer(deadline: deadline, continuation: continuation)
                    return false
                }
                if cancelled { continuation.resume(throwing: CancellationError()) } else { pthread_cond_signal(changed) }
            }
        } onCancel: {
            // Either the timer is set (it is removed and its sleep ends now), or not yet (the
            // sleep ends as it starts), or it has fired (nothing to do).
            let timer = withLock { state in
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
