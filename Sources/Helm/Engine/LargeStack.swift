import Foundation

/// Runs template rendering on a thread with a large stack: deep `include` and `template` recursion
/// (Helm allows 1000 nested includes of one name) needs far more than a default thread's stack.
enum LargeStack {
    static let size = 1 << 30

    static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) -> T {
        let box = Box<T>()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.value = body()
            done.signal()
        }
        thread.stackSize = size
        thread.start()
        done.wait()
        return box.value!
    }

    private final class Box<T>: @unchecked Sendable {
        var value: T?
    }
}
