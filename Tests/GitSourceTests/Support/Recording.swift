import Logging
import Synchronization

@testable import GitSource

/// Wraps the real runner and records every invocation and how many ran at once.
final class RecordingRunner: GitCommandRunning {
    let inner: GitRunner
    private let state = Mutex<(calls: [[String]], running: Int, peak: Int)>(([], 0, 0))

    init(_ inner: GitRunner) { self.inner = inner }

    var clock: any Clock<Duration> { inner.clock }
    var calls: [[String]] { state.withLock { $0.calls } }
    /// The most commands that talked to a remote at the same time.
    var peakConcurrentRemoteCalls: Int { state.withLock { $0.peak } }

    var allowedTransports: Set<GitTransport> { inner.allowedTransports }

    func run(_ invocation: GitInvocation) async throws(GitError) -> GitOutput {
        let remote = invocation.remote != nil
        state.withLock {
            $0.calls.append(invocation.arguments)
            if remote { $0.running += 1; $0.peak = max($0.peak, $0.running) }
        }
        defer { if remote { state.withLock { $0.running -= 1 } } }
        return try await inner.run(invocation)
    }

    func count(_ subcommand: String) -> Int { calls.filter { $0.first == subcommand }.count }
}
