import Foundation
import KeelsonTesting
import Testing

@testable import GitSource

/// Work trees do not pile up, and a repository may not grow past the size limit.
@Suite struct CacheLimitTests {
    static func cache(in folder: TemporaryDirectory, _ change: (inout GitCachePolicy) -> Void) throws -> (GitCache, RecordingRunner) {
        var policy = GitCachePolicy()
        change(&policy)
        let runner = RecordingRunner(try GitRunner())
        return (try GitCache(directory: folder.path, runner: runner, policy: policy), runner)
    }

    /// Twelve commits, each resolved and checked out: only the three most recently used work
    /// trees remain (on disk and in `git worktree list`), and the newest still reads right.
    @Test func workTreesBeyondTheNewestFewArePruned() async throws {
        let repo = try await TestRepository()
        defer { repo.folder.remove() }
        let folder = try TemporaryDirectory(prefix: "keelson-cache")
        defer { folder.remove() }
        let (cache, runner) = try Self.cache(in: folder) { $0.maximumCheckouts = 3 }
        let remote = try GitRemote(repo.fileURL)
        var last: Checkout?
        for index in 0..<12 {
            try await repo.commit("app.yaml", "version: \(index)\n")
            let commit = try await cache.resolve(remote, .branch("main"))
            last = try await cache.checkout(remote, commit: commit)
        }
        let checkouts = folder.path + "/checkouts/" + GitCache.directoryName(for: remote.url.cacheKey)
        let kept = try FileManager.default.contentsOfDirectory(atPath: checkouts)
        #expect(kept.count == 3, "\(kept.count) work trees kept")
        let mirror = folder.path + "/mirrors/" + GitCache.directoryName(for: remote.url.cacheKey) + ".git"
        let listed = try await runner.check(GitInvocation(["worktree", "list", "--porcelain"], in: mirror))
        #expect(listed.stdout.components(separatedBy: "\nworktree ").count - 1 == 3, "git forgot the removed work trees")
        let newest = try #require(last)
        #expect(String(decoding: try newest.root().read("app.yaml"), as: UTF8.self) == "version: 11\n")
    }

    /// A work tree leased by `withCheckout` survives newer checkouts while the body runs, and
    /// is pruned like any other afterwards.
    @Test func leasedWorkTreesAreNotPruned() async throws {
        let repo = try await TestRepository()
        defer { repo.folder.remove() }
        let folder = try TemporaryDirectory(prefix: "keelson-cache")
        defer { folder.remove() }
        let (cache, _) = try Self.cache(in: folder) { $0.maximumCheckouts = 1 }
        let remote = try GitRemote(repo.fileURL)
        let first = try await repo.tip()
        let leased = try await cache.withCheckout(remote, commit: first) { checkout in
            for index in 0..<3 { _ = try await cache.checkout(remote, commit: try repo.commit("n.txt", "\(index)\n")) }
            return String(decoding: try checkout.root().read("README"), as: UTF8.self)
        }
        #expect(leased == "hello\n", "the leased work tree was still there")
        let later = try await cache.checkout(remote, commit: try repo.commit("n.txt", "last\n"))
        let kept = try FileManager.default.contentsOfDirectory(atPath: (later.directory as NSString).deletingLastPathComponent)
        #expect(kept == [later.commit])
    }

    /// A work tree idle for longer than `checkoutIdleTime` is removed at the next checkout.
    @Test func idleWorkTreesAreRemoved() async throws {
        let repo = try await TestRepository()
        defer { repo.folder.remove() }
        let folder = try TemporaryDirectory(prefix: "keelson-cache")
        defer { folder.remove() }
        let (cache, _) = try Self.cache(in: folder) { $0.checkoutIdleTime = .zero }
        let remote = try GitRemote(repo.fileURL)
        let first = try await cache.checkout(remote, commit: try repo.tip())
        let second = try await cache.checkout(remote, commit: try repo.commit("b.txt", "b\n"))
        #expect(!FileManager.default.fileExists(atPath: first.directory))
        #expect(FileManager.default.fileExists(atPath: second.directory + "/b.txt"))
    }

    /// A repository over the limit: the fetch fails with `.tooLarge` naming the limit, nothing
    /// is checked out, and the mirror is gone; a work tree over the limit is refused and
    /// removed; a small repository under the same limit works.
    @Test func aRepositoryOverTheSizeLimitIsRefused() async throws {
        let big = try await TestRepository()
        defer { big.folder.remove() }
        var random = [UInt8](repeating: 0, count: 512 << 10)
        for index in random.indices { random[index] = UInt8.random(in: 0...255) }
        try Data(random).write(to: URL(fileURLWithPath: big.work + "/blob.bin"))
        try await TestRepository.git(["-C", big.work, "add", "blob.bin"])
        try await TestRepository.git(["-C", big.work, "commit", "--quiet", "-m", "big"])
        try await TestRepository.git(["-C", big.work, "push", "--quiet", "origin", "HEAD:refs/heads/main"])
        let small = try await TestRepository(name: "small")
        defer { small.folder.remove() }
        let folder = try TemporaryDirectory(prefix: "keelson-cache")
        defer { folder.remove() }
        let (cache, _) = try Self.cache(in: folder) { $0.maximumRepositoryBytes = 256 << 10 }

        let remote = try GitRemote(big.fileURL)
        await #expect { try await cache.resolve(remote, .branch("main")) } throws: { error in
            guard let error = error as? GitError else { return false }
            return error.code == .tooLarge && error.message.contains("256 KiB")
        }
        await #expect { try await cache.checkout(remote, commit: try big.tip()) } throws: { ($0 as? GitError)?.code == .tooLarge }
        let mirror = folder.path + "/mirrors/" + GitCache.directoryName(for: remote.url.cacheKey) + ".git"
        #expect(DiskUsage.bytes(under: mirror) < 256 << 10, "the oversized mirror was removed")
        #expect(DiskUsage.bytes(under: folder.path + "/checkouts") < 256 << 10)

        // Compressible content: a small mirror, a large work tree, refused at checkout.
        try await small.commit("zeros.txt", String(repeating: "0", count: 1 << 20))
        let fine = try GitRemote(small.fileURL)
        let zeros = try await cache.resolve(fine, .branch("main"))
        await #expect { try await cache.checkout(fine, commit: zeros) } throws: {
            ($0 as? GitError)?.code == .tooLarge && "\($0)".contains("work tree")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/checkouts/" + GitCache.directoryName(for: fine.url.cacheKey) + "/" + zeros))
        try await small.commit("zeros.txt", "0\n")

        let commit = try await cache.resolve(fine, .branch("main"))
        #expect(String(decoding: try await cache.checkout(fine, commit: commit).root().read("README"), as: UTF8.self) == "hello\n")
    }
}
