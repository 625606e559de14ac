import Foundation

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
    /// Runs `executable` (a path, or a name looked up on `PATH`) with `arguments` and waits.
    @discardableResult
    public static func run(
        _ executable: String, _ arguments: [String], directory: String? = nil,
        environment: [String: String]? = nil, input: Data? = nil
    ) throws -> ProcessResult {
        let process = Process()
        guard let path = executable.contains("/") ? executable : which(executable) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: executable])
        }
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        if let environment { process.environment = environment }
        let out = Pipe()
        let err = Pipe()
        let inPipe = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inPipe
        try process.run()
        if let input { inPipe.fileHandleForWriting.write(input) }
        try? inPipe.fileHandleForWriting.close()
        // Drain both pipes concurrently so a large output cannot block the child.
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return ProcessResult(status: process.terminationStatus, stdout: outData, stderr: errData)
    }

    /// Runs like `run`, but waits on a thread of its own: a test that serves the child over HTTP
    /// from the same process (a sandbox) must not block the few cooperative threads it serves on.
    public static func runDetached(
        _ executable: String, _ arguments: [String], directory: String? = nil,
        environment: [String: String]? = nil, input: Data? = nil
    ) async throws -> ProcessResult {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try run(executable, arguments, directory: directory, environment: environment, input: input) })
            }.start()
        }
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
