import Foundation
import Synchronization

/// Runs template rendering on threads with a large stack: deep `include` and `template` recursion
/// (Helm allows 1000 nested includes of one name) needs far more than a default thread's stack.
enum LargeStack {
    static let size = 1 << 30

    static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) -> T {
        map(count: 1, workers: 1) { { _ in body() } }[0]
    }

    /// Computes `0..<count` on up to `workers` threads of their own, each taking the next index
    /// when it is done with one; the results come back in index order. Each thread makes its
    /// worker once with `makeWorker`, so a worker may keep state of its own.
    static func map<T: Sendable>(count: Int, workers: Int, _ makeWorker: @escaping @Sendable () -> (Int) -> T) -> [T] {
        guard count > 0 else { return [] }
        let results = Results<T>(count: count)
        let threads = max(1, min(workers, count))
        let done = DispatchSemaphore(value: 0)
        for _ in 0..<threads {
            let thread = Thread {
                let work = makeWorker()
                while true {
                    let index = results.next.add(1, ordering: .relaxed).oldValue
                    guard index < count else { break }
                    results.set(index, work(index))
                }
                done.signal()
            }
            thread.stackSize = size
            thread.start()
        }
        for _ in 0..<threads { done.wait() }
        return results.collect()
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
