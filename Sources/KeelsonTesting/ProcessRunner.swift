import Foundation
import KeelsonFoundation

/// The outcome of running a program.
public struct ProcessResult: Sendable {
    /// The exit status.
    public var status: Int32
    /// Everything written to standard output.
    public var stdout: Data
    /// Everything written to standard error.
    public var stderr: Data

    /// Standard output as UTF-8 text.
    public var output: String { String(decoding: stdout, as: UTF8.self) }
    /// Standard error as UTF-8 text.
    public var errorOutput: String { String(decoding: stderr, as: UTF8.self) }
}

/// Runs programs with argument arrays (never a shell string) for tests.
public enum ProcessRunner {
    /// Runs `executable` (a path, or a name looked up on `PATH`) with `arguments` and waits on a
    /// thread of its own: a test must not block the few cooperative threads that every other
    /// test running beside it (and any server it talks to in the same process) needs. At most
    /// one child per core runs at once (`ProcessSlots`); the rest wait their turn.
    @discardableResult
    public static func run(
        _ executable: String, _ arguments: [String], directory: String? = nil,
        environment: [String: String]? = nil, input: Data? = nil
    ) async throws -> ProcessResult {
        try await ProcessSlots.shared.run(([executable] + arguments).joined(separator: " ").prefix(200).description) {
            try await onOwnThread("keelson-test-process") {
                try runBlocking(executable, arguments, directory: directory, environment: environment, input: input)
            }
        }
    }

    /// Runs like `run`, blocking the calling thread: only for code that cannot be `async`
    /// (a test fixture built once in a `static let`).
    @discardableResult
    public static func runBlocking(
        _ executable: String, _ arguments: [String], directory: String? = nil,
        environment: [String: String]? = nil, input: Data? = nil
    ) throws -> ProcessResult {
        guard let path = executable.contains("/") ? executable : which(executable) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: executable])
        }
        let input = input ?? Data()
        let (inRead, inWrite) = try Program.pipe()
        let (outRead, outWrite) = try Program.pipe()
        let (errRead, errWrite) = try Program.pipe()
        let pid: pid_t
        do {
            pid = try ChildProcess.spawn(
                path, arguments, environment: environment, directory: directory,
                stdin: .descriptor(inRead), stdout: .descriptor(outWrite), stderr: .descriptor(errWrite))
        } catch {
            for descriptor in [inRead, inWrite, outRead, outWrite, errRead, errWrite] { close(descriptor) }
            throw error
        }
        for descriptor in [inRead, outWrite, errWrite] { close(descriptor) }
        // Feed and drain on threads of their own, so a large input or output cannot block the child.
        let group = DispatchGroup()
        let feeding = Thread {
            input.withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    let written = write(inWrite, bytes.baseAddress! + offset, bytes.count - offset)
                    if written <= 0 && errno != EINTR { break }
                    if written > 0 { offset += written }
                }
            }
            close(inWrite)
            group.leave()
        }
        nonisolated(unsafe) var errData = Data()
        let draining = Thread {
            errData = ChildProcess.readAll(errRead)
            group.leave()
        }
        group.enter()
        group.enter()
        feeding.start()
        draining.start()
        let outData = ChildProcess.readAll(outRead)
        group.wait()
        return ProcessResult(status: ChildProcess.wait(pid), stdout: outData, stderr: errData)
    }

    /// The full path of `name` on `PATH`, or `nil`.
    public static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Whether `name` is on `PATH`.
    public static func isAvailable(_ name: String) -> Bool { which(name) != nil }
}
