import KeelsonFoundation

/// Starts a program in its own process group with bounded output and a timeout that kills
/// the whole group (git's helpers such as `git-remote-https` and `ssh` included).
enum ProcessLauncher {
    struct Result: Sendable {
        var status: Int32?
        var stdout: String
        var stderr: String
    }

    private enum Race: Sendable {
        case finished(Result)
        case timedOut
    }

    static func run(
        executable: String, arguments: [String], environment: [String: String],
        timeout: Duration, clock: any Clock<Duration>, outputLimit: Int, errorLimit: Int,
        what: String, repository: String?
    ) async throws(GitError) -> Result {
        do {
            return try await withThrowingTaskGroup(of: Race.self) { group in
                group.addTask {
                    let record = try await Program.run(
                        executable, arguments, environment: environment, outputLimit: outputLimit, errorLimit: errorLimit)
                    return .finished(
                        Result(
                            status: record.status, stdout: String(decoding: record.stdout, as: UTF8.self),
                            stderr: String(decoding: record.stderr, as: UTF8.self)))
                }
                group.addTask {
                    try await clock.sleep(for: timeout)
                    return .timedOut
                }
                // Cancelling the program kills its group; the group waits for it to be reaped.
                defer { group.cancelAll() }
                while let next = try await group.next() {
                    switch next {
                    case .finished(let result): return result
                    case .timedOut: throw GitError(.timeout, "\(what) did not finish within \(timeout)", repository: repository)
                    }
                }
                throw GitError(.command, "\(what) ended without a result", repository: repository)
            }
        } catch let error as GitError {
            throw error
        } catch let error as Program.Failure {
            let message = error.kind == .outputTooLarge ? "\(what) printed more than the output limit" : "\(what) could not be run"
            throw GitError(.command, message, repository: repository, cause: SubprocessFailure(description: "\(error)"))
        } catch {
            throw GitError(.command, "\(what) failed", repository: repository, cause: SubprocessFailure(description: "\(error)"))
        }
    }
}

/// A process that could not be started or read, described without its arguments or environment.
struct SubprocessFailure: Error, Sendable, CustomStringConvertible {
    var description: String
}
