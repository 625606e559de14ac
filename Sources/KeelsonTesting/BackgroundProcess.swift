import Foundation
import KeelsonFoundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A child process that runs while a test does (a server, a controller), its output in a file.
/// Stopped by `kill()` (SIGKILL), `terminate()` (SIGTERM), or when released.
///
/// Spawned and reaped with `posix_spawn` and `waitpid` directly: Foundation's `Process` waits
/// by spinning a run loop, which starves the two-thread concurrency pool here and never returns
/// when another library reaps children too.
public final class BackgroundProcess: Sendable {
    /// The process id.
    public let pid: pid_t
    /// Where its standard output and error go.
    public let log: String
    /// The wait status once reaped.
    private let exited = Mutex<Int32?>(nil)

    /// Starts `executable` (a path, or a name looked up on `PATH`) with `arguments`.
    public init(_ executable: String, _ arguments: [String], log: String, environment: [String: String]? = nil) throws {
        let path = executable.contains("/") ? executable : (ProcessRunner.which(executable) ?? executable)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let environment = ProcessInfo.processInfo.environment.merging(environment ?? [:]) { $1 }
        let (result, pid) = Program.spawn(path, arguments, environment: environment, actions: &actions)
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .ENOENT) }
        self.pid = pid
        self.log = log
    }

    /// Whether it still runs.
    public var isRunning: Bool {
        exited.withLock { exited in
            guard exited == nil else { return false }
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid { exited = status } else if result == -1 && errno == ECHILD { exited = -1 }
            return exited == nil
        }
    }

    /// The exit code once it ended by itself (`nil` while it runs, or when a signal ended it).
    public var exitCode: Int32? {
        guard !isRunning, let status = exited.withLock({ $0 }), status >= 0, status & 0x7f == 0 else { return nil }
        return (status >> 8) & 0xff
    }

    /// How it ended, for a failure message: "running", "exited with N", "ended by signal N", or
    /// "reaped elsewhere" (another waiter took its status).
    public var ending: String {
        guard !isRunning, let status = exited.withLock({ $0 }) else { return "running" }
        guard status >= 0 else { return "reaped elsewhere" }
        return exitCode.map { "exited with \($0)" } ?? "ended by signal \(status & 0x7f)"
    }

    /// The head of the crash report Swift's backtracer printed, if it crashed: the fault and the
    /// crashed thread's frames (the report runs on through every thread).
    public var crashReport: String? {
        let log = output
        return log.range(of: "Program crashed").map { String(log[$0.lowerBound...].prefix(8000)) }
    }

    /// What it printed so far.
    public var output: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

    /// SIGKILL: no chance to finish anything.
    public func kill() { stop(SIGKILL) }

    /// SIGTERM, then wait; returns the exit code (`nil` when a signal ended it).
    @discardableResult
    public func terminate() -> Int32? {
        stop(SIGTERM)
        return exitCode
    }

    /// SIGINT (Ctrl-C), then wait; returns the exit code (`nil` when a signal ended it).
    @discardableResult
    public func interrupt() -> Int32? {
        stop(SIGINT)
        return exitCode
    }

    /// Sends `signal` and returns at once (nothing is sent once it has been reaped: its id may
    /// be another process's by then).
    public func send(_ signal: Int32) {
        exited.withLock { exited in
            if exited == nil { _ = Glibc.kill(pid, signal) }
        }
    }

    private func stop(_ signal: Int32) {
        exited.withLock { exited in
            guard exited == nil else { return }
            Glibc.kill(pid, signal)
            var status: Int32 = 0
            var result: pid_t
            repeat { result = waitpid(pid, &status, 0) } while result == -1 && errno == EINTR
            exited = result == pid ? status : -1
        }
    }

    deinit { kill() }
}
