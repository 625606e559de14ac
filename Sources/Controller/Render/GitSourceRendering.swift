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

    /// The objects `app` renders to from `root` (a work tree of its repository).
    func render(_ app: Application, root: SecureRoot) async throws -> (manifests: [Manifest], isChart: Bool) {
        let path = SecureRoot.components(app.spec.source.path).joined(separator: "/")
        if try root.list(path.isEmpty ? "." : path).contains(where: { $0.name == "Chart.yaml" && $0.type == .file }) {
            return (try await chart(root, path.isEmpty ? "." : path), true)
        }
        let directory = app.spec.source.directory
        var renderer = DirectoryRenderer(
            include: directory.include.isEmpty ? nil : try directory.include.map { try Glob($0) },
            exclude: try directory.exclude.map { try Glob($0) }, recurse: directory.recurse)
        let seeding = KustomizeChartSeeding()
        renderer.helm = seeding.probing
        let rendered = try renderer.render(root, path: app.spec.source.path).manifests
        guard seeding.wasUsed else { return (rendered, false) }
        // A chart in a kustomization drew randomness or read the clock: render again from the seed.
        renderer.helm = try await kustomizeSeed()
        return (try renderer.render(root, path: app.spec.source.path).manifests, false)
    }
}
