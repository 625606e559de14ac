import KeelsonTesting
import Logging

@testable import GitSource

/// A cache in a temporary folder over a recording runner.
struct CacheFixture {
    let folder: TemporaryDirectory
    let runner: RecordingRunner
    let cache: GitCache
    let logs = LogCapture()

    init(
        transports: Set<GitTransport> = [.https, .ssh, .file], timeout: Duration = .seconds(60), staleLockAge: Duration = .seconds(60),
        git: String = "git"
    ) throws {
        folder = try TemporaryDirectory(prefix: "keelson-cache")
        var configuration = GitRunnerConfiguration()
        configuration.allowedTransports = transports
        configuration.timeout = timeout
        configuration.gitExecutable = git
        runner = RecordingRunner(try GitRunner(configuration: configuration, logger: logs.logger))
        cache = try GitCache(directory: folder.path, runner: runner, staleLockAge: staleLockAge, logger: logs.logger)
    }

    /// Reads `path` from a checkout through its SecureRoot.
    func read(_ checkout: Checkout, _ path: String) throws -> String {
        String(decoding: try checkout.root().read(path), as: UTF8.self)
    }
}
