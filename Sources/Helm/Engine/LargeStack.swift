import Foundation
import Synchronization

/// Runs template rendering on threads with a large stack: deep `include` and `template` recursion
/// (Helm allows 1000 nested includes of one name) needs far more than a default thread's stack.
/// The threads are kept between renders: starting two costs about 90 µs, a tenth of a small render.
enum LargeStack {
    static let size = 1 << 30
    /// The processors this process may use, read once: asking costs a read of `/proc` each time.
    static let processors = ProcessInfo.processInfo.activeProcessorCount

    static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) -> T {
        map(count: 1, workers: 1) { { _ in body() } }[0]
    }

    /// Computes `0..<count` on up to `workers` threads, each taking the next index when it is done
    /// with one; the results come back in index order. Each thread makes its worker once with
    /// `makeWorker`, so a worker may keep state of its own. Called on one of these threads, it
    /// computes everything there (its stack is large already, and waiting for the others could
    /// wait for itself).
    static func map<T: Sendable>(count: Int, workers: Int, _ makeWorker: @escaping @Sendable () -> (Int) -> T) -> [T] {
        guard count > 0 else { return [] }
        let results = Results<T>(count: count)
        let threads = max(1, min(workers, count))
        let done = DispatchSemaphore(value: 0)
        let job: @Sendable () -> Void = {
            let work = makeWorker()
            while true {
                let index = results.next.add(1, ordering: .relaxed).oldValue
                guard index < count else { break }
                results.set(index, work(index))
            }
            done.signal()
        }
        if Pool.isPoolThread {
            job()
            return results.collect()
        }
        for _ in 0..<threads { pool.submit(job) }
        for _ in 0..<threads { done.wait() }
        return results.collect()
    }

    private static let pool = Pool()

    /// Threads with a large stack that wait for jobs; one more starts when a job finds none free.
    private final class Pool: @unchecked Sendable {
        private let condition = NSCondition()
        private var jobs: [@Sendable () -> Void] = []
        /// Threads waiting for a job that no job has been handed to yet.
        private var free = 0
        private static let marker = "keelson.largeStack"

        static var isPoolThread: Bool { Thread.current.threadDictionary[marker] != nil }

        func submit(_ job: @escaping @Sendable () -> Void) {
            condition.lock()
            jobs.append(job)
            if free > 0 {
                free -= 1
                condition.signal()
            } else {
                let thread = Thread { [self] in serve() }
                thread.stackSize = LargeStack.size
                thread.start()
            }
            condition.unlock()
        }

        private func serve() {
            Thread.current.threadDictionary[Self.marker] = true
            condition.lock()
            while true {
                while jobs.isEmpty { condition.wait() }
                let job = jobs.removeFirst()
                condition.unlock()
                job()
                condition.lock()
                free += 1
            }
        }
    }

    /// One slot per index, each written by exactly one thread before the semaphore hands them over.
    private final class Results<T>: @unchecked Sendable {
        private let slots: UnsafeMutableBufferPointer<T?>
        /// The next index to start.
        let next = Atomic<Int>(0)

        init(count: Int) { slots = .allocate(capacity: count).initialized(repeating: nil) }

        deinit {
            _ = slots.deinitialize()
            slots.deallocate()
        }

        func set(_ index: Int, _ value: T) { slots[index] = value }

        func collect() -> [T] { slots.map { $0! } }
    }
}

extension UnsafeMutableBufferPointer {
    fileprivate func initialized(repeating value: Element) -> Self {
        initialize(repeating: value)
        return self
    }
}
