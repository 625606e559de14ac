import Foundation
import GitSource
import KeelsonTesting
import Kube
import Testing

@testable import ImageAutomation

/// Image automation keeps the controller's tenancy: an automation outside the controller's
/// namespace may not borrow another namespace's Application (its repository and credentials)
/// nor read a `file://` repository (the controller's own disk).
@Suite struct ImageAutomationTenancyTests {
    static let author = "git: {commit: {author: {name: bot, email: bot@example.com}}}"

    func service(_ folder: TemporaryDirectory, client: KubeClient) throws -> ImageAutomationService {
        var settings = ImageAutomationConfiguration()
        settings.controllerNamespace = "keelson"
        return ImageAutomationService(
            client: client, git: try GitCache(directory: folder.path + "/cache", runner: try GitRunner()), configuration: settings)
    }

    func automation(namespace: String, sourceRef: String) throws -> ImageUpdateAutomation {
        let text =
            "apiVersion: keelson.dev/v1alpha1\nkind: ImageUpdateAutomation\nmetadata: {name: auto, namespace: \(namespace)}\n"
            + "spec: {sourceRef: \(sourceRef), \(Self.author)}\n"
        return try ImageUpdateAutomation(ImagePolicyParsingTests.manifest(text))
    }

    @Test func aTenantAutomationBorrowsNoOtherNamespaceAndNoLocalRepository() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        // Nothing here reaches the cluster: the refusals come before any request.
        try await KubeClient.withClient(KubeConfiguration(server: "http://127.0.0.1:1")) { client in
            let images = try service(folder, client: client)
            await #expect {
                try await images.repository(of: try automation(namespace: "team-b", sourceRef: "{kind: Application, name: web, namespace: keelson}"))
            } throws: {
                "\($0)".contains("may only name an Application in namespace team-b")
            }
            await #expect {
                try await images.repository(of: try automation(namespace: "team-b", sourceRef: "{repoURL: 'file:///var/lib/keelson'}"))
            } throws: {
                "\($0)".contains("file:// repositories are only for automations in the controller's namespace")
            }
            // The controller's own namespace may (it is the operators').
            let local = try await images.repository(of: try automation(namespace: "keelson", sourceRef: "{repoURL: 'file:///srv/repo'}"))
            #expect(local.remote.url.transport == .file)
        }
    }
}
