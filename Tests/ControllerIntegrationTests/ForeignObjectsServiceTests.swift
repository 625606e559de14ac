import Controller
import Fleet
import Foundation
import KeelsonRuntime
import KeelsonTesting
import Kube
import Logging
import Manifests
import Testing

/// `ForeignObjectsService` against the sandbox: what it applies, what it leaves alone when an
/// origin cannot be translated, what it deletes, and which AppProjects it trusts.
@Suite struct ForeignObjectsServiceTests {
    static let gitRepository = GroupVersionKind(group: "source.toolkit.fluxcd.io", version: "v1", kind: "GitRepository")
    static let kustomization = GroupVersionKind(group: "kustomize.toolkit.fluxcd.io", version: "v1", kind: "Kustomization")

    static func flux(namespace: String, source: String = "platform", creatingNamespace: Bool = true) -> String {
        (creatingNamespace ? "apiVersion: v1\nkind: Namespace\nmetadata: {name: \(namespace)}\n---\n" : "")
            + """
            apiVersion: source.toolkit.fluxcd.io/v1
            kind: GitRepository
            metadata: {name: platform, namespace: \(namespace)}
            spec: {url: "https://git.example.invalid/platform.git", ref: {branch: main}, interval: 1m, ignore: "*.md"}
            ---
            apiVersion: kustomize.toolkit.fluxcd.io/v1
            kind: Kustomization
            metadata: {name: infra, namespace: \(namespace)}
            spec: {sourceRef: {kind: GitRepository, name: \(source)}, path: ./infra, prune: true, interval: 5m, suspend: true, timeout: 2m}
            """
    }

    static func withService(_ logs: LogCapture, _ body: @Sendable (ControllerHarness) async throws -> Void) async throws {
        try await ControllerHarness.with(
            files: ["README.md": "x\n"], apps: [:],
            tenancy: TenancyRules(controllerNamespace: "keelson", applicationNamespaces: [try PatternRule("team-*")]),
            prepare: { client in try await ForeignCRDs.install(client) },
            configure: { settings in
                var foreign = ForeignObjectsConfiguration()
                foreign.resyncInterval = .seconds(2)
                settings.foreignObjects = foreign
                settings.logger = { label in label == "keelson.fleet" ? logs.logger : Logger(label: label) }
            }, body)
    }

    @Test func translatedObjectsFollowTheirOrigin() async throws {
        let logs = LogCapture()
        try await Self.withService(logs) { h in
            // A tenant namespace: the Application stays there.
            try await h.apply(Self.flux(namespace: "team-a"))
            try await h.eventually("team-a/infra is translated") {
                (try? await h.client.get(ControllerHarness.applications, name: "infra", namespace: "team-a")) != nil
            }
            let app = try await h.client.get(ControllerHarness.applications, name: "infra", namespace: "team-a")
            #expect(app.labels[ForeignObjectsService.translatedLabel] == "flux")
            #expect(app.annotations[TranslatedFrom.annotation] == "kustomize.toolkit.fluxcd.io/Kustomization team-a/infra")
            #expect(app.annotations[ForeignObjectsService.unsupportedAnnotation]?.contains("spec.timeout") == true)
            // The GitRepository has no object of its own to carry its report: it is logged.
            try await h.eventually("the GitRepository's ignore is reported") {
                logs.lines.contains { $0.contains("GitRepository team-a/platform: spec.ignore") }
            }
            // Not owned by its origin: removing Flux's CRDs (which sweeps their objects) must not take it along.
            #expect(app.metadata["ownerReferences"] == nil)
            #expect(app.object["spec"]?["suspend"] == true)

            // An origin that no longer translates leaves its Application as it was.
            let before = app.metadata["generation"]
            _ = try await h.client.mergePatch(
                Self.kustomization, name: "infra", namespace: "team-a", patch: ["spec": ["sourceRef": ["name": "missing"]]], options: WriteOptions())
            try await h.eventually("the failure is logged") { logs.lines.contains { $0.contains("Kustomization team-a/infra") } }
            #expect(try await h.client.get(ControllerHarness.applications, name: "infra", namespace: "team-a").metadata["generation"] == before)

            // Control-plane objects move to the controller's namespace; deleting the origin deletes them.
            try await h.apply(Self.flux(namespace: "flux-system"))
            try await h.eventually("flux-system/infra is translated into keelson") {
                (try? await h.client.get(ControllerHarness.applications, name: "infra", namespace: "keelson")) != nil
            }
            _ = try await h.client.delete(Self.kustomization, name: "infra", namespace: "flux-system", options: DeleteOptions())
            try await h.eventually("keelson/infra is deleted with its origin") {
                (try? await h.client.get(ControllerHarness.applications, name: "infra", namespace: "keelson")) == nil
            }
            // The tenant's Application is untouched by that deletion.
            #expect(try await h.client.get(ControllerHarness.applications, name: "infra", namespace: "team-a").metadata["generation"] == before)
        }
    }

    @Test func anObjectNotTranslatedFromTheOriginIsLeftAlone() async throws {
        let logs = LogCapture()
        try await Self.withService(logs) { h in
            try await h.apply(
                """
                apiVersion: v1
                kind: Namespace
                metadata: {name: team-c}
                ---
                apiVersion: keelson.dev/v1alpha1
                kind: Application
                metadata: {name: infra, namespace: team-c}
                spec: {source: {repoURL: "https://git.example.invalid/own.git", path: own}, destination: {namespace: team-c}, suspend: true}
                """)
            let before = try await h.client.get(ControllerHarness.applications, name: "infra", namespace: "team-c")
            try await h.apply(Self.flux(namespace: "team-c", creatingNamespace: false))
            try await h.eventually("the clash is logged") {
                logs.lines.contains { $0.contains("Application team-c/infra exists and was not translated") }
            }
            let after = try await h.client.get(ControllerHarness.applications, name: "infra", namespace: "team-c")
            #expect(after.metadata["generation"] == before.metadata["generation"] && after.object["spec"]?["source"]?["path"] == "own")
        }
    }

    @Test func appProjectsOnlyFromTrustedNamespaces() async throws {
        let logs = LogCapture()
        try await Self.withService(logs) { h in
            try await h.apply(
                """
                apiVersion: v1
                kind: Namespace
                metadata: {name: team-b}
                ---
                apiVersion: argoproj.io/v1alpha1
                kind: AppProject
                metadata: {name: everything, namespace: team-b}
                spec: {sourceRepos: ['*'], destinations: [{server: '*', namespace: '*'}], clusterResourceWhitelist: [{group: '*', kind: '*'}]}
                ---
                apiVersion: v1
                kind: Namespace
                metadata: {name: argocd}
                ---
                apiVersion: argoproj.io/v1alpha1
                kind: AppProject
                metadata: {name: platform, namespace: argocd}
                spec: {sourceRepos: ['*'], destinations: [{server: '*', namespace: 'platform-*'}]}
                """)
            try await h.eventually("the AppProject of argocd is a Project") {
                (try? await h.client.get(ControllerHarness.projects, name: "platform", namespace: "keelson")) != nil
            }
            try await h.eventually("the tenant's AppProject is refused, and says so") {
                logs.lines.contains { $0.contains("AppProject team-b/everything") }
            }
            #expect((try? await h.client.get(ControllerHarness.projects, name: "everything", namespace: "keelson")) == nil)
        }
    }
}
