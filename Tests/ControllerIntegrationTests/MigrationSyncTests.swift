import Controller
import Fleet
import Foundation
import KeelsonRuntime
import KeelsonTesting
import Kube
import Manifests
import Testing

/// `examples/migration`'s repository, laid out for Argo CD and for Flux, run by Keelson without a
/// change: `kubectl apply` of the tool's bootstrap object, and Keelson reads the tool's objects as
/// they are. Each ends with exactly the objects the tool would apply (`MigrationExpectations`), and
/// `keelson import`'s output, applied instead, ends with the same objects.
@Suite(.serialized) struct MigrationSyncTests {
    @Test func argoCDRepositorySyncsAsArgoCDWould() async throws {
        try await MigrationRepository.withController(.argoCD, configure: Self.readingForeignObjects) { h in
            try await h.apply(try String(contentsOfFile: h.repository + "/argocd/root.yaml", encoding: .utf8))
            try await MigrationRepository.waitUntilSynced(h, .argoCD)
            try await h.expectLive(try await MigrationExpectations.argoCD(repository: h.repository), namespace: "keelson")
            #expect(await h.exists("guestbook-test-fixture", namespace: "guestbook") == false)
            // The AppProject is a Project, and the Applications it fences run under it.
            let project = try await h.client.get(ControllerHarness.projects, name: "web", namespace: "keelson")
            #expect(project.annotations[TranslatedFrom.annotation] == "argoproj.io/AppProject argocd/web")
            let guestbook = try await h.client.get(ControllerHarness.applications, name: "guestbook", namespace: "keelson")
            #expect(guestbook.object["spec"]?["project"] == "web")
            #expect(guestbook.labels[ForeignObjectsService.translatedLabel] == "argocd")
        }
    }

    @Test func fluxRepositorySyncsAsFluxWould() async throws {
        try await MigrationRepository.withController(.flux, configure: Self.readingForeignObjects) { h in
            try await h.apply(try String(contentsOfFile: h.repository + "/flux/clusters/test/flux-system/gotk-sync.yaml", encoding: .utf8))
            try await MigrationRepository.waitUntilSynced(h, .flux)
            try await h.expectLive(try await MigrationExpectations.flux(repository: h.repository), namespace: "flux-system")
        }
    }

    /// `keelson import`, run on the tool's objects, prints objects that end with the same cluster.
    @Test(arguments: [MigrationLayout.argoCD, .flux])
    func importedObjectsSyncIdentically(_ layout: MigrationLayout) async throws {
        try await MigrationRepository.withController(layout, configure: { $0.applicationSets = ApplicationSetConfiguration() }) { h in
            let imported = try await ProcessRunner.run(
                Fixtures.keelsonExecutable(),
                [
                    "import", layout == .argoCD ? "argocd" : "flux", h.repository + "/" + layout.objectsFolder, "--controller-namespace",
                    layout.namespace,
                ])
            #expect(imported.status == 0, "\(imported.errorOutput)")
            try await h.apply(imported.output)
            try await MigrationRepository.waitUntilSynced(h, layout)
            let expected =
                layout == .argoCD
                ? try await MigrationExpectations.argoCD(repository: h.repository)
                : try await MigrationExpectations.flux(repository: h.repository)
            try await h.expectLive(expected, namespace: layout.namespace)
        }
    }

    @Sendable static func readingForeignObjects(_ settings: inout KeelsonConfiguration) {
        var foreign = ForeignObjectsConfiguration()
        foreign.resyncInterval = .seconds(5)
        settings.foreignObjects = foreign
        settings.applicationSets = ApplicationSetConfiguration()
    }
}
