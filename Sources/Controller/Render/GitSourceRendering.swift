import Foundation
import Helm
import KeelsonFoundation
import Manifests
import Render

/// How an Application's path in a Git work tree becomes its desired objects: a chart when the
/// path holds a `Chart.yaml`, else plain manifests or a kustomization. The controller and
/// `keelson plan` both render through here; they differ only in where a chart's seed, values and
/// cluster facts come from, which the caller passes in.
struct GitSourceRendering: Sendable {
    /// Renders the chart at a path of the root.
    var chart: @Sendable (SecureRoot, String) async throws -> [Manifest]
    /// The seed for charts inside a kustomization, read only when one drew randomness or read the clock.
    var kustomizeSeed: @Sendable () async throws -> KustomizeHelmOptions
    /// The variables of `spec.source.postBuild`, read only when it is set.
    var variables: @Sendable (ApplicationSpec.PostBuild) async throws -> [String: String]

    /// The objects `app` renders to from `root` (a work tree of its repository): `spec.source.kustomize`
    /// laid over the path's objects, then `spec.source.postBuild`'s variables substituted.
    func render(_ app: Application, root: SecureRoot) async throws -> (manifests: [Manifest], isChart: Bool) {
        let path = SecureRoot.components(app.spec.source.path).joined(separator: "/")
        if try root.list(path.isEmpty ? "." : path).contains(where: { $0.name == "Chart.yaml" && $0.type == .file }) {
            for (field, isSet) in [("kustomize", app.spec.source.kustomize != nil), ("postBuild", app.spec.source.postBuild != nil)] where isSet {
                throw ApplicationError(
                    application: app.id, field: "spec.source." + field,
                    message: "is not used with a chart (\(path.isEmpty ? "." : path) holds a Chart.yaml)")
            }
            return (try await chart(root, path.isEmpty ? "." : path), true)
        }
        // The variables are read first, so a missing ConfigMap or Secret fails before any work.
        var substitution: VariableSubstitution?
        if let postBuild = app.spec.source.postBuild { substitution = VariableSubstitution(variables: try await variables(postBuild)) }
        let manifests = try await renderDirectory(app, root: root)
        return (try substitution?.apply(to: manifests) ?? manifests, false)
    }

    /// Plain manifests or a kustomization, with the kustomize options over them.
    func renderDirectory(_ app: Application, root: SecureRoot) async throws -> [Manifest] {
        let directory = app.spec.source.directory
        var renderer = DirectoryRenderer(
            include: directory.include.isEmpty ? nil : try directory.include.map { try Glob($0) },
            exclude: try directory.exclude.map { try Glob($0) }, recurse: directory.recurse)
        if let options = app.spec.source.kustomize, !options.isEmpty { renderer.overlay = try options.overlay }
        let seeding = KustomizeChartSeeding()
        renderer.helm = seeding.probing
        let rendered = try renderer.render(root, path: app.spec.source.path).manifests
        guard seeding.wasUsed else { return rendered }
        // A chart in a kustomization drew randomness or read the clock: render again from the seed.
        renderer.helm = try await kustomizeSeed()
        return try renderer.render(root, path: app.spec.source.path).manifests
    }
}
