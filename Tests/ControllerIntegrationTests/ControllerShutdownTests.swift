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
        try await H.withoutController(
            prefix: "keelson-shutdown", files: ["app/config.yaml": H.configMap("shutdown", "1")],
            apps: ["web": H.app("web", path: "app", interval: "10m")], readyDelay: .milliseconds(200), listen: "127.0.0.1:0"
        ) { h, arguments in
            let (folder, client) = (h.folder, h.client)
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
            #expect(
                output.contains("controller stopping") && output.contains("image automation stopping"),
                "both loops stopped gracefully:\n\(output.suffix(3000))")
        }
    }
}
