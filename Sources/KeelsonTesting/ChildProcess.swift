import Foundation
import KeelsonFoundation

#if canImport(Glibc)
import Glibc
#endif

/// Starts programs with `posix_spawn` for tests, closing every descriptor but the three it is
/// given. Foundation's `Process.run()` lists `/proc/self/fd` by copying whole `dirent` records
/// and crashes (a read past the directory buffer) in a test process that holds many
/// descriptors, as the server and sandbox suites do; nothing here copies a `dirent`.
public enum ChildProcess {
    /// Where one of the child's standard streams comes from or goes.
    public enum Stream: Sendable {
        /// `/dev/null`.
        case null
        /// A file, created 0600 (truncated) for output, read for input.
        case file(String)
        /// A descriptor of this process (dup'ed into the child).
        case descriptor(Int32)
    }

    /// Starts `path` with `arguments` (argv[0] is `path`); `environment` replaces this
    /// process's when given. Returns the child's pid; reap it with `wait`.
    public static func spawn(
        _ path: String, _ arguments: [String], environment: [String: String]? = nil, directory: String? = nil,
        stdin: Stream = .null, stdout: Stream = .null, stderr: Stream = .null
    ) throws -> pid_t {
        _ = ignoreBrokenPipes
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (target, stream) in [(Int32(0), stdin), (1, stdout), (2, stderr)] {
            switch stream {
            case .null: posix_spawn_file_actions_addopen(&actions, target, "/dev/null", target == 0 ? O_RDONLY : O_WRONLY, 0)
            case .file(let file):
                posix_spawn_file_actions_addopen(&actions, target, file, target == 0 ? O_RDONLY : O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            case .descriptor(let descriptor): posix_spawn_file_actions_adddup2(&actions, descriptor, target)
            }
        }
        // In a process group of its own: a test that kills it kills its helpers too.
        let (result, pid) = Program.spawn(
            path, arguments, environment: environment ?? ProcessInfo.processInfo.environment, directory: directory, actions: &actions)
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .ENOENT) }
        return pid
    }

    /// A child that exits before reading its input must not kill the test process with SIGPIPE.
    private static let ignoreBrokenPipes: Void = { signal(SIGPIPE, SIG_IGN) }()

    /// Waits for `pid` to end; its exit status, or 128 + the signal that ended it.
    public static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// Everything `descriptor` yields until end of file; closes it.
    public static func readAll(_ descriptor: Int32) -> Data {
        defer { close(descriptor) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                data.append(contentsOf: buffer[0..<count])
            } else if count == 0 || errno != EINTR {
                return data
            }
        }
    }
}
