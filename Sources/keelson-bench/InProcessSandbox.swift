import Foundation
import Kube
import KubeSandbox
import Logging

/// The benchmarks' shared setting: a sandbox in this process and Keelson's client to it over HTTP.
enum InProcessSandbox {
    /// A fresh, empty `keelson-bench-NAME-PID` under the temporary directory; the caller removes it.
    static func scratchDirectory(_ name: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.path + "/keelson-bench-\(name)-\(getpid())"
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Runs `configuration`'s sandbox with its kubeconfig in `directory`, and `body` with a client to
    /// it; the client-side rate limit is lifted, so the figures are the sandbox's and the engine's.
    static func withClient(
        _ configuration: SandboxConfiguration, in directory: String, logger: Logger,
        _ body: @Sendable (KubeClient, SandboxEndpoint) async throws -> Void
    ) async throws {
        var configuration = configuration
        let kubeconfig = directory + "/kubeconfig"
        configuration.kubeconfigPath = kubeconfig
        try await Sandbox.withRunning(configuration, logger: logger) { endpoint in
            let kube = try KubeConfiguration.load(KubeconfigOptions(explicitPath: kubeconfig))
            try await KubeClient.withClient(kube, options: KubeClientOptions(qps: 1_000_000, burst: 1_000_000, logger: logger)) { client in
                try await body(client, endpoint)
            }
        }
    }
}
