import Foundation
import GitSource
import KeelsonTesting
import Kube
import KubeSandbox

/// Git repositories and cluster objects the automation tests share.
enum GitFixtures {
    /// Runs git in `directory` on a thread of its own (not the few cooperative ones the sandbox
    /// and services run on); throws with git's stderr when it fails.
    @discardableResult
    static func git(_ arguments: [String], in directory: String) async throws -> String {
        let result = try await ProcessRunner.run("git", ["-C", directory] + arguments)
        guard result.status == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "git \(arguments): \(result.errorOutput)"])
        }
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A bare repository at `folder/repo.git` whose `main` holds `files` in one commit, as a Git server would.
    static func bareRepository(in folder: TemporaryDirectory, files: [String: String]) async throws -> String {
        for (name, text) in files { try folder.write("seed/" + name, text) }
        try await git(["init", "-q", "-b", "main"], in: folder.path + "/seed")
        try await git(["-c", "user.name=t", "-c", "user.email=t@t", "add", "-A"], in: folder.path + "/seed")
        try await git(["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "seed"], in: folder.path + "/seed")
        try await git(["clone", "-q", "--bare", folder.path + "/seed", folder.path + "/repo.git"], in: folder.path)
        return folder.path + "/repo.git"
    }

    /// Runs `body` with a sandbox cluster, a client of it, and a Git cache, all under `folder`.
    /// `plainHTTP` allows `http://` Git remotes (a test server on loopback).
    static func withSandbox(
        in folder: TemporaryDirectory, plainHTTP: Bool = false, _ body: @Sendable (KubeClient, GitCache) async throws -> Void
    ) async throws {
        let kubeconfig = folder.path + "/kubeconfig"
        var configuration = GitRunnerConfiguration()
        if plainHTTP { configuration.allowedTransports.insert(.http) }
        let transports = configuration
        try await Sandbox.withRunning(SandboxConfiguration(kubeconfigPath: kubeconfig, readyDelay: .milliseconds(200))) { _ in
            let configuration = try KubeConfiguration.load(KubeconfigOptions(explicitPath: kubeconfig))
            try await KubeClient.withClient(configuration) { client in
                try await body(client, try GitCache(directory: folder.path + "/cache", runner: try GitRunner(configuration: transports)))
            }
        }
    }

    /// A `kubernetes.io/dockerconfigjson` Secret holding Basic credentials for `host`.
    static func dockerConfigSecret(_ name: String, namespace: String, host: String, user: String, password: String) -> String {
        let auth = Data("\(user):\(password)".utf8).base64EncodedString()
        let config = Data(#"{"auths":{"\#(host)":{"auth":"\#(auth)"}}}"#.utf8).base64EncodedString()
        return """
            apiVersion: v1
            kind: Secret
            metadata: {name: \(name), namespace: \(namespace)}
            type: kubernetes.io/dockerconfigjson
            data: {.dockerconfigjson: \(config)}
            ---

            """
    }
}
