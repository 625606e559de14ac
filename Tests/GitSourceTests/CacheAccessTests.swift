import Foundation
import KeelsonTesting
import Testing

@testable import GitSource

/// The shared mirror holds every tenant's commits: a remote is served from it only after it
/// proved, with its own credentials, that it can read the repository, and no local URL may
/// lead into the cache.
@Suite struct CacheAccessTests {
    /// A private repository served by `git http-backend` behind basic auth.
    struct PrivateServer {
        let repo: TestRepository
        let process: BackgroundProcess
        let url: String

        init(password: String) async throws {
            repo = try await TestRepository()
            let port = try Ports.free()
            let script = repo.folder.path + "/git-http.py"
            try GitHTTPServer.script.write(toFile: script, atomically: true, encoding: .utf8)
            process = try BackgroundProcess(
                "python3", [script, repo.folder.path, "\(port)", "deploy", password], log: repo.folder.path + "/git-http.log")
            try await Ports.waitUntilListening(port, timeout: .seconds(60))
            url = "http://127.0.0.1:\(port)/origin.git"
        }

        func stop() {
            process.kill()
            repo.folder.remove()
        }
    }

    /// Team A deploys a commit of its private repository; team B names the same URL and SHA
    /// with no credentials, or wrong ones: it gets an authentication error, never the content,
    /// and its refusal is remembered (no new `ls-remote` for it within the TTL).
    @Test func aCachedCommitIsNotServedToARemoteWithoutAccess() async throws {
        let password = "pw-\(UUID().uuidString)"
        let server = try await PrivateServer(password: password)
        defer { server.stop() }
        let secret = try await server.repo.commit("app.yaml", "team: a\n")
        let fixture = try CacheFixture(transports: [.http, .file])
        defer { fixture.folder.remove() }

        let teamA = try GitRemote(server.url, credentials: .basic(username: "deploy", password: password))
        #expect(try await fixture.cache.resolve(teamA, .branch("main")) == secret)
        let checkout = try await fixture.cache.checkout(teamA, commit: secret)
        #expect(try fixture.read(checkout, "app.yaml") == "team: a\n")

        for teamB in [try GitRemote(server.url), try GitRemote(server.url, credentials: .basic(username: "deploy", password: "guess"))] {
            await #expect { try await fixture.cache.resolve(teamB, .commit(secret)) } throws: { ($0 as? GitError)?.code == .authentication }
            await #expect { try await fixture.cache.checkout(teamB, commit: secret) } throws: { ($0 as? GitError)?.code == .authentication }
        }
        // The refusals are remembered: asking again runs nothing against the remote.
        let asked = fixture.runner.count("ls-remote")
        await #expect { try await fixture.cache.checkout(try GitRemote(server.url), commit: secret) } throws: {
            ($0 as? GitError)?.code == .authentication
        }
        #expect(fixture.runner.count("ls-remote") == asked)
        // Team A still gets its commit.
        #expect(try fixture.read(try await fixture.cache.checkout(teamA, commit: secret), "app.yaml") == "team: a\n")
    }

    /// Access is asked again once the TTL is over: credentials revoked on the server stop
    /// working for commits already in the mirror.
    @Test func accessIsCheckedAgainAfterTheTTL() async throws {
        let password = "pw-\(UUID().uuidString)"
        let server = try await PrivateServer(password: password)
        defer { server.stop() }
        let commit = try await server.repo.commit("app.yaml", "v: 1\n")
        var policy = GitCachePolicy()
        policy.authorizationTTL = .zero
        let folder = try TemporaryDirectory(prefix: "keelson-cache")
        defer { folder.remove() }
        var configuration = GitRunnerConfiguration()
        configuration.allowedTransports = [.http]
        let runner = RecordingRunner(try GitRunner(configuration: configuration))
        let cache = try GitCache(directory: folder.path, runner: runner, policy: policy)
        let remote = try GitRemote(server.url, credentials: .basic(username: "deploy", password: password))
        _ = try await cache.checkout(remote, commit: commit)
        let before = runner.count("ls-remote")
        _ = try await cache.checkout(remote, commit: commit)
        #expect(runner.count("ls-remote") == before + 1, "an expired proof is asked again")
    }

    /// `file://` URLs (and plain paths) that lead into the cache, however spelled, are refused
    /// for reads and pushes; the same repository outside the cache is served.
    @Test func localURLsIntoTheCacheAreRefused() async throws {
        let repo = try await TestRepository()
        defer { repo.folder.remove() }
        let commit = try await repo.commit("app.yaml", "private\n")
        let fixture = try CacheFixture()
        defer { fixture.folder.remove() }
        let owner = try GitRemote(repo.fileURL)
        _ = try await fixture.cache.checkout(owner, commit: commit)
        let mirror = fixture.cache.mirror(for: owner).directory
        #expect(FileManager.default.fileExists(atPath: mirror + "/HEAD"))
        try fixture.folder.symlink("alias", to: fixture.folder.path)
        let name = (mirror as NSString).lastPathComponent
        let spellings = [
            "file://" + mirror,
            mirror,
            "file://localhost" + mirror,
            "file://" + fixture.folder.path + "/mirrors/../mirrors/" + name,
            "file://" + fixture.folder.path + "/alias/mirrors/" + name,
            "file://" + fixture.folder.path + "/mirrors/" + name.replacingOccurrences(of: "-", with: "%2D"),
            "file://" + fixture.folder.path + "/mirrors/" + String(name.dropLast(4)),  // git adds .git itself
            "file://" + fixture.folder.path + "/checkouts/" + GitCache.directoryName(for: owner.url.cacheKey) + "/" + commit,
        ]
        for spelling in spellings {
            let thief = try GitRemote(spelling)
            await #expect("\(spelling)") { try await fixture.cache.resolve(thief, .commit(commit)) } throws: {
                ($0 as? GitError)?.code == .protocolNotAllowed
            }
            await #expect { try await fixture.cache.resolve(thief, .branch("main")) } throws: { ($0 as? GitError)?.code == .protocolNotAllowed }
            let push = PushRequest(branch: "main", author: GitSignature(name: "a", email: "a@b"), message: "poison")
            await #expect { _ = try await fixture.cache.commitAndPush(thief, push) { _ in [] } } throws: {
                ($0 as? GitError)?.code == .protocolNotAllowed
            }
        }
        #expect(try await fixture.cache.resolve(owner, .branch("main")) == commit)
    }
}
