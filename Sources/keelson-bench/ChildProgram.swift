import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A program a benchmark runs in a process of its own (a sandbox, the controller), its output
/// in a log file. It is killed by `stop()`, and by SIGINT or SIGTERM sent to the benchmark, so
/// an interrupted or failed run leaves nothing behind.
final class ChildProgram: Sendable {
    let name: String
    let process: Process
    let log: String

    /// Starts `executable` with `arguments` (and `environment` added to this process's).
    init(_ name: String, executable: String, arguments: [String], environment: [String: String] = [:], log: String) throws {
        ChildPrograms.installSignalHandlers()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        defer { try? handle.close() }
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { throw BenchmarkError("cannot start \(name) (\(executable)): \(error)") }
        self.name = name
        self.process = process
        self.log = log
        ChildPrograms.running.withLock { _ = $0.insert(process.processIdentifier) }
    }

    var pid: Int32 { process.processIdentifier }

    /// Kills the program (SIGKILL) and reaps it.
    func stop() {
        if process.isRunning {
            kill(pid, SIGKILL)
            process.waitUntilExit()
        }
        ChildPrograms.running.withLock { _ = $0.remove(pid) }
    }

    /// Throws, with the end of its log, when the program has exited.
    func checkRunning() throws {
        guard !process.isRunning else { return }
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        let tail = text.split(separator: "\n").suffix(10).joined(separator: "\n")
        throw BenchmarkError("\(name) exited with status \(process.terminationStatus); the end of \(log):\n\(tail)")
    }

    /// The program's log so far.
    func output() -> String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

    /// `VmHWM` (peak resident memory) of the running program, in MiB.
    func peakMemoryMiB() -> Double { statusField("VmHWM:") / 1024 }

    /// User and system CPU time the program has used so far, in seconds.
    func cpuSeconds() -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let end = stat.lastIndex(of: ")")
        else { return 0 }
        // After "pid (comm)": state is field 3, utime 14 and stime 15.
        let fields = stat[stat.index(after: end)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// A `/proc/PID/status` field in kB.
    func statusField(_ prefix: String) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix(prefix) })
        else { return 0 }
        return Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    }

    /// This benchmark's own executable.
    static var ownExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// The path of the executable `name` built next to this one (same build configuration).
    static func sibling(_ name: String) throws -> String {
        let path = URL(fileURLWithPath: ownExecutable).deletingLastPathComponent().appendingPathComponent(name).path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw BenchmarkError(
                "no \(name) executable next to keelson-bench at \(path): build both, e.g. swift build -c release --product keelson --product keelson-bench"
            )
        }
        return path
    }
}

/// The children still running, killed when the benchmark is interrupted.
enum ChildPrograms {
    static let running = Mutex<Set<Int32>>([])

    nonisolated(unsafe) private static let handlers: [any DispatchSourceSignal] = [SIGINT, SIGTERM].map { signalNumber in
        signal(signalNumber, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
        source.setEventHandler {
            for pid in running.withLock({ $0 }) { kill(pid, SIGKILL) }
            FileHandle.standardError.write(Data("keelson-bench: interrupted; children killed\n".utf8))
            exit(128 + signalNumber)
        }
        source.resume()
        return source
    }

    /// Installs the SIGINT and SIGTERM handlers (once).
    static func installSignalHandlers() { _ = handlers }
}
