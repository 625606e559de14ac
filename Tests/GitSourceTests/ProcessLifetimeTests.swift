import Foundation
import KeelsonTesting
import Testing

@testable import GitSource

#if canImport(Glibc)
import Glibc
#endif

/// Credentials never sit in a file, and nothing of git outlives a killed `keelson`.
@Suite struct ProcessLifetimeTests {
    /// The processes (not zombies) whose command line or environment mentions `needle`.
    static func processes(mentioning needle: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard pid != getpid() else { return false }
            let texts = ["cmdline", "environ"].compactMap { FileManager.default.contents(atPath: "/proc/\(pid)/\($0)") }
            return texts.contains { $0.range(of: Data(needle.utf8)) != nil }
        }
    }

    /// `keelson promote` is SIGKILLed while git fetches, with a token, from a server that took the
    /// credentials and then stalls: git and its helpers die with it, no file under the temporary
    /// directory holds the token, and the next `keelson` removes the dead process's private home.
    @Test func gitDiesWithAKilledKeelsonAndLeavesNoPasswordBehind() async throws {
        guard PrivateHome.findExecutable("setpriv") != nil else {
            Issue.record("setpriv (util-linux) is not installed")
            return
        }
        let token = "tok-\(UUID().uuidString)"
        let folder = try TemporaryDirectory(prefix: "keelson-lifetime")
        defer { folder.remove() }
        try folder.makeDirectory("tmp")
        let temporary = folder.path + "/tmp"
        let server = try await ScriptedHTTPServer("stall", ["x-access-token", token], in: folder)
        defer { server.stop() }
        let arguments = [
            "promote", "--repo", "http://127.0.0.1:\(server.port)/org/repo.git", "--path", "apps", "--image", "app=example.com/app:2", "--allow-http",
        ]
        let keelson = try BackgroundProcess(
            Fixtures.keelsonExecutable(), arguments, log: folder.path + "/promote.log",
            environment: ["TMPDIR": temporary, "KEELSON_GIT_TOKEN": token])
        try await eventually("git sent the token and waits for the server", timeout: .seconds(30)) {
            server.authorizations.contains(ScriptedHTTPServer.basic("x-access-token", token))
        }
        #expect(!Self.processes(mentioning: temporary).isEmpty, "git runs")
        let killed = keelson.pid
        keelson.kill()

        try await eventually("no git process of the killed keelson remains", timeout: .seconds(20)) {
            Self.processes(mentioning: temporary).isEmpty
        }
        let scan = folder.scan(for: token)
        #expect(scan.containing.filter { $0.hasPrefix("tmp/") }.isEmpty, "files holding the token: \(scan.containing.count)")
        let homes = try FileManager.default.contentsOfDirectory(atPath: temporary).filter { $0.hasPrefix(PrivateHome.prefix + "\(killed).") }
        #expect(homes.count == 1, "the killed process left its private home")

        // The next keelson (failing fast: the server is gone) removes the dead process's home.
        server.stop()
        let next = try await ProcessRunner.run(
            Fixtures.keelsonExecutable(), arguments, environment: ProcessInfo.processInfo.environment.merging(["TMPDIR": temporary]) { $1 })
        #expect(next.status != 0)
        let left = try FileManager.default.contentsOfDirectory(atPath: temporary).filter { $0.hasPrefix(PrivateHome.prefix + "\(killed).") }
        #expect(left.isEmpty, "the stale home was removed at start-up")
    }

    /// Only homes whose process is gone are removed: this process's, a live process's (pid 1) and
    /// anything not named like a home stay.
    @Test func onlyHomesOfDeadProcessesAreRemoved() throws {
        let folder = try TemporaryDirectory(prefix: "keelson-homes")
        defer { folder.remove() }
        let finished = try BackgroundProcess("true", [], log: folder.path + "/true.log")
        while finished.isRunning { usleep(10_000) }
        let dead = PrivateHome.prefix + "\(finished.pid).a"
        let mine = PrivateHome.prefix + "\(getpid()).b"
        let live = PrivateHome.prefix + "1.c"
        for name in [dead, mine, live, "keelson-other.\(finished.pid).d"] {
            try folder.write(name + "/askpass", "#!/bin/sh\n")
        }
        let removed = PrivateHome.removeStale(in: folder.path)
        #expect(removed == [folder.path + "/" + dead])
        let remaining = Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))
        #expect(remaining.isSuperset(of: [mine, live, "keelson-other.\(finished.pid).d"]) && !remaining.contains(dead))
    }

    /// https credentials reach git through the helper's environment: while git talks to the
    /// server, no file anywhere under the runner's home holds the password.
    @Test func credentialsAreNotWrittenToFiles() async throws {
        let token = "tok-\(UUID().uuidString)"
        let folder = try TemporaryDirectory(prefix: "keelson-nofile")
        defer { folder.remove() }
        let server = try await ScriptedHTTPServer("stall", ["x-access-token", token], in: folder)
        defer { server.stop() }
        var configuration = GitRunnerConfiguration()
        configuration.allowedTransports = [.http]
        configuration.temporaryDirectory = folder.path
        configuration.timeout = .seconds(60)
        let runner = try GitRunner(configuration: configuration)
        let remote = try GitRemote("http://127.0.0.1:\(server.port)/r.git", credentials: .token(token))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { _ = try? await runner.run(GitInvocation(["ls-remote", "--", remote.url.value], remote: remote)) }
            try await eventually("git sent the token", timeout: .seconds(30)) {
                server.authorizations.contains(ScriptedHTTPServer.basic("x-access-token", token))
            }
            let scan = folder.scan(for: token)
            #expect(scan.containing.isEmpty && scan.files >= 2, "\(scan.containing.count) files hold the token")
            server.stop()
            group.cancelAll()
        }
    }
}
