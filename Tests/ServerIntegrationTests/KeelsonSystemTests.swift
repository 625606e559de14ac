import Foundation
import GitSource
import KeelsonRuntime
import KeelsonTesting
import Kube
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
        // Built only, never run: no request reaches this address.
        try await KubeClient.withClient(KubeConfiguration(server: "http://127.0.0.1:9")) { client in
            let git = try GitCache(directory: folder.path + "/cache", runner: try GitRunner())
            let system = KeelsonSystem(client: client, git: git, configuration: settings)
            let names = system.services.map(\.serviceName)
            #expect(
                names == [
                    "controller", "image-automation (leader only)", "external-secrets (leader only)", "notifications (leader only)",
                    "sealing-key-watch", "sealed-secrets (leader only)",
                ])
            #expect(!names.joined().contains(canary))
            // Why names: printed whole, the controller shows the environment it was given.
            #expect("\(system.controller)".contains(canary))
        }
    }
}
