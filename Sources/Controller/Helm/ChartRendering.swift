import Foundation
import GoTemplate
import Helm
import KeelsonFoundation
import Manifests

/// One chart render for an Application: values in Helm's order, `.Release` for the operation at
/// hand, `.Capabilities` of the destination, randomness from the Application's seed, and
/// `lookup` against the destination when allowed.
struct ChartRendering: Sendable {
    let app: Application
    let release: HelmReleasePlan
    let capabilities: Capabilities
    let seed: HelmSeed
    let lookup: ClusterLookup?
    /// The layers after the value files.
    let values: [ValueLayer]

    var helm: ApplicationSpec.HelmOptions { app.spec.source.helm ?? ApplicationSpec.HelmOptions() }

    /// Renders the chart in `path` of `root`; value files are read through `root`, relative to the chart.
    func render(root: SecureRoot, path: String) async throws -> [Manifest] {
        let chart = try ChartLoader.load(directory: root, path: path)
        var layers: [ValueLayer] = []
        for file in helm.valueFiles {
            let relative = path == "." ? file : path + "/" + file
            let bytes = try root.read(relative, allowParent: false)
            layers.append(.document(text: String(decoding: bytes, as: UTF8.self), source: relative, sensitive: false))
        }
        return try await render(chart, layers: layers + values)
    }

    /// Renders a chart archive; value files are read from inside it, relative to the chart.
    func render(archive: [UInt8]) async throws -> [Manifest] {
        let chart = try ChartLoader.load(archive: archive)
        var layers: [ValueLayer] = []
        for file in helm.valueFiles {
            guard let found = chart.raw.first(where: { $0.name == file }) else {
                throw HelmError(.values, "spec.source.helm.valueFiles: \(file) is not in chart \(chart.name)", file: file)
            }
            layers.append(.document(text: found.text, source: "\(chart.name)/\(file)", sensitive: false))
        }
        return try await render(chart, layers: layers + values)
    }

    /// The desired objects of `chart` with the merged `layers`: the render runs on a thread of its
    /// own when templates may call `lookup` (which waits for the cluster).
    func render(_ chart: Chart, layers: [ValueLayer]) async throws -> [Manifest] {
        let values = try HelmValueAssembly.merge(layers)
        let rendered: ChartOutput
        if lookup != nil {
            rendered = try await ClusterLookup.run { [self] in try renderChart(chart, values: values) }
        } else {
            rendered = try renderChart(chart, values: values)
        }
        return try ChartDesiredState.assemble(crds: rendered.crds, objects: rendered.objects, helm: helm)
    }

    /// What a chart render gives the controller: the `crds/` objects, and the ordinary objects
    /// with the hooks of this operation (install or upgrade) only.
    struct ChartOutput: Sendable {
        var crds: [Manifest]
        var objects: [Manifest]
    }

    /// Renders `chart` with Helm's engine for this release, the Application's seed and the
    /// revision's time; only the hooks of this operation (install or upgrade) are kept.
    func renderChart(_ chart: Chart, values: [String: Value]) throws -> ChartOutput {
        let options = ChartRenderer.Options(
            release: release.info(for: app), capabilities: capabilities, random: SeededRandomSource(seed: seed.seed), clock: .fixed(seed.time),
            lookup: lookup)
        let rendered = try ChartRenderer(options: options).render(chart, values: values)
        var crds: [Manifest] = []
        for document in rendered.crds { crds += try Manifest.decode(Array(document.content.utf8), file: document.source) }
        return ChartOutput(crds: crds, objects: try rendered.objects(for: release.isInstall ? .install : .upgrade, includeCRDs: false))
    }
}
