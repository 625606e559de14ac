import Foundation
import KeelsonTesting
import Testing

/// `keelson promote` against a real Git repository.
@Suite struct PromoteCommandTests {
    let keelson = Fixtures.keelsonExecutable()

    static let deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web # the storefront
        spec:
          template:
            spec:
              containers:
              - name: web
                image: ghcr.io/shop/web:1.0.0   # bumped by CI
              - name: worker
                image: "ghcr.io/shop/worker:2.0.0"

        """

    func git(_ arguments: [String], _ directory: String) async throws -> String {
        let result = try await ProcessRunner.run("git", ["-C", directory] + arguments)
        #expect(result.status == 0, "git \(arguments): \(result.errorOutput)")
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func makeRepository() async throws -> (TemporaryDirectory, String) {
        let dir = try TemporaryDirectory()
        try dir.write("seed/apps/web/deployment.yaml", Self.deployment)
        try dir.write("seed/apps/web/notes.yaml", "# no images here\nkey: value\n")
        _ = try await git(["init", "-q", "-b", "main"], dir.path + "/seed")
        _ = try await git(["-c", "user.name=t", "-c", "user.email=t@t", "add", "-A"], dir.path + "/seed")
        _ = try await git(["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "seed"], dir.path + "/seed")
        _ = try await ProcessRunner.run("git", ["clone", "-q", "--bare", dir.path + "/seed", dir.path + "/repo.git"])
        return (dir, dir.path + "/repo.git")
    }

    @Test func concurrentPromotionsBothLandWithoutLostUpdates() async throws {
        let (dir, repo) = try await makeRepository()
        defer { dir.remove() }
        let keelson = self.keelson
        async let first = Task.detached {
            try await ProcessRunner.run(keelson, ["promote", "--repo", repo, "--path", "apps", "--image", "ghcr.io/shop/web=ghcr.io/shop/web:1.1.0"])
        }.value
        async let second = Task.detached {
            try await ProcessRunner.run(
                keelson, ["promote", "--repo", repo, "--path", "apps", "--image", "ghcr.io/shop/worker=ghcr.io/shop/worker:2.1.0"])
        }.value
        let results = try await [first, second]
        for result in results { #expect(result.status == 0, "\(result.errorOutput)") }
        #expect(results[0].output.contains("apps/web/deployment.yaml:10 ghcr.io/shop/web:1.0.0 → ghcr.io/shop/web:1.1.0"))
        #expect(results[1].output.contains("apps/web/deployment.yaml:12 ghcr.io/shop/worker:2.0.0 → ghcr.io/shop/worker:2.1.0"))

        _ = try await ProcessRunner.run("git", ["clone", "-q", repo, dir.path + "/check"])
        let file = try String(contentsOfFile: dir.path + "/check/apps/web/deployment.yaml", encoding: .utf8)
        // Both updates landed; every other byte (comments, quotes) is as it was.
        #expect(
            file
                == Self.deployment.replacingOccurrences(of: "web:1.0.0", with: "web:1.1.0").replacingOccurrences(
                    of: "worker:2.0.0", with: "worker:2.1.0"))
        #expect(try await git(["rev-list", "--count", "HEAD"], dir.path + "/check") == "3")
        #expect(try String(contentsOfFile: dir.path + "/check/apps/web/notes.yaml", encoding: .utf8) == "# no images here\nkey: value\n")
    }

    @Test func nothingChangedCommitsNothing() async throws {
        let (dir, repo) = try await makeRepository()
        defer { dir.remove() }
        let result = try await ProcessRunner.run(
            keelson, ["promote", "--repo", repo, "--path", "apps", "--image", "ghcr.io/shop/web=ghcr.io/shop/web:1.0.0"])
        #expect(result.status == 0, "\(result.errorOutput)")
        #expect(result.output == "nothing to change\n")
        #expect(try await git(["rev-list", "--count", "main"], repo) == "1")
    }

    @Test func tokensAreNeverPrinted() async throws {
        var environment = ProcessInfo.processInfo.environment
        environment["KEELSON_GIT_TOKEN"] = "CANARY-token-5521"
        let result = try await ProcessRunner.run(
            keelson, ["promote", "--repo", "https://127.0.0.1:1/nothing.git", "--path", "apps", "--image", "a/b=a/b:1"], environment: environment)
        #expect(result.status == 1)
        #expect(!(result.output + result.errorOutput).contains("CANARY-token-5521"))
    }

    /// --push-branch leaves the branch alone and builds on the review branch once it exists.
    @Test func pushBranchForReview() async throws {
        let (dir, repo) = try await makeRepository()
        defer { dir.remove() }
        let seed = try await git(["rev-parse", "main"], repo)
        let first = try await ProcessRunner.run(
            keelson,
            [
                "promote", "--repo", repo, "--path", "apps", "--push-branch", "promote/web", "--image", "ghcr.io/shop/web=ghcr.io/shop/web:1.1.0",
            ])
        #expect(first.status == 0, "\(first.errorOutput)")
        #expect(first.output.hasSuffix(" to promote/web\n"))
        let second = try await ProcessRunner.run(
            keelson,
            [
                "promote", "--repo", repo, "--path", "apps", "--push-branch", "promote/web", "--image",
                "ghcr.io/shop/worker=ghcr.io/shop/worker:2.1.0",
            ])
        #expect(second.status == 0, "\(second.errorOutput)")
        #expect(try await git(["rev-parse", "main"], repo) == seed)
        #expect(try await git(["rev-list", "--count", "promote/web"], repo) == "3")
        let file = try await git(["show", "promote/web:apps/web/deployment.yaml"], repo)
        #expect(file.contains("ghcr.io/shop/web:1.1.0") && file.contains("ghcr.io/shop/worker:2.1.0"))
    }
}
