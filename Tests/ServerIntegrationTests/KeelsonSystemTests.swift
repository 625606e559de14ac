import Foundation
import GitSource
import KeelsonRuntime
import KeelsonTesting
import Kube
import Logging
import SealedSecrets
import Testing

/// What a service group logs of Keelson's parts: their names. By default it prints each service
/// whole, and the controller's settings hold the process's environment (AWS variables for KMS,
/// ambient credentials for secret stores), which a debug log must never show.
@Suite struct KeelsonSystemTests {
    @Test func servicesAreLoggedByNameAndNeverPrintedWhole() async throws {
        let folder = try TemporaryDirectory(prefix: "keelson-system")
        defer { folder.remove() }
        let canary = "keelson-canary-" + UUID().uuidString
        var settings = KeelsonConfiguration()
        settings.controller.awsEnvironment = ["AWS_SECRET_ACCESS_KEY": canary]
        settings.externalSecrets?.environment = ["VAULT_TOKEN": canary]
        settings.sealedSecrets = SealedSecretsConfiguration()
        let logs = LogCapture()
        settings.logger = { label in
            var quiet = Logger(label: label)
            quiet.logLevel = .critical
            return label == "keelson.services" ? logs.logger : quiet
        }
        // No server listens here: the parts started fail their requests until they are stopped.
        try await KubeClient.withClient(KubeConfiguration(server: "http://127.0.0.1:9")) { client in
            let git = try GitCache(directory: folder.path + "/cache", runner: try GitRunner())
            let system = KeelsonSystem(client: client, git: git, configuration: settings)
            let names = system.services.map(\.serviceName)
            #expect(
                names == [
                    "controller", "image-automation (leader only)", "external-secrets (leader only)", "notifications (leader only)",
                    "sealing-key-watch", "sealed-secrets (leader only)",
                ])
            // What the group logs when it starts, at debug level; then it is stopped (its
            // requests find no server, which does not matter here).
            let running = Task { try await system.run() }
            let deadline = ContinuousClock.now + .seconds(60)
            while !logs.lines.contains(where: { $0.contains("Starting service lifecycle") }), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            running.cancel()
            _ = try? await running.value
            let lines = logs.lines
            #expect(lines.contains { $0.contains("Starting service lifecycle") && $0.contains("sealed-secrets (leader only)") }, "\(lines)")
            #expect(!lines.joined(separator: "\n").contains(canary), "the environment was logged")
        }
    }
}
