@testable import GitSource
import Logging
import Synchronization

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

/// Collects log lines from a `Logger` made for one test.
final class LogCapture: Sendable {
    let storage = Mutex<[String]>([])
    var logger: Logger {
        let box = self
        return Logger(label: "test") { _ in CapturingLogHandlerBox(box: box) }
    }
    var lines: [String] { storage.withLock { $0 } }
}

/// Appends every log line, level, message and metadata, to a `LogCapture`.
struct CapturingLogHandlerBox: LogHandler {
    let box: LogCapture
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = self.metadata.merging(event.metadata ?? [:]) { $1 }
        box.storage.withLock { $0.append("\(event.level) \(event.message) \(all) \(event.error.map { "\($0)" } ?? "")") }
    }
}
