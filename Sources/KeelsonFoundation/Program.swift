import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a program to its end in a process group of its own, standard input from `/dev/null`,
/// standard output and error read into bounded buffers. Cancelling the calling task kills the
/// group (the program's helpers too).
///
/// Written on `posix_spawn` and `poll` directly because a long-running controller must survive
/// running out of descriptors: swift-subprocess 1.0.2 stops the process with "FileDescriptor …
/// was not closed" when a pipe or spawn fails with `EMFILE` (`ProgramTests` shows it).
/// Here every descriptor has one owner, and a failure to start is an error like any other.
///
/// ```swift
/// let result = try await Program.run("/usr/bin/git", ["--version"], environment: ["PATH": "/usr/bin"])
/// ```
public enum Program {
    /// How a program ended and what it printed.
    public struct Result: Sendable {
        /// The exit status, or `nil` when a signal ended it.
        public var status: Int32?
        /// Standard output.
        public var stdout: [UInt8]
        /// Standard error.
        public var stderr: [UInt8]
    }

    /// Why a program gave no result.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// What went wrong.
        public enum Kind: Sendable { case cannotStart, outputTooLarge }
        /// What went wrong.
        public var kind: Kind
        /// Words for people (no argument or environment value).
        public var description: String
    }

    /// Runs `executable` (a path, or a name looked up on the `PATH` of `environment`) with
    /// `arguments` and exactly `environment`; at most `outputLimit` bytes of standard output and
    /// `errorLimit` of standard error are kept, and a program that prints more is killed.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String], outputLimit: Int = 16 << 20, errorLimit: Int = 1 << 20
    ) async throws(Failure) -> Result {
        let path = try resolve(executable, path: environment["PATH"])
        // From a thread that never ends: a parent-death signal the program arms (git runs under
        // `setpriv --pdeathsig`) would kill it when the thread that started it ends.
        let child = try await ThreadExecutor.spawning.run { () throws(Failure) in
            try Child.spawn(path: path, arguments: arguments, environment: environment)
        }
        let outcome = await withTaskCancellationHandler {
            await onOwnThread("keelson-program") { child.collect(outputLimit: outputLimit, errorLimit: errorLimit) }
        } onCancel: {
            child.killGroup()
        }
        switch outcome {
        case .finished(let result): return result
        case .tooLarge(let stream):
            throw Failure(kind: .outputTooLarge, description: "\(executable) printed more than the limit on its standard \(stream)")
        }
    }

    /// `posix_spawn` of `path` with `arguments` (after the program's own name) and exactly
    /// `environment`, in `directory` when given: its result (0, or the error number) and the new
    /// process's id.
    ///
    /// The child runs in a process group of its own (killed as one), with no blocked signal and
    /// the signals a server commonly ignores or handles back at their defaults. After `actions`
    /// (which set up descriptors 0, 1 and 2) every other descriptor is closed in the child: one
    /// another library opened without close-on-exec (Foundation's pipes, the socket by which
    /// Foundation's `Process` learns that its child ended) must not live on in an unrelated
    /// child, or the reader of that pipe, or whoever waits on that socket, would wait for this
    /// child's end too.
    public static func spawn(
        _ path: String, _ arguments: [String], environment: [String: String], directory: String? = nil,
        actions: inout posix_spawn_file_actions_t
    ) -> (result: Int32, pid: pid_t) {
        if let directory {
            guard let changeDirectory = Extensions.changeDirectory else { return (ENOSYS, 0) }
            _ = changeDirectory(&actions, directory)
        }
        if let closeFrom = Extensions.closeFrom {
            _ = closeFrom(&actions, 3)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD, SIGUSR1, SIGUSR2] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        return (result, pid)
    }

    /// A pipe whose two ends close on exec (a child gets an end through `dup2`, which clears the
    /// flag). Made so atomically: a child another thread spawns in between never inherits an end.
    public static func pipe() throws -> (read: Int32, write: Int32) {
        var descriptors: [Int32] = [0, 0]
        guard let pipe2 = Extensions.pipe2 else { throw POSIXError(.ENOSYS) }
        guard pipe2(&descriptors, O_CLOEXEC) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EMFILE) }
        return (descriptors[0], descriptors[1])
    }

    /// glibc's spawn extensions and `pipe2`, which Swift's Glibc module does not import (found at
    /// run time; glibc has had them since 2.34 and 2.9).
    enum Extensions {
        typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        typealias ChangeDirectory = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

        static let closeFrom: CloseFrom? = symbol("posix_spawn_file_actions_addclosefrom_np")
        static let changeDirectory: ChangeDirectory? = symbol("posix_spawn_file_actions_addchdir_np")
        static let pipe2: Pipe2? = symbol("pipe2")

        private static func symbol<T>(_ name: String) -> T? {
            guard let address = dlsym(nil, name) else { return nil }
            return unsafeBitCast(address, to: T.self)
        }
    }

    /// The path of `executable`: as given when it holds a `/`, else the first executable file of
    /// that name on `path`.
    static func resolve(_ executable: String, path: String?) throws(Failure) -> String {
        if executable.contains("/") { return executable }
        for directory in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") where !directory.isEmpty {
            let candidate = directory + "/" + executable
            if access(candidate, X_OK) == 0 { return candidate }
        }
        throw Failure(kind: .cannotStart, description: "\(executable) was not found on the PATH")
    }

    enum Outcome: Sendable {
        case finished(Result)
        case tooLarge(String)
    }

    /// A started process: its id, the read ends of its output pipes (owned by `collect`), and
    /// whether it has been waited for (after which its id may belong to another process).
    final class Child: Sendable {
        let pid: pid_t
        let output: Int32
        let error: Int32
        private let exited = Mutex(false)

        private init(pid: pid_t, output: Int32, error: Int32) {
            self.pid = pid
            self.output = output
            self.error = error
        }

        static func spawn(path: String, arguments: [String], environment: [String: String]) throws(Failure) -> Child {
            func failure(_ what: String, _ code: Int32) -> Failure {
                Failure(kind: .cannotStart, description: "\(path) could not be started: \(what) failed (\(String(cString: strerror(code))))")
            }
            // Close-on-exec from birth, so a program another thread starts meanwhile never holds
            // an end: a socket pair made with the flag.
            func channel() -> [Int32]? {
                var ends: [Int32] = [-1, -1]
                return socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &ends) == 0 ? ends : nil
            }
            guard let output = channel() else { throw failure("socketpair", errno) }
            guard let error = channel() else {
                let code = errno
                close(output[0])
                close(output[1])
                throw failure("socketpair", code)
            }
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_adddup2(&actions, output[1], 1)
            posix_spawn_file_actions_adddup2(&actions, error[1], 2)
            let (result, pid) = Program.spawn(path, arguments, environment: environment, actions: &actions)
            // The child has its own copies of the write ends (or there is no child).
            close(output[1])
            close(error[1])
            guard result == 0 else {
                close(output[0])
                close(error[0])
                throw failure("spawn", result)
            }
            return Child(pid: pid, output: output[0], error: error[0])
        }

        /// Kills the process group, unless the process has been waited for.
        func killGroup() {
            exited.withLock { exited in
                if !exited { _ = kill(-pid, SIGKILL) }
            }
        }

        /// Reads both pipes to their ends (killing the group when one passes its limit), closes
        /// them, and waits for the process. Blocks: runs on a thread of its own.
        func collect(outputLimit: Int, errorLimit: Int) -> Outcome {
            var buffers: [[UInt8]] = [[], []]
            let limits = [outputLimit, errorLimit]
            var open = [true, true]
            var tooLarge: String?
            var chunk = [UInt8](repeating: 0, count: 65536)
            while open[0] || open[1] {
                var descriptors = [
                    pollfd(fd: open[0] ? output : -1, events: Int16(POLLIN), revents: 0),
                    pollfd(fd: open[1] ? error : -1, events: Int16(POLLIN), revents: 0),
                ]
                let ready = poll(&descriptors, 2, -1)
                if ready < 0 {
                    if errno == EINTR { continue }
                    break
                }
                for index in 0..<2 where open[index] && descriptors[index].revents != 0 {
                    let count = chunk.withUnsafeMutableBytes { read(descriptors[index].fd, $0.baseAddress, $0.count) }
                    if count < 0, errno == EINTR || errno == EAGAIN { continue }
                    guard count > 0 else {
                        open[index] = false
                        continue
                    }
                    if buffers[index].count + count > limits[index] {
                        tooLarge = tooLarge ?? (index == 0 ? "output" : "error")
                        killGroup()
                        open = [false, false]
                        break
                    }
                    buffers[index] += chunk[0..<count]
                }
            }
            close(output)
            close(error)
            // Seen to have ended but not yet reaped, its id cannot be reused: a kill until the
            // flag is set still reaches this group.
            var info = siginfo_t()
            while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) == -1 && errno == EINTR {}
            exited.withLock { $0 = true }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            if let tooLarge { return .tooLarge(tooLarge) }
            let code: Int32? = status & 0x7f == 0 ? (status >> 8) & 0xff : nil
            return .finished(Result(status: code, stdout: buffers[0], stderr: buffers[1]))
        }
    }
}
