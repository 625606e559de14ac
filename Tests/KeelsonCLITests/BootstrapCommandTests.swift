import Foundation
import KeelsonTesting
import Manifests
import Testing

/// `keelson bootstrap`: the installation committed to a real Git repository, installed into a
/// sandbox, and the Application that keeps it in sync pointing at it.
@Suite(.enabled(if: ProcessRunner.isAvailable("kubectl") && ProcessRunner.isAvailable("git"), "kubectl or git is not installed"))
struct BootstrapCommandTests {
    let keelson = Fixtures.keelsonExecutable()
    static let path = "clusters/dev/keelson"
    static let image = "registry.example.com/keelson:0.1.0"

    func git(_ arguments: [String], _ directory: String) async throws -> String {
        let result = try await ProcessRunner.run("git", ["-C", directory] + arguments)
        try #require(result.status == 0, "git \(arguments): \(result.errorOutput)")
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func commitsInstallsAndChangesNothingTheSecondTime() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("seed/README.md", "fleet\n")
        _ = try await git(["init", "-q", "-b", "main"], dir.path + "/seed")
        _ = try await git(["-c", "user.name=t", "-c", "user.email=t@t", "add", "-A"], dir.path + "/seed")
        _ = try await git(["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "seed"], dir.path + "/seed")
        _ = try await ProcessRunner.run("git", ["clone", "-q", "--bare", dir.path + "/seed", dir.path + "/repo.git"])
        let repo = dir.path + "/repo.git"
        let sandbox = try await SandboxCommandTests.Running(keelson, data: dir.path + "/state.db", directory: dir)
        defer { if sandbox.process.isRunning { sandbox.process.terminate() } }
        let arguments = ["bootstrap", "--repo", repo, "--path", Self.path, "--image", Self.image, "--kubeconfig", sandbox.kubeconfig]

        let first = try await ProcessRunner.run(keelson, arguments)
        try #require(first.status == 0, "\(first.output)\(first.errorOutput)")
        #expect(first.output.hasPrefix("committed "), "\(first.output)")
        let head = try await git(["rev-parse", "main"], repo)

        // The repository holds the installation: kubectl 1.37.1 renders it as Keelson does.
        _ = try await ProcessRunner.run("git", ["clone", "-q", repo, dir.path + "/check"])
        let committed = dir.path + "/check/" + Self.path
        #expect(try String(contentsOfFile: committed + "/application.yaml", encoding: .utf8).contains("path: \(Self.path)"))
        let ours = try await ProcessRunner.run(keelson, ["render", committed])
        try #require(ours.status == 0, "\(ours.errorOutput)")
        if ReferenceKubectl.v137.isAvailable {
            let theirs = try await ProcessRunner.run(try ReferenceKubectl.v137.path(), ["kustomize", committed])
            try #require(theirs.status == 0, "\(theirs.errorOutput)")
            #expect(try Manifest.decode(ours.stdout, file: "keelson").map(\.object) == Manifest.decode(theirs.stdout, file: "kubectl").map(\.object))
        }

        // The cluster runs it, and the Application syncs that directory.
        let source = try await sandbox.kubectl(["get", "applications.keelson.dev", "keelson", "-n", "keelson", "-o", "jsonpath={.spec.source.path}"])
        #expect(source == Self.path)
        let image = try await sandbox.kubectl(
            ["get", "deployment", "keelson-controller", "-n", "keelson", "-o", "jsonpath={.spec.template.spec.containers[0].image}"])
        #expect(image == Self.image)

        let second = try await ProcessRunner.run(keelson, arguments)
        try #require(second.status == 0, "\(second.output)\(second.errorOutput)")
        #expect(second.output.hasPrefix("\(Self.path) is up to date in main"), "\(second.output)")
        #expect(try await git(["rev-parse", "main"], repo) == head)
        _ = try await sandbox.stop()
    }

    @Test(arguments: ["/abs", "../out", "a/../b", ""])
    func aPathOutsideTheRepositoryIsRefused(_ path: String) async throws {
        let result = try await ProcessRunner.run(keelson, ["bootstrap", "--repo", "/nonexistent", "--path", path])
        #expect(result.status == 2, "\(result.errorOutput)")
    }
}
