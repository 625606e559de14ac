import Foundation
import KeelsonTesting
import Kube
import KubeSandbox
import Manifests
import Testing

/// `keelson controller` as a real process: SIGTERM stops the controller, image automation and the
/// HTTP server gracefully, quietly and with exit status 0.
@Suite struct ControllerShutdownTests {
    typealias H = ControllerHarness

    @Test func sigtermStopsEverythingWithExitZeroAndNoErrorLine() async throws {
        let folder = try TemporaryDirectory(prefix: "keelson-shutdown")
        defer { folder.remove() }
        let repo = folder.path + "/repo"
        try H.git(["init", "-q", "-b", "main"], in: repo, create: true)
        try H.git(["config", "user.name", "Test"], in: repo)
        try H.git(["config", "user.email", "test@keelson.invalid"], in: repo)
        try folder.write("repo/app/config.yaml", H.configMap("shutdown", "1"))
        try H.git(["add", "-A"], in: repo)
        try H.git(["commit", "-qm", "initial"], in: repo)
        try folder.write("apps/web.yaml", H.app("web", path: "app", interval: "10m").replacingOccurrences(of: "REPO", with: "file://" + repo))

        let kubeconfig = folder.path + "/kubeconfig"
        try await Sandbox.withRunning(SandboxConfiguration(kubeconfigPath: kubeconfig, readyDelay: .milliseconds(200))) { _ in
            let configuration = try KubeConfiguration.load(KubeconfigOptions(explicitPath: kubeconfig))
            try await KubeClient.withClient(configuration) { client in
                let h = H(folder: folder, client: client, controllerCalls: CountingKubernetesAPI(client), reconciles: ReconcileCounter())
                let arguments = [
                    "controller", "--apps", folder.path + "/apps", "--kubeconfig", kubeconfig, "--cache-dir", folder.path + "/cache",
                    "--listen", "127.0.0.1:0",
                ]
                let controller = try BackgroundProcess(
                    Fixtures.keelsonExecutable(), arguments, log: folder.path + "/controller.log", environment: ["KEELSON_LOG_LEVEL": "info"])
                defer { controller.kill() }
                // Every part is busy: the server listens, the application synced, image automation watches its kinds.
                try await h.eventually("the controller serves and syncs", timeout: .seconds(60)) {
                    let synced = await h.status("web")?["sync"]?["status"] == "Synced"
                    return synced && controller.output.contains("server listening")
                }
                try await h.eventually("image automation installed its CRDs", timeout: .seconds(60)) {
                    (try? await client.resource(for: GroupVersionKind(group: "keelson.dev", version: "v1alpha1", kind: "ImageUpdateAutomation"))) != nil
                }
                let status = controller.terminate()
                let output = controller.output
                #expect(status == 0, "SIGTERM ends the controller with status 0:\n\(output.suffix(3000))")
                let errors = output.split(separator: "\n").filter { line in
                    let fields = line.split(separator: " ", maxSplits: 2)
                    return fields.count > 1 && ["error", "critical"].contains(fields[1])
                }
                #expect(errors.isEmpty, "nothing is logged at error level on a clean shutdown:\n\(errors.joined(separator: "\n"))")
                #expect(output.contains("controller stopping") && output.contains("image automation stopping"), "both loops stopped gracefully:\n\(output.suffix(3000))")
            }
        }
    }
}
