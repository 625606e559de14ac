import Foundation

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
        if let closeFrom = Extensions.closeFrom {
            _ = closeFrom(&actions, 3)
        }
        if let directory {
            guard let chdir = Extensions.chdir else { throw POSIXError(.ENOSYS) }
            _ = chdir(&actions, directory)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The child's own process group: a test that kills it kills its helpers too.
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let variables = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let envp = variables.map { strdup($0) } + [nil]
        defer { for pointer in envp { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
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

    /// A pipe whose two ends close on exec (the child gets its end through `dup2`, which clears it).
    /// Made close-on-exec atomically: a child another thread spawns in between must not inherit a
    /// write end, or the reader here would wait for that child's exit instead of this one's.
    public static func pipe() throws -> (read: Int32, write: Int32) {
        var descriptors: [Int32] = [0, 0]
        guard let pipe2 = Extensions.pipe2 else { throw POSIXError(.ENOSYS) }
        guard pipe2(&descriptors, O_CLOEXEC) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EMFILE) }
        return (descriptors[0], descriptors[1])
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

    /// glibc's spawn extensions and `pipe2`, which Swift's Glibc module does not import.
    private enum Extensions {
        typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        typealias ChangeDirectory = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

        static let closeFrom: CloseFrom? = symbol("posix_spawn_file_actions_addclosefrom_np")
        static let chdir: ChangeDirectory? = symbol("posix_spawn_file_actions_addchdir_np")
        static let pipe2: Pipe2? = symbol("pipe2")

        private static func symbol<T>(_ name: String) -> T? {
            guard let address = dlsym(nil, name) else { return nil }
            return unsafeBitCast(address, to: T.self)
        }
    }
}
