import Foundation
import KeelsonTesting
import Testing

@testable import GitSource

@Suite struct GitRunnerTests {
    /// Even when a URL check is bypassed, GIT_ALLOW_PROTOCOL stops `ext::` from running a command.
    @Test func allowProtocolBlocksExtTransport() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let marker = folder.path + "/pwned"
        let runner = try GitRunner()
        let output = try await runner.run(GitInvocation(["ls-remote", "--", "ext::touch \(marker)"]))
        #expect(!output.succeeded)
        #expect(output.stderr.contains("not allowed"))
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    /// The start-up check: the version of the git on the machine (as `git --version` prints it
    /// directly), and an error naming the program when it cannot run.
    @Test func versionOrAClearError() async throws {
        let direct = try await TestRepository.git(["--version"]).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(direct.hasPrefix("git version "))
        #expect(try await GitRunner().version() == direct)
        var configuration = GitRunnerConfiguration()
        configuration.gitExecutable = "/nonexistent/keelson-git"
        let error = await #expect(throws: GitError.self) { try await GitRunner(configuration: configuration).version() }
        #expect(String(describing: error).contains("keelson-git"), "\(String(describing: error))")
    }

    /// Hooks never run, and neither the system nor a global config is read.
    @Test func hooksAndConfigAreIgnored() async throws {
        let repo = try await TestRepository()
        defer { repo.folder.remove() }
        let marker = repo.folder.path + "/hook-ran"
        let hook = repo.work + "/.git/hooks/post-checkout"
        try "#!/bin/sh\ntouch \(marker)\n".write(toFile: hook, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: hook)
        let runner = try GitRunner()
        try await runner.check(GitInvocation(["checkout", "--quiet", "-b", "other"], in: repo.work))
        #expect(!FileManager.default.fileExists(atPath: marker))
        // The same checkout through plain git runs the hook, so the test above can fail.
        try await TestRepository.git(["-C", repo.work, "checkout", "--quiet", "main"])
        #expect(FileManager.default.fileExists(atPath: marker))
        let config = try await runner.check(GitInvocation(["config", "--show-origin", "--list"], in: repo.work))
        #expect(!config.stdout.contains("/etc/gitconfig"))
    }

    /// A command that outlives its timeout is killed with its whole process group.
    @Test func timeoutKillsTheProcessGroup() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        var configuration = GitRunnerConfiguration()
        // Long enough for the shell to write its pid even on a loaded machine.
        configuration.timeout = .seconds(3)
        let runner = try GitRunner(configuration: configuration)
        let pidFile = folder.path + "/pid"
        let started = ContinuousClock.now
        // A shell alias stands in for a helper process git would start (ssh, git-remote-https).
        let error = await #expect(throws: GitError.self) {
            try await runner.run(GitInvocation(["-c", "alias.hang=!echo $$ > \(pidFile); exec sleep 600", "hang"]))
        }
        #expect(error?.code == .timeout)
        // Without the kill the command would run for 600 s. The bound is loose: with the whole suite
        // running, blocking process waits in other tests can hold both cooperative threads for a while.
        #expect(ContinuousClock.now - started < .seconds(180))
        let pid = try #require(Int32(String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        var alive = true
        for _ in 0..<40 where alive {
            alive = Self.isRunning(pid)
            if alive { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(!alive, "the helper process \(pid) survived the timeout")
    }

    /// Output past the limit fails the command instead of growing without bound.
    @Test func outputIsBounded() async throws {
        var configuration = GitRunnerConfiguration()
        configuration.maximumOutputBytes = 1000
        let runner = try GitRunner(configuration: configuration)
        let error = await #expect(throws: GitError.self) {
            try await runner.run(GitInvocation(["-c", "alias.big=!yes | head -c 100000", "big"]))
        }
        #expect(error?.code == .command)
        #expect(error?.message.contains("output limit") == true)
    }

    /// A process still running (not a zombie) according to /proc.
    static func isRunning(_ pid: Int32) -> Bool {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return false }
        return !status.contains("State:\tZ")
    }
}

extension GitRunnerTests {
    /// A command without a directory runs in the private home, never in the repository the
    /// process happens to be in.
    @Test func withoutADirectoryNoRepositoryIsFound() async throws {
        #expect(FileManager.default.fileExists(atPath: Fixtures.packageRoot() + "/.git"))
        let runner = try GitRunner()
        let output = try await runner.run(GitInvocation(["rev-parse", "--git-dir"]))
        #expect(!output.succeeded)
        #expect(output.stderr.contains("not a git repository"))
    }
}
