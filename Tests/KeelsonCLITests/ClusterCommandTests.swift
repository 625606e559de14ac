import Controller
import Foundation
import KeelsonTesting
import Kube
import KubeSandbox
import Logging
import Manifests
import Testing

/// `keelson cluster add` registers a second sandbox as a Secret in the first (never printing
/// its token), and `keelson cluster list` shows it answering, with its version.
@Suite struct ClusterCommandTests {
    let keelson = Fixtures.keelsonExecutable()

    @Test func addRegistersAClusterAndListShowsItAnswering() async throws {
        let folder = try TemporaryDirectory(prefix: "keelson-cluster-command")
        defer { folder.remove() }
        let (home, remote) = (folder.path + "/home.kubeconfig", folder.path + "/remote.kubeconfig")
        let quiet = {
            var logger = Logger(label: "keelson.sandbox")
            logger.logLevel = .critical
            return logger
        }()
        try await Sandbox.withRunning(SandboxConfiguration(kubeconfigPath: home), logger: quiet) { _ in
            // The cluster added serves TLS and asks for a client certificate: its key must be
            // stored, and never printed.
            try await Sandbox.withRunning(SandboxConfiguration(kubeconfigPath: remote, tls: true), logger: quiet) { remoteEndpoint in
                let uninstalled = try await ProcessRunner.run(
                    keelson, ["cluster", "add", "staging", "--kubeconfig", remote, "--to-kubeconfig", home])
                #expect(uninstalled.status == 1 && uninstalled.errorOutput.contains("namespace keelson not found"), "\(uninstalled.errorOutput)")
                let configuration = try KubeConfiguration.load(KubeconfigOptions(explicitPath: home))
                try await KubeClient.withClient(configuration) { client in
                    let namespace = Manifest(unchecked: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "keelson"]])
                    _ = try await client.create(namespace, options: WriteOptions())
                }
                let added = try await ProcessRunner.run(keelson, ["cluster", "add", "staging", "--kubeconfig", remote, "--to-kubeconfig", home])
                #expect(added.status == 0, "\(added.errorOutput)")
                #expect(added.output.contains("cluster staging registered"))
                let remoteConfiguration = try KubeConfiguration.load(KubeconfigOptions(explicitPath: remote))
                let key = try #require(remoteConfiguration.tls.clientKeyPEM)
                try await KubeClient.withClient(configuration) { client in
                    let secret = try await client.get(
                        GroupVersionKind(apiVersion: "v1", kind: "Secret"), name: "cluster-staging", namespace: "keelson")
                    #expect(secret.labels["keelson.dev/secret-type"] == "cluster")
                    let stored = try #require(try ClusterDefinition.parse(secret))
                    #expect(stored.configuration.tls.clientKeyPEM == key && stored.configuration.server == remoteEndpoint.url)
                }
                let listed = try await ProcessRunner.run(keelson, ["cluster", "list", "--to-kubeconfig", home])
                #expect(listed.status == 0, "\(listed.errorOutput)")
                let row = listed.output.split(separator: "\n").first { $0.hasPrefix("staging") }.map(String.init) ?? ""
                #expect(row.contains(remoteEndpoint.url) && row.contains(" yes "), "\(listed.output)")
                let printed = added.output + added.errorOutput + listed.output + listed.errorOutput
                #expect(!printed.contains(Data(key).base64EncodedString()) && !printed.contains("PRIVATE KEY"), "the client key was printed")

                let refused = try await ProcessRunner.run(keelson, ["cluster", "add", "in-cluster", "--kubeconfig", remote, "--to-kubeconfig", home])
                #expect(refused.status == 2 && refused.errorOutput.contains("not in-cluster"), "\(refused.errorOutput)")
            }
        }
    }

    // `cluster list` never runs a credential plugin a cluster Secret names: whoever may write the
    // Secret would pick the command run on the operator's machine.
    @Test func listDoesNotRunACredentialPluginFromASecret() async throws {
        let folder = try TemporaryDirectory(prefix: "keelson-cluster-list-exec")
        defer { folder.remove() }
        let home = folder.path + "/home.kubeconfig"
        let marker = folder.path + "/ran"
        var logger = Logger(label: "keelson.sandbox")
        logger.logLevel = .critical
        try await Sandbox.withRunning(SandboxConfiguration(kubeconfigPath: home), logger: logger) { _ in
            let configuration = try KubeConfiguration.load(KubeconfigOptions(explicitPath: home))
            try await KubeClient.withClient(configuration) { client in
                let namespace = Manifest(unchecked: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "keelson"]])
                _ = try await client.create(namespace, options: WriteOptions())
                var planted = KubeConfiguration(server: "https://staging.invalid:6443")
                planted.credentials = .exec(
                    Kubeconfig.ExecConfig(
                        command: "/bin/sh", args: ["-c", "touch \(marker); exit 1"], apiVersion: "client.authentication.k8s.io/v1"),
                    server: planted.server, certificateAuthorityPEM: nil)
                _ = try await client.create(
                    try ClusterDefinition.secret(name: "staging", configuration: planted, namespace: "keelson"), options: WriteOptions())
            }
            let listed = try await ProcessRunner.run(keelson, ["cluster", "list", "--to-kubeconfig", home])
            #expect(listed.status == 0, "\(listed.errorOutput)")
            #expect(listed.output.contains("not checked (runs /bin/sh in the controller)"), "\(listed.output)")
            #expect(!FileManager.default.fileExists(atPath: marker), "cluster list ran the plugin")
        }
    }
}
