import Fleet
import Foundation
import GitSource
import KeelsonTesting
import Kube
import KubeSandbox
import Manifests
import Testing

/// The Git generator's real source: real `git` repositories in temporary folders, a sandbox
/// for the (unused here) cluster reads.
@Suite struct LiveGeneratorSourcesTests {
    static func withSources(_ body: @Sendable (LiveGeneratorSources, TemporaryDirectory) async throws -> Void) async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let kubeconfig = folder.path + "/kubeconfig"
        try await Sandbox.withRunning(SandboxConfiguration(kubeconfigPath: kubeconfig, readyDelay: .milliseconds(200))) { _ in
            let configuration = try KubeConfiguration.load(KubeconfigOptions(explicitPath: kubeconfig))
            try await KubeClient.withClient(configuration) { client in
                let cache = try GitCache(directory: folder.path + "/cache", runner: try GitRunner())
                try await body(LiveGeneratorSources(client: client, git: cache, controllerNamespace: "keelson"), folder)
            }
        }
    }

    /// The `git` generator of a set whose generator fields are `fields`.
    static func generator(_ fields: String) throws -> GitGenerator {
        let set = try applicationSet(setYAML("  - git: {\(fields), directories: [{path: 'apps/*'}]}"))
        guard case .git(let git) = set.generators.first?.source else { throw CocoaError(.featureUnsupported) }
        return git
    }

    /// An empty or `HEAD` revision is the remote's default branch, whatever its name (Argo CD's
    /// default), not a guessed `main`.
    @Test(arguments: ["", "revision: HEAD, "]) func headIsTheRemotesDefaultBranch(revision: String) async throws {
        try await Self.withSources { sources, folder in
            let repository = try await GitWorkTree.create(at: folder.path + "/repo", branch: "master")
            let commit = try await repository.commit("apps", ["apps/a/cm.yaml": "a: 1\n", "apps/b/cm.yaml": "b: 1\n"])
            let generator = try Self.generator("\(revision)repoURL: 'file://\(repository.path)'")
            let (read, directories) = try await sources.withRepository(generator, namespace: "team") { tree in (tree.commit, tree.directories) }
            #expect(read == commit)
            #expect(directories.contains("apps/a") && directories.contains("apps/b"))
        }
    }

    /// A remote whose HEAD names no branch (detached) is refused, saying what to do.
    @Test func aDetachedHeadIsRefusedClearly() async throws {
        try await Self.withSources { sources, folder in
            let repository = try await GitWorkTree.create(at: folder.path + "/repo", branch: "master")
            try await repository.commit("apps", ["apps/a/cm.yaml": "a: 1\n"])
            try await repository.git(["checkout", "-q", "--detach"])
            let generator = try Self.generator("repoURL: 'file://\(repository.path)'")
            let error = await #expect(throws: ApplicationSetError.self) {
                try await sources.withRepository(generator, namespace: "team") { $0.commit }
            }
            #expect(error?.message.contains("default branch") == true, "\(error?.message ?? "")")
        }
    }

    /// A password or token written into `repoURL` never reaches the set's condition (nor, as the
    /// same message, the log).
    @Test func credentialsInTheURLNeverReachTheCondition() async throws {
        let port = try Ports.free()
        try await Self.withSources { sources, _ in
            let url = "https://deploy:hunter2-secret@127.0.0.1:\(port)/repo.git?token=tok-secret"
            let generator = try Self.generator("repoURL: '\(url)', revision: main")
            let error = try #require(
                await #expect(throws: ApplicationSetError.self) {
                    try await sources.withRepository(generator, namespace: "team") { $0.commit }
                })
            let status = ApplicationSetStatus.status(
                .failed(error), existing: nil, owned: [], maxDeletionShare: .count(0), generation: 1, now: Date())
            let text = "\(status)"
            #expect(text.contains("127.0.0.1:\(port)/repo.git"), "the repository is named: \(text)")
            #expect(!text.contains("hunter2-secret") && !text.contains("tok-secret") && !"\(error)".contains("hunter2-secret"), "\(text)")
        }
    }
}
