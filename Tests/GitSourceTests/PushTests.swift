import Foundation
import KeelsonTesting
import Synchronization
import Testing

@testable import GitSource

/// Holds the first `count` arrivals until all have arrived, so two pushers commit on the same base.
actor Barrier {
    private let count: Int
    private var arrived = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(_ count: Int) { self.count = count }

    func arrive() async {
        arrived += 1
        if arrived > count { return }
        if arrived == count {
            waiting.forEach { $0.resume() }
            waiting.removeAll()
        } else {
            await withCheckedContinuation { waiting.append($0) }
        }
    }
}

@Suite struct PushTests {
    static let author = GitSignature(name: "Keelson Bot", email: "bot@keelson.dev")

    /// A change is committed with the author and message and lands on the branch; a second
    /// run that changes nothing commits nothing.
    @Test func commitsAndPushesOnlyWhenSomethingChanged() async throws {
        let repo = try await TestRepository()
        defer { repo.folder.remove() }
        let fixture = try CacheFixture()
        defer { fixture.folder.remove() }
        let remote = try GitRemote(repo.fileURL)
        let request = PushRequest(
            branch: "main", author: Self.author, committer: GitSignature(name: "CI", email: "ci@example.com"), message: "Update image to v2")
        let edit: @Sendable (String) async throws -> [String] = { tree in
            try "image: web:v2\n".write(toFile: tree + "/deploy.yaml", atomically: true, encoding: .utf8)
            return ["deploy.yaml"]
        }
        let result = try #require(try await fixture.cache.commitAndPush(remote, request, change: edit))
        #expect(result.attempts == 1)
        #expect(try await repo.tip() == result.commit)
        #expect(try await repo.show("deploy.yaml") == "image: web:v2\n")
        let log = try await TestRepository.git(["-C", repo.bare, "log", "-1", "--format=%an <%ae>|%cn <%ce>|%s", "main"])
        #expect(log.trimmingCharacters(in: .newlines) == "Keelson Bot <bot@keelson.dev>|CI <ci@example.com>|Update image to v2")
        #expect(try await fixture.cache.commitAndPush(remote, request, change: edit) == nil)
        #expect(try await repo.tip() == result.commit)
        #expect(try await fixture.cache.commitAndPush(remote, request) { _ in [] } == nil)
    }

    /// A push branch starts from the checkout branch, then is built on; the checkout branch is
    /// never pushed to; the message is built after the change ran.
    @Test func pushBranchForReview() async throws {
        let repo = try await TestRepository()
        defer { repo.folder.remove() }
        let fixture = try CacheFixture()
        defer { fixture.folder.remove() }
        let remote = try GitRemote(repo.fileURL)
        let main = try await repo.tip()
        func request(_ file: String) -> PushRequest {
            PushRequest(branch: "main", author: Self.author, message: "unused", pushBranch: "review/images", messageProvider: { "changed \(file)" })
        }
        func edit(_ file: String) -> @Sendable (String) async throws -> [String] {
            { tree in
                try "v: 2\n".write(toFile: tree + "/" + file, atomically: true, encoding: .utf8)
                return [file]
            }
        }
        let first = try #require(try await fixture.cache.commitAndPush(remote, request("a.yaml"), change: edit("a.yaml")))
        let second = try #require(try await fixture.cache.commitAndPush(remote, request("b.yaml"), change: edit("b.yaml")))
        #expect(try await repo.tip() == main)
        #expect(try await repo.tip("review/images") == second.commit)
        #expect(try await repo.show("a.yaml", branch: "review/images") == "v: 2\n")
        let log = try await TestRepository.git(["-C", repo.bare, "log", "--format=%s", "main..review/images"])
        #expect(log.split(separator: "\n") == ["changed b.yaml", "changed a.yaml"])
        #expect(first.commit != second.commit)
        // Nothing new to change on the review branch: nothing is committed.
        #expect(try await fixture.cache.commitAndPush(remote, request("a.yaml"), change: edit("a.yaml")) == nil)
    }

    /// Two pushers commit on the same base at once: both changes land, the loser after a retry,
    /// with either strategy.
    @Test(arguments: [PushRequest.Strategy.reapply, .rebase])
    func concurrentPushesBothLand(_ strategy: PushRequest.Strategy) async throws {
        let repo = try await TestRepository()
        defer { repo.folder.remove() }
        let fixture = try CacheFixture()
        defer { fixture.folder.remove() }
        let remote = try GitRemote(repo.fileURL)
        let barrier = Barrier(2)
        let cache = fixture.cache
        let attempts = try await withThrowingTaskGroup(of: Int.self) { group in
            for name in ["a", "b"] {
                group.addTask {
                    let request = PushRequest(
                        branch: "main", author: Self.author, message: "add \(name)", strategy: strategy, retryDelay: .milliseconds(10))
                    let result = try await cache.commitAndPush(remote, request) { tree in
                        try "\(name)\n".write(toFile: tree + "/\(name).txt", atomically: true, encoding: .utf8)
                        await barrier.arrive()
                        return ["\(name).txt"]
                    }
                    return try #require(result).attempts
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }.sorted()
        }
        #expect(attempts == [1, 2])
        #expect(try await repo.show("a.txt") == "a\n")
        #expect(try await repo.show("b.txt") == "b\n")
    }

    /// A rebase that conflicts fails with `.conflict` and pushes nothing; reapply re-runs the
    /// change on the new tip instead.
    @Test func conflictingRebaseIsReportedAndReapplyRecovers() async throws {
        let repo = try await TestRepository()
        defer { repo.folder.remove() }
        let fixture = try CacheFixture()
        defer { fixture.folder.remove() }
        let remote = try GitRemote(repo.fileURL)
        let theirs = Mutex<String?>("theirs")
        // The first time the change runs, someone else edits the same line and pushes.
        let change: @Sendable (String) async throws -> [String] = { tree in
            if let text = theirs.withLock({ pending in
                defer { pending = nil }; return pending
            }) {
                try await repo.commit("README", text + "\n")
            }
            let current = try String(contentsOfFile: tree + "/README", encoding: .utf8)
            try (current.trimmingCharacters(in: .newlines) + " + ours\n").write(toFile: tree + "/README", atomically: true, encoding: .utf8)
            return ["README"]
        }
        let rebase = PushRequest(branch: "main", author: Self.author, message: "ours", strategy: .rebase, retryDelay: .milliseconds(1))
        await #expect { try await fixture.cache.commitAndPush(remote, rebase, change: change) } throws: { ($0 as? GitError)?.code == .conflict }
        #expect(try await repo.show("README") == "theirs\n")
        theirs.withLock { $0 = "theirs again" }
        let reapply = PushRequest(branch: "main", author: Self.author, message: "ours", strategy: .reapply, retryDelay: .milliseconds(1))
        let result = try #require(try await fixture.cache.commitAndPush(remote, reapply, change: change))
        #expect(result.attempts == 2)
        #expect(try await repo.show("README") == "theirs again + ours\n")
    }

    /// A branch that is always raced gives up after the configured attempts with `.conflict`.
    @Test func givesUpAfterMaximumAttempts() async throws {
        let repo = try await TestRepository()
        defer { repo.folder.remove() }
        let fixture = try CacheFixture()
        defer { fixture.folder.remove() }
        let remote = try GitRemote(repo.fileURL)
        let runs = Mutex(0)
        let request = PushRequest(branch: "main", author: Self.author, message: "m", maximumAttempts: 3, retryDelay: .milliseconds(1))
        await #expect {
            try await fixture.cache.commitAndPush(remote, request) { tree in
                let run = runs.withLock {
                    $0 += 1; return $0
                }
                try await repo.commit("other.txt", "\(run)\n")
                try "\(run)\n".write(toFile: tree + "/mine.txt", atomically: true, encoding: .utf8)
                return ["mine.txt"]
            }
        } throws: { ($0 as? GitError)?.code == .conflict }
        #expect(runs.withLock { $0 } == 3)
    }
}
