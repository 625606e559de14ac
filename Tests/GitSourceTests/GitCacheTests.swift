import Foundation
import KeelsonFoundation
import KeelsonTesting
import Testing

@testable import GitSource

@Suite struct GitCacheTests {
    enum Server: String, CaseIterable, Sendable { case file, daemon }

    /// Branch, lightweight tag, annotated tag, SHA and semver range resolve to the right
    /// commit and check out the right content, over file:// and over git daemon.
    @Test(arguments: Server.allCases)
    func resolvesAndChecksOutEveryKindOfRevision(_ server: Server) async throws {
        let repo = try await TestRepository()
        defer { repo.folder.remove() }
        let v1 = try await repo.commit("app.yaml", "version: 1\n")
        try await repo.tag("v1.0.0")
        let v12 = try await repo.commit("app.yaml", "version: 1.2\n")
        try await repo.tag("v1.2.0", annotated: true)
        let v2 = try await repo.commit("app.yaml", "version: 2\n")
        try await repo.tag("v2.0.0")
        try await repo.tag("v1.3.0-rc.1")
        let feature = try await repo.commit("app.yaml", "version: feature\n", branch: "feature/x")
        let daemon = server == .daemon ? try await GitDaemon(basePath: repo.folder.path) : nil
        defer { daemon?.stop() }
        let fixture = try CacheFixture(transports: [.file, .git])
        defer { fixture.folder.remove() }
        let remote = try GitRemote(daemon?.url("origin.git") ?? repo.fileURL)

        let cases: [(Revision, String, String)] = [
            (.branch("main"), v2, "version: 2\n"),
            (.branch("feature/x"), feature, "version: feature\n"),
            (.tag("v1.0.0"), v1, "version: 1\n"),
            (.tag("v1.2.0"), v12, "version: 1.2\n"),  // annotated: peeled to the commit
            (.commit(v1), v1, "version: 1\n"),
            (.semver(try VersionRange(">=1.0.0 <2.0.0")), v12, "version: 1.2\n"),  // rc excluded
            (.semver(try VersionRange("1.x || 2.x")), v2, "version: 2\n"),
        ]
        for (revision, expected, content) in cases {
            let commit = try await fixture.cache.resolve(remote, revision)
            #expect(commit == expected, "\(revision)")
            let checkout = try await fixture.cache.checkout(remote, commit: commit)
            #expect(checkout.commit == expected)
            #expect(try fixture.read(checkout, "app.yaml") == content, "\(revision)")
        }
    }

    /// A commit pushed after the first resolve is seen by the next one; the mirror stays shallow.
    @Test func seesNewCommits() async throws {
        let repo = try await TestRepository()
        defer { repo.folder.remove() }
        let fixture = try CacheFixture()
        defer { fixture.folder.remove() }
        let remote = try GitRemote(repo.fileURL)
        let first = try await fixture.cache.resolve(remote, .branch("main"))
        #expect(first == (try await repo.tip()))
        let second = try await repo.commit("new.txt", "new\n")
        #expect(try await fixture.cache.resolve(remote, .branch("main")) == second)
        let checkout = try await fixture.cache.checkout(remote, commit: second)
        #expect(try fixture.read(checkout, "new.txt") == "new\n")
        #expect(fixture.runner.calls.contains { $0.first == "fetch" && $0.contains("--depth=1") })
    }

    /// A commit that is not a branch tip is fetched by SHA; an unknown SHA is `.notFound`.
    @Test func fetchesOlderCommitsAndReportsMissingOnes() async throws {
        let repo = try await TestRepository()
        defer { repo.folder.remove() }
        let old = try await repo.commit("a.txt", "old\n")
        try await repo.commit("a.txt", "new\n")
        let fixture = try CacheFixture()
        defer { fixture.folder.remove() }
        let remote = try GitRemote(repo.fileURL)
        _ = try await fixture.cache.resolve(remote, .branch("main"))
        let checkout = try await fixture.cache.checkout(remote, commit: old)
        #expect(try fixture.read(checkout, "a.txt") == "old\n")
        let missing = String(repeating: "0", count: 39) + "1"
        await #expect { try await fixture.cache.resolve(remote, .commit(missing)) } throws: { ($0 as? GitError)?.code == .notFound }
        await #expect { try await fixture.cache.resolve(remote, .branch("nope")) } throws: { ($0 as? GitError)?.code == .notFound }
        await #expect { try await fixture.cache.resolve(remote, .semver(VersionRange("^9"))) } throws: { ($0 as? GitError)?.code == .notFound }
    }

    /// A checkout is reused per commit without running `worktree add` again, and can be removed.
    @Test func reusesAndRemovesCheckouts() async throws {
        let repo = try await TestRepository()
        defer { repo.folder.remove() }
        let fixture = try CacheFixture()
        defer { fixture.folder.remove() }
        let remote = try GitRemote(repo.fileURL)
        let commit = try await fixture.cache.resolve(remote, .branch("main"))
        let first = try await fixture.cache.checkout(remote, commit: commit)
        let second = try await fixture.cache.checkout(remote, commit: commit)
        #expect(first == second)
        #expect(fixture.runner.calls.filter { $0.starts(with: ["worktree", "add"]) }.count == 1)
        try await fixture.cache.remove(first)
        #expect(!FileManager.default.fileExists(atPath: first.directory))
        let third = try await fixture.cache.checkout(remote, commit: commit)
        #expect(try fixture.read(third, "README") == "hello\n")
    }

    /// Malformed revisions and disallowed transports are refused before git runs: the
    /// configured git does not even exist, so running it would fail with `.command`.
    @Test func refusesWithoutRunningGit() async throws {
        let fixture = try CacheFixture(git: "/nonexistent/git")
        defer { fixture.folder.remove() }
        let remote = try GitRemote("/does/not/matter")
        let bad: [Revision] = [.branch("--upload-pack=touch /tmp/x"), .branch("a..b"), .tag("-x"), .tag("v1^{}"), .commit("HEAD"), .commit("abc")]
        for revision in bad {
            await #expect { try await fixture.cache.resolve(remote, revision) } throws: { ($0 as? GitError)?.code == .invalidRevision }
        }
        await #expect { try await fixture.cache.checkout(remote, commit: "-x") } throws: { ($0 as? GitError)?.code == .invalidRevision }
        for url in ["http://127.0.0.1:1/r.git", "git://127.0.0.1:1/r.git"] {
            await #expect { try await fixture.cache.resolve(GitRemote(url), .branch("main")) } throws: {
                ($0 as? GitError)?.code == .protocolNotAllowed
            }
        }
        #expect(fixture.runner.calls.isEmpty)
        // The same cache does fail with `.command` once a valid request reaches git.
        await #expect { try await fixture.cache.resolve(remote, .branch("main")) } throws: { ($0 as? GitError)?.code == .command }
    }

    /// A remote that accepts the connection and never answers times out, and quickly.
    @Test func hungServerTimesOut() async throws {
        let server = try StallingServer()
        defer { server.close() }
        let fixture = try CacheFixture(transports: [.git], timeout: .seconds(3))
        defer { fixture.folder.remove() }
        let started = ContinuousClock.now
        await #expect { try await fixture.cache.resolve(GitRemote("git://127.0.0.1:\(server.port)/r.git"), .branch("main")) } throws: {
            ($0 as? GitError)?.code == .timeout
        }
        // Without the timeout git would wait forever. The bound is loose: with the whole suite running,
        // blocking process waits in other tests can hold both cooperative threads for a while.
        #expect(ContinuousClock.now - started < .seconds(180))
    }

    /// A lock older than the timeout is removed before the fetch; a fresh one is left alone.
    @Test func removesOnlyStaleLocks() async throws {
        let repo = try await TestRepository()
        defer { repo.folder.remove() }
        let fixture = try CacheFixture(staleLockAge: .seconds(60))
        defer { fixture.folder.remove() }
        let remote = try GitRemote(repo.fileURL)
        _ = try await fixture.cache.resolve(remote, .branch("main"))
        let mirror = fixture.cache.mirror(for: remote).directory
        let lock = mirror + "/shallow.lock"
        let newer = try await repo.commit("b.txt", "b\n")
        // A fresh lock (a fetch in another process) makes our fetch fail rather than be removed.
        #expect(FileManager.default.createFile(atPath: lock, contents: Data()))
        await #expect(throws: GitError.self) { try await fixture.cache.resolve(remote, .branch("main")) }
        #expect(FileManager.default.fileExists(atPath: lock))
        // The same lock, ten minutes old, is left over from a killed fetch.
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-600)], ofItemAtPath: lock)
        #expect(try await fixture.cache.resolve(remote, .branch("main")) == newer)
        #expect(!FileManager.default.fileExists(atPath: lock))
        #expect(fixture.logs.lines.contains { $0.contains("stale git lock") })
    }

    /// Concurrent resolves of one repository run one git command against the remote at a time
    /// and all get the right answers.
    @Test func serialisesFetchesOfOneRepository() async throws {
        let repo = try await TestRepository()
        defer { repo.folder.remove() }
        var tips: [String: String] = [:]
        for index in 0..<6 { tips["b\(index)"] = try await repo.commit("f\(index).txt", "\(index)\n", branch: "b\(index)") }
        let fixture = try CacheFixture()
        defer { fixture.folder.remove() }
        let remote = try GitRemote(repo.fileURL)
        let cache = fixture.cache
        let results = try await withThrowingTaskGroup(of: (String, String).self) { group in
            for branch in tips.keys {
                group.addTask { (branch, try await cache.resolve(remote, .branch(branch))) }
            }
            return try await group.reduce(into: [String: String]()) { $0[$1.0] = $1.1 }
        }
        #expect(results == tips)
        #expect(fixture.runner.peakConcurrentRemoteCalls == 1)
        #expect(fixture.runner.count("fetch") == 6)
    }

    /// Many applications of one repository asking at once share listings that started after
    /// they asked; an ask after a new commit still sees it.
    @Test func aBurstOfResolvesSharesFreshListings() async throws {
        let repo = try await TestRepository()
        defer { repo.folder.remove() }
        let first = try await repo.commit("a.txt", "a\n")
        let fixture = try CacheFixture()
        defer { fixture.folder.remove() }
        let remote = try GitRemote(repo.fileURL)
        let cache = fixture.cache
        let results = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<8 { group.addTask { try await cache.resolve(remote, .branch("main")) } }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(results == Array(repeating: first, count: 8))
        let listings = fixture.runner.count("ls-remote")
        #expect(listings < 8, "8 concurrent asks made \(listings) listings")
        let second = try await repo.commit("b.txt", "b\n")
        #expect(try await cache.resolve(remote, .branch("main")) == second, "an ask after the commit lists again")
        #expect(fixture.runner.count("ls-remote") == listings + 1)
    }
}
