import Controller
import Manifests
import Testing

@testable import Server

@Suite struct PushMatcherTests {
    static func view(_ name: String, repo: String, revision: String) throws -> ApplicationView {
        let object = try Manifest([
            "apiVersion": "keelson.dev/v1alpha1", "kind": "Application", "metadata": ["name": .string(name), "namespace": "keelson"],
            "spec": ["source": ["repoURL": .string(repo), "revision": .string(revision), "path": "."], "destination": ["namespace": "default"]],
        ])
        return ApplicationView(object: object, application: try Application(object))
    }

    @Test(arguments: [
        // A branch push refreshes the apps on that branch of that repository, whatever the URL's spelling.
        (PushEvent(repositories: ["github.com/team/app"], branch: "main"), ["keelson/main", "keelson/ssh-main"]),
        // Another branch: only the app on it.
        (PushEvent(repositories: ["github.com/team/app"], branch: "release"), ["keelson/release"]),
        // A tag push: the app pinned to that tag (refs/tags/ or plain) and every semver range.
        (PushEvent(repositories: ["github.com/team/app"], tag: "v1.2.0"), ["keelson/plain-tag", "keelson/semver", "keelson/tag"]),
        // Another repository: nothing.
        (PushEvent(repositories: ["github.com/team/other"], branch: "main"), []),
    ])
    func matchesRepositoryAndRef(_ push: PushEvent, _ expected: [String]) throws {
        let views = [
            try Self.view("main", repo: "https://github.com/team/app.git", revision: "main"),
            try Self.view("ssh-main", repo: "git@GitHub.com:team/app.git", revision: "main"),
            try Self.view("release", repo: "https://github.com/team/app", revision: "release"),
            try Self.view("tag", repo: "https://github.com/team/app", revision: "refs/tags/v1.2.0"),
            try Self.view("plain-tag", repo: "https://github.com/team/app", revision: "v1.2.0"),
            try Self.view("semver", repo: "https://github.com/team/app", revision: ">=1.0.0"),
            try Self.view("commit", repo: "https://github.com/team/app", revision: String(repeating: "a", count: 40)),
        ]
        #expect(PushMatcher.matching(push, views).sorted() == expected)
    }
}

@Suite struct ServerSettingsTests {
    @Test(arguments: [
        ("127.0.0.1:8080", "127.0.0.1", 8080), (":9090", "127.0.0.1", 9090), ("[::1]:80", "::1", 80), ("0.0.0.0:0", "0.0.0.0", 0),
    ])
    func listenAddressesParse(_ text: String, _ host: String, _ port: Int) throws {
        let parsed = try #require(try ServerConfiguration.parseListen(text))
        #expect(parsed.host == host && parsed.port == port)
    }

    @Test func listenNoneAndBadAddresses() throws {
        #expect(try ServerConfiguration.parseListen("none") == nil)
        #expect(throws: ServerConfigurationError.self) { try ServerConfiguration.parseListen("8080") }
        #expect(throws: ServerConfigurationError.self) { try ServerConfiguration.parseListen("host:99999") }
        #expect(ServerConfiguration.isLoopback("127.0.0.1") && ServerConfiguration.isLoopback("::1") && !ServerConfiguration.isLoopback("0.0.0.0"))
    }

    @Test func failedAttemptsEmptyTheBucketPerAddress() {
        let limiter = FailedAuthLimiter(burst: 2, perSecond: 0.001)
        #expect(limiter.allows("10.0.0.1"))
        limiter.recordFailure("10.0.0.1")
        #expect(limiter.allows("10.0.0.1"))
        limiter.recordFailure("10.0.0.1")
        #expect(!limiter.allows("10.0.0.1"), "the burst is spent")
        #expect(limiter.retryAfter("10.0.0.1") > 1)
        #expect(limiter.allows("10.0.0.2"), "another address has its own bucket")
    }
}
