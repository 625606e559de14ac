import Foundation
import Kube
import Manifests
import Sync
import Testing

@Suite("Application health after a sync")
struct HealthTests {
    // Pins: a Deployment the sandbox fails makes the application Degraded, and
    // `keelson sync --wait` exits 1 with an error naming the Deployment.
    @Test("a failing Deployment makes the application Degraded and sync --wait exits 1 naming it")
    func failingDeploymentIsDegraded() async throws {
        try await withSyncCluster { cluster in
            try cluster.add("broken")
            let cli = try await cluster.keelson(["sync", cluster.path, "--app", "api", "--wait", "--timeout", "120s"])
            #expect(cli.status == 1, "\(cli.output)\(cli.errorOutput)")
            #expect(cli.errorOutput.contains("Deployment/default/api"), "\(cli.errorOutput)")
            #expect(cli.errorOutput.contains("Degraded"), "\(cli.errorOutput)")
            #expect(cli.output.contains("health Degraded"), "\(cli.output)")

            let changes = try await cluster.sync(app: "api", wait: true)
            #expect(changes.result == .failed)
            #expect(changes.health == .degraded)
            #expect(changes.message.contains("Deployment/default/api"), "\(changes.message)")
        }
    }

    // Pins the contrast: the same path without the failure annotation is Healthy and exits 0.
    @Test("a Deployment that becomes ready makes sync --wait exit 0, Healthy")
    func readyDeploymentIsHealthy() async throws {
        try await withSyncCluster { cluster in
            try cluster.add("broken")
            let fixed = try String(contentsOfFile: cluster.path + "/api.yaml", encoding: .utf8)
                .replacingOccurrences(of: "sandbox.keelson.dev/fail: \"true\"", with: "example.com/note: ok")
            try cluster.write("api.yaml", fixed)
            let cli = try await cluster.keelson(["sync", cluster.path, "--app", "api", "--wait", "--timeout", "120s"])
            #expect(cli.status == 0, "\(cli.output)\(cli.errorOutput)")
            #expect(cli.output.contains("health Healthy"), "\(cli.output)")
        }
    }
}
