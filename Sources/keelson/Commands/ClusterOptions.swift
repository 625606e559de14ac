import ArgumentParser
import Kube

/// How to reach a cluster: the same flags kubectl takes.
struct ClusterOptions: ParsableArguments {
    @Option(name: .customLong("kubeconfig"), help: "The kubeconfig file (default: $KUBECONFIG, then ~/.kube/config).")
    var kubeconfig: String?

    @Option(name: .customLong("context"), help: "The kubeconfig context to use.")
    var context: String?

    @Flag(name: .customLong("insecure-skip-tls-verify"), help: "Allow clusters whose kubeconfig skips TLS verification.")
    var insecure = false

    /// Runs `body` with a client for the configured cluster (made with `options`), closed afterwards.
    func withClient<T: Sendable>(options: KubeClientOptions = KubeClientOptions(), _ body: (KubeClient) async throws -> T) async throws -> T {
        let configuration = try KubeConfiguration.load(
            KubeconfigOptions(explicitPath: kubeconfig, context: context, allowInsecure: insecure))
        return try await KubeClient.withClient(configuration, options: options, body)
    }
}
