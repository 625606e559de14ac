import Crypto
import Foundation
import KeelsonTesting
import Kube
import KubeSandbox
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// `keelson controller` as a real process on 127.0.0.1:0 (its URL read from its log), with the
/// harness's tokens, an Application, and a sandbox; optionally under a file limit.
struct ServerProcess: Sendable {
    let folder: TemporaryDirectory
    let process: BackgroundProcess
    /// `http://127.0.0.1:PORT` (or https).
    let url: String

    var port: Int { Int(url.split(separator: ":").last ?? "") ?? 0 }

    /// Runs `body` with the controller started with the flags `arguments` returns (given the
    /// test's folder, to write files they name); `fileLimit` (soft, hard) is set on the child
    /// by `sh`'s `ulimit` before it execs the controller (same process id).
    static func with(
        fileLimit: (soft: Int, hard: Int)? = nil, arguments: (TemporaryDirectory) throws -> [String] = { _ in [] },
        _ body: @Sendable (ServerProcess) async throws -> Void
    ) async throws {
        let folder = try TemporaryDirectory(prefix: "keelson-server-process")
        defer { folder.remove() }
        try await ServerHarness.git(["init", "-q", "-b", "main"], in: folder.path + "/repo", create: true)
        try await ServerHarness.git(["config", "user.name", "Test"], in: folder.path + "/repo")
        try await ServerHarness.git(["config", "user.email", "test@keelson.invalid"], in: folder.path + "/repo")
        try folder.write("repo/web/config.yaml", ServerHarness.configMap("web-config", "1"))
        try await ServerHarness.git(["add", "-A"], in: folder.path + "/repo")
        try await ServerHarness.git(["commit", "-qm", "initial"], in: folder.path + "/repo")
        try folder.write(
            "apps/web.yaml",
            ServerHarness.app("web", path: "web", interval: "10m").replacingOccurrences(of: "REPO", with: "file://" + folder.path + "/repo"))
        try folder.write("tokens.yaml", ServerHarness.tokenFile())
        let arguments = try arguments(folder)
        let kubeconfig = folder.path + "/kubeconfig"
        let quiet = {
            var logger = Logger(label: "keelson.test"); logger.logLevel = .warning; return logger
        }()
        try await Sandbox.withRunning(SandboxConfiguration(kubeconfigPath: kubeconfig, readyDelay: .milliseconds(200)), logger: quiet) { _ in
            var command =
                [
                    "controller", "--apps", folder.path + "/apps", "--kubeconfig", kubeconfig, "--cache-dir", folder.path + "/cache",
                    "--listen", "127.0.0.1:0", "--tokens", folder.path + "/tokens.yaml", "--audit-log", folder.path + "/audit.log",
                ] + arguments
            var executable = Fixtures.keelsonExecutable()
            if let fileLimit {
                // The shell lowers its limits (soft first, hard last), then becomes the controller.
                command = ["-c", "ulimit -S -n \(fileLimit.soft) && ulimit -H -n \(fileLimit.hard) && exec \"$0\" \"$@\"", executable] + command
                executable = "/bin/sh"
            }
            let process = try BackgroundProcess(executable, command, log: folder.path + "/controller.log", environment: ["KEELSON_LOG_LEVEL": "info"])
            defer { process.terminate() }
            let deadline = ContinuousClock.now + .seconds(60)
            var url: String?
            while url == nil {
                url = Self.listeningURL(in: process.output)
                guard process.isRunning else { throw ServerProcessError("the controller \(process.ending):\n\(process.output.suffix(3000))") }
                guard ContinuousClock.now < deadline else { throw ServerProcessError("the controller's server did not listen within 60s") }
                if url == nil { try await Task.sleep(for: .milliseconds(100)) }
            }
            try await body(ServerProcess(folder: folder, process: process, url: url!))
        }
    }

    /// The `url=` of the server's "server listening" log line.
    static func listeningURL(in log: String) -> String? {
        guard let line = log.split(separator: "\n").first(where: { $0.contains("server listening") }),
            let start = line.range(of: "url=")?.upperBound
        else { return nil }
        return String(line[start...].prefix { !$0.isWhitespace })
    }

    /// The open file limits of the process (`Max open files` of `/proc/PID/limits`): soft, hard.
    var fileLimits: (soft: Int, hard: Int)? {
        guard let text = try? String(contentsOfFile: "/proc/\(process.pid)/limits", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Max open files") })
        else { return nil }
        let numbers = line.split(separator: " ").compactMap { Int($0) }
        return numbers.count >= 2 ? (numbers[0], numbers[1]) : nil
    }

    /// What a failed test should show of the processes: descriptors open and allowed in the
    /// controller and in the test's own process, and the end of the controller's log.
    var diagnostics: String {
        func descriptors(_ pid: String) -> String {
            let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count).map(String.init) ?? "?"
            let limits = (try? String(contentsOfFile: "/proc/\(pid)/limits", encoding: .utf8))?
                .split(separator: "\n").first { $0.hasPrefix("Max open files") }
            return "\(open) open, \(limits.map { $0.split(separator: " ").dropFirst(3).prefix(2).joined(separator: "/") } ?? "?") allowed"
        }
        let crash = process.crashReport.map { "the controller's crash report begins:\n\($0)\n" } ?? ""
        return """
            controller (\(process.ending)): \(descriptors("\(process.pid)")) descriptors; test process: \(descriptors("self"))
            \(crash)the controller's log ends:
            \(process.output.suffix(4000))
            """
    }

    /// The audit log so far.
    var audit: String { (try? String(contentsOfFile: folder.path + "/audit.log", encoding: .utf8)) ?? "" }
}

struct ServerProcessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A plain TCP connection to 127.0.0.1 for requests no HTTP client would make (half-open,
/// trickled, idle), closed when released.
final class RawConnection: @unchecked Sendable {
    let fd: Int32

    /// Connects (blocking) to 127.0.0.1:`port`.
    init(port: Int) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            let failure = errno
            // Closed here, before `self.fd` is set: a class whose initializer throws once every
            // property is set runs its deinit, which would close the number a second time (by
            // then perhaps another thread's descriptor).
            close(fd)
            throw POSIXError(POSIXErrorCode(rawValue: failure) ?? .ECONNREFUSED)
        }
        self.fd = fd
    }

    /// Starts a non-blocking connect and returns at once (the connection may still be pending).
    static func halfOpen(port: Int, sending text: String) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        _ = text.withCString { Glibc.send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
        return fd
    }

    /// Writes `text` (errors ignored: the server may have closed already).
    func send(_ text: String) {
        _ = text.withCString { Glibc.send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
    }

    /// Reads until the server closes the connection or `timeout` passes: what was read, and
    /// whether the server closed. The read blocks a thread of its own, never a cooperative one
    /// that a server in the test's process needs.
    func readUntilClosed(timeout: Duration) async -> (text: String, closed: Bool) {
        await Self.offThePool { self.blockingReadUntilClosed(timeout: timeout) }
    }

    /// Reads until `done` holds for the text so far, the server closes, or `timeout` passes (on a
    /// thread of its own, as `readUntilClosed`).
    func read(until done: @escaping @Sendable (String) -> Bool, timeout: Duration) async -> String {
        await Self.offThePool { self.blockingRead(until: done, timeout: timeout) }
    }

    private static func offThePool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in Thread { continuation.resume(returning: body()) }.start() }
    }

    private func blockingReadUntilClosed(timeout: Duration) -> (text: String, closed: Bool) {
        var bytes: [UInt8] = []
        let deadline = ContinuousClock.now + timeout
        var buffer = [UInt8](repeating: 0, count: 4096)
        while ContinuousClock.now < deadline {
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let left = deadline - ContinuousClock.now
            let milliseconds = Int32(max(1, left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000))
            guard poll(&descriptor, 1, milliseconds) > 0 else { continue }
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { return (String(decoding: bytes, as: UTF8.self), true) }
            bytes += buffer[0..<count]
        }
        return (String(decoding: bytes, as: UTF8.self), false)
    }

    private func blockingRead(until done: (String) -> Bool, timeout: Duration) -> String {
        var bytes: [UInt8] = []
        let deadline = ContinuousClock.now + timeout
        var buffer = [UInt8](repeating: 0, count: 4096)
        while ContinuousClock.now < deadline, !done(String(decoding: bytes, as: UTF8.self)) {
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 100) > 0 else { continue }
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    deinit { close(fd) }
}
